// Registers the service worker and offers a waiting new version, but never in the middle of a routine.
import { logger } from "./log.js";

const log = logger("update");
const ASK_AGAIN_MS = 2000;

function playing() {
  return document.body.dataset.playing === "true";
}

export function watchForUpdates(root) {
  if (!("serviceWorker" in navigator)) return;
  const banner = root.querySelector("[data-update-banner]");
  let waiting = null;
  let accepted = false;

  // Shown only while a version waits and no routine runs; the player flips body[data-playing].
  const render = () => {
    if (banner) banner.hidden = !waiting || playing();
  };
  new MutationObserver(render).observe(document.body, { attributes: true, attributeFilter: ["data-playing"] });

  const offer = (worker) => {
    waiting = worker;
    render();
  };

  const button = banner?.querySelector("[data-update-reload]");
  let asking = 0;
  button?.addEventListener("click", () => {
    if (!waiting || playing()) return;
    accepted = true;
    button.disabled = true;
    button.textContent = "Updating…";
    // The worker activates only on this message, so a new version never replaces the old one unasked. Asked
    // again until it has taken over: under load Chromium once left a waiting worker unmoved for over a minute
    // after the first message, and asking twice changes nothing once it has.
    const ask = () => waiting.postMessage({ type: "skip-waiting" });
    ask();
    asking = window.setInterval(ask, ASK_AGAIN_MS);
  });

  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Reload only the tab whose user asked; other tabs keep running and update on their next page.
    if (!accepted) return;
    accepted = false;
    window.clearInterval(asking);
    window.location.reload();
  });

  // A module worker, so it can import the outbox's own modules (docs/architecture.md says which browsers
  // that leaves out). Registering a classic one here would replace the module worker with a script that
  // cannot even be parsed: there is no classic fallback to switch to.
  navigator.serviceWorker
    .register("/sw.js", { scope: "/", type: "module", updateViaCache: "none" })
    .then((registration) => {
      const follow = (worker) => {
        worker?.addEventListener("statechange", () => {
          // With no controller this is the first install, not an update: nothing to announce.
          if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
        });
      };
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      // The navigation itself may have found the new version: then "updatefound" fired before this ran,
      // and the worker is still installing. Follow it too, or its banner never shows.
      else follow(registration.installing);
      registration.addEventListener("updatefound", () => follow(registration.installing));
      // The first page after install can load before the worker activates; ask the active worker to take it.
      navigator.serviceWorker.ready.then((ready) => {
        if (!navigator.serviceWorker.controller) ready.active?.postMessage({ type: "claim" });
      });
      // An installed app can stay open for days: look for a new version whenever it comes back.
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState !== "visible") return;
        registration.update().catch((error) => log.warn("looking for a new version of the app (offline?)", error));
      });
    })
    .catch((error) => {
      // Without a worker the app still works online and the page still keeps and sends sessions itself;
      // only opening pages offline is lost. Private windows may refuse workers (SecurityError); any other
      // failure in a supported browser is a fault of ours (or a browser without module service workers).
      const doing = "starting the offline worker; the app works online only";
      if (error?.name === "SecurityError") log.warn(doing, error);
      else log.fault(doing, error);
    });
}
