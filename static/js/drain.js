// What leaves the outbox, for the page (sync.js) and the service worker (sw.js) alike: each kind's due
// records, oldest first, posted in batches; the server's answer for each one decides whether it goes,
// stays to be shown to the person, or waits to be tried again. There is no other copy of these rules.
import { kindOf } from "./kinds.js";
import { logger } from "./log.js";
import { CORRUPT, PENDING, REJECTED, listOutbox, readRecord, settle } from "./outbox.js";

export const BATCH = 100;
const BASE_DELAY = 2000;
const MAX_DELAY = 5 * 60 * 1000;
// Never spin: even a "full jitter" draw of almost zero waits this long before the next try.
export const MIN_DELAY = 250;
// Held by whichever drains, page or worker: two at once would only send duplicates (which the server
// ignores), but one at a time keeps the attempt counts true.
const LOCK = "coresteady-outbox";

const log = logger("drain");

// Full jitter: a random wait between zero and an exponentially growing ceiling, so phones that
// lost the server at the same moment do not all come back at the same moment.
export function backoffDelay(attempts) {
  const ceiling = Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.max(0, attempts - 1));
  return Math.max(MIN_DELAY, Math.random() * ceiling);
}

function exclusive(work) {
  if (globalThis.navigator?.locks?.request) return navigator.locks.request(LOCK, work);
  return work();
}

// Records of `me` that wait for a retry, with the moment the earliest one is due (or null).
export function nextAttemptAt(records, me) {
  const times = records
    .filter((r) => r.state === PENDING && r.next_attempt_at > 0 && kindOf(r) && readRecord(r)?.owner === me)
    .map((r) => r.next_attempt_at);
  return times.length ? Math.min(...times) : null;
}

/**
 * One pass over the outbox for the signed-in account.
 *   me: that account's id, or null when nobody is signed in (nothing is sent then);
 *   csrfToken(): the token to send; refreshToken(): reads a fresh one, true if it did (optional);
 *   force: ignore the backoff (the phone just came online, the person tapped "Try again", Background Sync).
 * Resolves to {outcome, sent, left}: outcome "signed-out" (a 401 or 403, or nobody signed in with records
 * waiting), "reload" (the token is refused and no fresh one could be read), "retrying" (something is
 * backed off), "offline", or "done" (every due record got its answer). left: the account's waiting records.
 */
export function drainOutbox({ me, csrfToken, refreshToken = async () => false, force = false }) {
  return exclusive(() => pass({ me, csrfToken, refreshToken, force }));
}

async function pass({ me, csrfToken, refreshToken, force }) {
  const records = await listOutbox();
  const now = Date.now();
  const damaged = [];
  const due = [];
  let mine = 0;
  for (const record of records) {
    if (record.state === REJECTED || record.state === CORRUPT) continue;
    // A kind this version of the app does not know (written by a newer one) waits untouched.
    if (!kindOf(record)) continue;
    const contents = readRecord(record);
    if (!contents) {
      damaged.push({ id: record.id, state: CORRUPT, reason: "This record is damaged and cannot be sent." });
      continue;
    }
    // A record made by another account waits on this phone until that account logs in.
    if (me === null || contents.owner !== me) continue;
    mine += 1;
    if (force || !(record.next_attempt_at > now)) due.push({ record, payload: contents.payload });
  }
  if (damaged.length) {
    log.warn(`marking ${damaged.length} damaged record(s) so they are shown, never sent`);
    await settle({ change: damaged });
  }
  if (me === null) {
    return { outcome: records.some((r) => r.state === PENDING) ? "signed-out" : "done", sent: 0, left: 0 };
  }
  if (!due.length) return { outcome: "done", sent: 0, left: mine };
  if (globalThis.navigator?.onLine === false) return { outcome: "offline", sent: 0, left: mine };

  const session = { csrfToken, refreshToken, tokenRefreshed: false };
  let retrying = false;
  // Kinds in the order of their oldest due record, each oldest first: what was made first arrives first.
  for (const items of byKind(due)) {
    const kind = kindOf(items[0].record);
    let outcome = "done";
    for (let start = 0; start < items.length && outcome === "done"; start += BATCH) {
      outcome = await send(kind, items.slice(start, start + BATCH), session);
    }
    // The login and its token are the account's, not the kind's: no other kind would fare better.
    if (outcome === "signed-out" || outcome === "reload") return { outcome, sent: 0, left: mine };
    // A kind the server keeps failing is backed off on its own; the next kind is still sent.
    if (outcome === "retrying") retrying = true;
  }
  return { outcome: retrying ? "retrying" : "done", sent: due.length, left: mine };
}

function created(item) {
  return item.record.created_at || 0;
}

function byKind(due) {
  const sorted = [...due].sort((a, b) => created(a) - created(b) || String(a.record.id).localeCompare(String(b.record.id)));
  const groups = new Map();
  for (const item of sorted) {
    const name = item.record.kind || "session";
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(item);
  }
  return [...groups.values()];
}

