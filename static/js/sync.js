// Drains the outbox into POST /api/v1/sessions: acknowledged per item, backed off with jitter, paused while signed out.
import { csrfToken, rememberAccount, setCsrfToken, userId } from "./identity.js";
import { CORRUPT, PENDING, REJECTED, listOutbox, readRecord, settle } from "./outbox.js";

const ENDPOINT = "/api/v1/sessions";
const BATCH = 100;
const BASE_DELAY = 2000;
const MAX_DELAY = 5 * 60 * 1000;
// Never spin: even a "full jitter" draw of almost zero waits this long before the next try.
const MIN_DELAY = 250;
const LOCK = "coresteady-outbox";

// What the last drain learnt, for the status pill: "idle", "sending", "retrying", "signed-out", "reload".
let state = { phase: "idle", retryAt: 0 };
let running = null;
let again = null;
let timer = 0;

export function syncState() {
  return state;
}

function setState(phase, extra = {}) {
  state = { phase, retryAt: 0, ...extra };
  window.dispatchEvent(new CustomEvent("sync:state", { detail: state }));
}

// Full jitter: a random wait between zero and an exponentially growing ceiling, so phones that
// lost the server at the same moment do not all come back at the same moment.
export function backoffDelay(attempts) {
  const ceiling = Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.max(0, attempts - 1));
  return Math.max(MIN_DELAY, Math.random() * ceiling);
}

// Drains now, or joins the drain already running (which then runs once more, so nothing is missed).
// force: ignore the backoff (the phone just came online, or the user tapped "Try again").
export function drain({ force = false } = {}) {
  if (running) {
    again = { force: force || again?.force === true };
    return running;
  }
  running = (async () => {
    let options = { force };
    let outcome;
    try {
      do {
        again = null;
        // A failure here (storage refused, say) must not stop the next trigger from trying again.
        outcome = await exclusive(() => drainOnce(options)).catch((error) => ({ error: String(error) }));
        options = again || options;
      } while (again);
    } finally {
      running = null;
    }
    return outcome;
  })();
  return running;
}

// Two tabs draining at once would only send duplicates (which the server ignores), but one at a time is tidier.
function exclusive(work) {
  if (navigator.locks?.request) return navigator.locks.request(LOCK, work);
  return work();
}

async function drainOnce({ force }) {
  clearTimeout(timer);
  const me = userId();
  const records = await listOutbox();
  const now = Date.now();
  const damaged = [];
  const due = [];
  let mine = 0;
  for (const record of records) {
    if (record.state === REJECTED || record.state === CORRUPT) continue;
    const contents = readRecord(record);
    if (!contents) {
      damaged.push({ id: record.id, state: CORRUPT, reason: "This record is damaged and cannot be sent." });
      continue;
    }
    // A session recorded by another account waits on this phone until that account logs in.
    if (me === null || contents.owner !== me) continue;
    mine += 1;
    if (force || !(record.next_attempt_at > now)) due.push({ record, payload: contents.payload });
  }
  await settle({ change: damaged });
  if (me === null) {
    setState(records.some((r) => r.state === PENDING) ? "signed-out" : "idle");
    return { sent: 0, left: mine };
  }
  if (!navigator.onLine || !due.length) {
    if (state.phase !== "signed-out" && state.phase !== "reload") setState("idle");
    await schedule();
    return { sent: 0, left: mine };
  }
  setState("sending");
  let outcome = "done";
  for (let start = 0; start < due.length && outcome === "done"; start += BATCH) {
    outcome = await send(due.slice(start, start + BATCH));
  }
  if (outcome === "done") setState("idle");
  await schedule();
  return { sent: due.length, outcome };
}

function post(payloads) {
  return fetch(ENDPOINT, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify({ sessions: payloads }),
  });
}

async function errorMessage(response) {
  try {
    return String((await response.json()).message || "");
  } catch {
    return "";
  }
}

