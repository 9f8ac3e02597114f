// What the page knows of the signed-in account: its id, its email and the CSRF token for JSON writes.
import { logger } from "./log.js";
import { writeMeta } from "./outbox.js";

const log = logger("identity");

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`);
}

// The signed-in user's id, or null on a page rendered for a visitor (or after logging out).
export function userId() {
  const value = Number.parseInt(meta("user-id")?.content || "", 10);
  return Number.isInteger(value) ? value : null;
}

export function userEmail() {
  return meta("user-email")?.content || null;
}

export function csrfToken() {
  return meta("csrf-token")?.content || "";
}

export function setCsrfToken(token) {
  const tag = meta("csrf-token");
  if (tag) tag.content = token;
  return rememberAccount();
}

// The service worker cannot read the page, so it finds the account and token here when it drains
// the outbox on its own (Background Sync with no page open).
export async function rememberAccount() {
  try {
    await writeMeta({ key: "account", user_id: userId(), csrf_token: userId() ? csrfToken() : null, at: Date.now() });
  } catch (error) {
    // Private modes may refuse IndexedDB; the page itself still syncs.
    log.warn("leaving the account for the service worker", error);
  }
}