function post(kind, payloads, token) {
  return fetch(kind.endpoint, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
    body: JSON.stringify({ [kind.key]: payloads }),
  });
}

async function errorMessage(response) {
  try {
    return String((await response.json()).message || "");
  } catch (error) {
    log.warn(`reading the ${response.status} answer of ${response.url} (not JSON)`, error);
    return "";
  }
}

// "done": answered (each item settled), or a reason to stop: "signed-out", "reload", "retrying".
async function send(kind, items, session) {
  let response;
  try {
    response = await post(
      kind,
      items.map((item) => item.payload),
      session.csrfToken(),
    );
  } catch (error) {
    // Offline, or the server is out of reach: expected on a phone, tried again later.
    log.warn(`sending ${items.length} record(s) to ${kind.endpoint}; will try again`, error);
    return backOff(items);
  }
  if (response.status === 401 || response.status === 403) {
    // The login expired (or this account may not send these): keep everything and ask the person.
    log.warn(`${kind.endpoint} answered ${response.status}: waiting for the person to log in`);
    return "signed-out";
  }
  if (response.status === 400 && /csrf/i.test(await errorMessage(response.clone()))) {
    if (!session.tokenRefreshed) {
      session.tokenRefreshed = true;
      if (await session.refreshToken()) return send(kind, items, session);
    }
    log.warn(`${kind.endpoint} refused the CSRF token and no fresh one could be read: the page must be reloaded`);
    return "reload";
  }
  if (response.status === 413) {
    if (items.length === 1) {
      // Over the server's 1 MB limit on its own: sending it again can never work.
      log.warn(`record ${items[0].record.id} is too large for ${kind.endpoint}; kept for the person to see`);
      await reject(kind, items[0], { status: "too-large" });
      return "done";
    }
    // One oversized record must not hold back the rest: halve the batch until it stands alone.
    const half = Math.ceil(items.length / 2);
    const first = await send(kind, items.slice(0, half), session);
    return first === "done" ? send(kind, items.slice(half), session) : first;
  }
  if (!response.ok) {
    const problem = `${kind.endpoint} answered ${response.status}; will try again`;
    // The server failing or away (5xx, a proxy's 404) is expected now and then; another 4xx is ours to fix.
    if (response.status >= 500 || response.status === 404 || response.status === 408 || response.status === 429) log.warn(problem);
    else log.fault(`${problem} (${await errorMessage(response)})`);
    return backOff(items, retryAfterMs(response));
  }
  let results = null;
  try {
    results = (await response.json()).results;
  } catch (error) {
    log.warn(`reading the answer of ${kind.endpoint} (not JSON: a proxy or portal in the way?); will try again`, error);
  }
  if (!Array.isArray(results)) return backOff(items);
  return acknowledge(kind, items, results);
}

async function reject(kind, item, answer) {
  const reason = kind.explain(answer, item.payload).text;
  await settle({ change: [{ id: item.record.id, state: REJECTED, answer, reason }] });
}

// Matches each answer to its record by the client's id (the server writes UUIDs in lower case).
async function acknowledge(kind, items, results) {
  const answers = new Map(results.filter((r) => r && typeof r.id === "string").map((r) => [r.id, r]));
  const remove = [];
  const change = [];
  const unanswered = [];
  for (const item of items) {
    const answer = answers.get(item.payload.id) || answers.get(item.payload.id.toLowerCase());
    if (answer?.status === "created" || answer?.status === "duplicate") {
      remove.push(item.record.id);
    } else if (answer?.status === "conflict" || answer?.status === "invalid") {
      // Sending it again would get the same answer: keep it for the person to see, never retry on our own.
      const kept = { status: answer.status, errors: Array.isArray(answer.errors) ? answer.errors.map(String) : [] };
      change.push({ id: item.record.id, state: REJECTED, answer: kept, reason: kind.explain(kept, item.payload).text });
    } else {
      unanswered.push(item);
    }
  }
  if (change.length) log.warn(`${kind.endpoint} refused ${change.length} record(s); kept for the person to see`);
  await settle({ remove, change });
  if (unanswered.length) log.warn(`${kind.endpoint} gave no answer for ${unanswered.length} record(s); will try again`);
  return unanswered.length ? backOff(unanswered) : "done";
}

// The wait a 503 or 429 asks for ("Retry-After: 30", in seconds), up to an hour; 0 when none is given.
export function retryAfterMs(response) {
  const seconds = Number(response.headers?.get?.("Retry-After"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : 0;
}

async function backOff(items, atLeast = 0) {
  const now = Date.now();
  const change = items.map(({ record }) => {
    const attempts = (record.attempts || 0) + 1;
    return { id: record.id, attempts, next_attempt_at: now + Math.max(backoffDelay(attempts), atLeast) };
  });
  await settle({ change });
  return "retrying";
}
