// Keeps the signed-in user's offline package (plan, routines, exercises, lessons) in the worker's cache.
import { userId } from "./identity.js";
import { logger } from "./log.js";

const log = logger("offline");

const MANIFEST = "/api/v1/offline-manifest";
// Caching a hundred pages on a slow line takes a while; past this the page stops waiting for an answer.
const ANSWER_TIMEOUT = 120000;

// Posts a message to the active worker and waits for its answer on a private channel.
function ask(worker, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

async function fetchManifest() {
  if (!navigator.onLine) return null;
  try {
    const response = await fetch(MANIFEST, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return null;
    const manifest = await response.json();
    return typeof manifest.version === "string" && Array.isArray(manifest.urls) ? manifest : null;
  } catch (error) {
    log.warn("fetching the list of pages to keep offline; checking the package already on the phone", error);
    return null;
  }
}

function showReady(root, answer) {
  const ready = answer?.ready === true;
  document.documentElement.dataset.offlineReady = String(ready);
  // The notes have an attribute of their own: the page's root now carries data-offline-ready too, and
  // hiding everything that matched it once blanked the whole page while the package was not ready.
  for (const note of root.querySelectorAll("[data-offline-note]")) note.hidden = !ready;
  window.dispatchEvent(new CustomEvent("offline:ready", { detail: { ready, version: answer?.version || null } }));
}

// Logging out on purpose takes this user's pages off the phone (an expired login keeps them).
function forgetOnLogout(root) {
  for (const form of root.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", () => navigator.serviceWorker.controller?.postMessage({ type: "forget-package" }));
  }
}

export async function prepareOffline(root) {
  if (!("serviceWorker" in navigator)) return;
  forgetOnLogout(root);
  const me = userId();
  if (me === null) return;
  const registration = await navigator.serviceWorker.ready;
  const manifest = await fetchManifest();
  // Offline (or the server is away): ask whether the package cached earlier is still complete.
  const message = manifest ? { type: "cache-package", user_id: me, ...manifest } : { type: "package-status", user_id: me };
  showReady(root, await ask(registration.active, message));
}
