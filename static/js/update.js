// Registers the service worker and offers a waiting new version, but never in the middle of a routine.
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

  banner?.querySelector("[data-update-reload]")?.addEventListener("click", () => {
    if (!waiting || playing()) return;
    accepted = true;
    // The worker activates only on this message, so a new version never replaces the old one unasked.
    waiting.postMessage({ type: "skip-waiting" });
  });

  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Reload only the tab whose user asked; other tabs keep running and update on their next page.
    if (!accepted) return;
    accepted = false;
    window.location.reload();
  });

  navigator.serviceWorker
    .register("/sw.js", { scope: "/", updateViaCache: "none" })
    .then((registration) => {
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        worker?.addEventListener("statechange", () => {
          // With no controller this is the first install, not an update: nothing to announce.
          if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
        });
      });
      // The first page after install can load before the worker activates; ask the active worker to take it.
      navigator.serviceWorker.ready.then((ready) => {
        if (!navigator.serviceWorker.controller) ready.active?.postMessage({ type: "claim" });
      });
      // An installed app can stay open for days: look for a new version whenever it comes back.
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") registration.update().catch(() => {});
      });
    })
    .catch(() => {
      // Without a worker the app still works online; nothing to tell the user.
    });
}