// "done": answered (each item settled), or a reason to stop this drain: "signed-out", "reload", "retrying".
async function send(items, tokenRefreshed = false) {
  let response;
  try {
    response = await post(items.map((item) => item.payload));
  } catch {
    return backOff(items);
  }
  if (response.status === 401 || response.status === 403) {
    // The login expired (or this account may not save sessions): keep everything and ask the user.
    setState("signed-out");
    return "signed-out";
  }
  if (response.status === 400 && /csrf/i.test(await errorMessage(response))) {
    if (!tokenRefreshed && (await refreshToken())) return send(items, true);
    setState(userId() === null ? "signed-out" : "reload");
    return state.phase;
  }
  if (response.status === 413) {
    if (items.length === 1) {
      await settle({ change: [{ id: items[0].record.id, state: REJECTED, reason: "This session is too large to send." }] });
      return "done";
    }
    // One oversized session must not hold back the rest: halve the batch until it stands alone.
    const half = Math.ceil(items.length / 2);
    const first = await send(items.slice(0, half), tokenRefreshed);
    return first === "done" ? send(items.slice(half), tokenRefreshed) : first;
  }
  let results = null;
  if (response.ok) {
    try {
      results = (await response.json()).results;
    } catch {
      results = null;
    }
  }
  if (!Array.isArray(results)) return backOff(items);
  return acknowledge(items, results);
}

async function acknowledge(items, results) {
  const answers = new Map(results.filter((r) => r && typeof r.id === "string").map((r) => [r.id, r]));
  const remove = [];
  const change = [];
  const unanswered = [];
  for (const item of items) {
    const answer = answers.get(item.payload.id) || answers.get(item.payload.id.toLowerCase());
    if (answer?.status === "created" || answer?.status === "duplicate") {
      remove.push(item.record.id);
    } else if (answer?.status === "conflict" || answer?.status === "invalid") {
      // Sending it again would get the same answer: keep it for the user to see, never retry on our own.
      const reason = (answer.errors || []).join("; ") || `The server answered "${answer.status}".`;
      change.push({ id: item.record.id, state: REJECTED, reason });
    } else {
      unanswered.push(item);
    }
  }
  await settle({ remove, change });
  return unanswered.length ? backOff(unanswered) : "done";
}

async function backOff(items) {
  const now = Date.now();
  const change = items.map(({ record }) => {
    const attempts = (record.attempts || 0) + 1;
    return { id: record.id, attempts, next_attempt_at: now + backoffDelay(attempts) };
  });
  await settle({ change });
  setState("retrying", { retryAt: Math.min(...change.map((c) => c.next_attempt_at)) });
  return "retrying";
}

// After a CSRF refusal (the session changed, e.g. a login in another tab): read the token afresh.
async function refreshToken() {
  try {
    const response = await fetch("/", { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } });
    if (!response.ok) return false;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const token = page.querySelector('meta[name="csrf-token"]')?.content;
    const owner = Number.parseInt(page.querySelector('meta[name="user-id"]')?.content || "", 10);
    // Only the account that recorded these sessions may send them.
    if (!token || owner !== userId()) return false;
    await setCsrfToken(token);
    return true;
  } catch {
    return false;
  }
}

// The timer that retries once the earliest backoff has run out (the triggers may come sooner).
async function schedule() {
  clearTimeout(timer);
  if (state.phase === "signed-out" || state.phase === "reload") return;
  const me = userId();
  if (me === null) return;
  const waiting = (await listOutbox()).filter(
    (r) => r.state === PENDING && r.next_attempt_at > 0 && readRecord(r)?.owner === me,
  );
  if (!waiting.length) return;
  const at = Math.min(...waiting.map((r) => r.next_attempt_at));
  if (state.phase !== "retrying") setState("retrying", { retryAt: at });
  timer = setTimeout(() => drain(), Math.max(MIN_DELAY, at - Date.now()));
}

async function registerBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register("outbox");
  } catch {
    // Not every browser has Background Sync; the page's own triggers still drain the outbox.
  }
}

// The triggers of DESIGN.md: app start, online, back to visible, after each save, the worker's sync event.
export function startSync() {
  rememberAccount();
  window.addEventListener("online", () => drain({ force: true }));
  window.addEventListener("offline", () => setState(state.phase === "signed-out" ? "signed-out" : "idle"));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") drain();
  });
  window.addEventListener("outbox:changed", (event) => {
    if (event.detail?.reason !== "enqueued") return;
    registerBackgroundSync();
    drain();
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type !== "drain") return;
    // Not forced: after a server error the backoff stands; the browser retries its sync later anyway.
    drain().then(
      (outcome) => event.ports[0]?.postMessage({ type: "drained", retry: state.phase === "retrying", outcome }),
      () => event.ports[0]?.postMessage({ type: "drained", retry: true }),
    );
  });
  drain();
}
