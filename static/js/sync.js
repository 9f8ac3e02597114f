// When the page drains the outbox (drain.js decides what leaves it): the triggers, the retry timer, a fresh
// CSRF token after a login elsewhere, and the sync state the status pill shows.
import { csrfToken, rememberAccount, setCsrfToken, userId } from "./identity.js";
import { MIN_DELAY, drainOutbox, nextAttemptAt } from "./drain.js";
import { logger } from "./log.js";
import { describeStorageError, listOutbox } from "./outbox.js";

const log = logger("sync");

// What the last drain learnt, for the status pill: "idle", "retrying", "signed-out", "reload".
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
        outcome = await drainOnce(options).catch((error) => {
          // Storage switched off is the phone's state (the status pill says so); anything else is ours.
          if (describeStorageError(error)) log.warn("draining the outbox", error);
          else log.fault("draining the outbox", error);
          return { error: String(error) };
        });
        options = again || options;
      } while (again);
    } finally {
      running = null;
    }
    return outcome;
  })();
  return running;
}

async function drainOnce({ force }) {
  clearTimeout(timer);
  const result = await drainOutbox({ me: userId(), csrfToken, refreshToken, force });
  if (result.outcome === "signed-out" || result.outcome === "reload") {
    setState(result.outcome);
    return result;
  }
  // "Log in" or "reload" stands until something got through: a drain with nothing due proves nothing.
  if (result.sent > 0 || !["signed-out", "reload"].includes(state.phase)) setState("idle");
  await schedule();
  return result;
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
  } catch (error) {
    log.warn("reading a fresh CSRF token from the home page", error);
    return false;
  }
}

// The timer that retries once the earliest backoff has run out (the triggers may come sooner).
async function schedule() {
  clearTimeout(timer);
  if (state.phase === "signed-out" || state.phase === "reload") return;
  const me = userId();
  if (me === null) return;
  const at = nextAttemptAt(await listOutbox(), me);
  if (at === null) return;
  setState("retrying", { retryAt: at });
  timer = setTimeout(() => drain(), Math.max(MIN_DELAY, at - Date.now()));
}

async function registerBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register("outbox");
  } catch (error) {
    // Not every browser has Background Sync; the page's own triggers still drain the outbox.
    log.warn("asking for Background Sync", error);
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
      (error) => {
        log.fault("draining the outbox for the service worker", error);
        event.ports[0]?.postMessage({ type: "drained", retry: true });
      },
    );
  });
  drain();
}
