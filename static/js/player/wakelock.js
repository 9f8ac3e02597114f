// Keeps the screen on while a routine plays (Screen Wake Lock), and quietly does nothing where it is missing.

export function createWakeLock(nav = globalThis.navigator, doc = globalThis.document) {
  const supported = Boolean(nav && nav.wakeLock && typeof nav.wakeLock.request === "function");
  let wanted = false;
  let sentinel = null;
  let asking = null;

  async function acquire() {
    if (!supported || !wanted || sentinel || asking || doc.visibilityState !== "visible") return;
    asking = nav.wakeLock.request("screen");
    try {
      const lock = await asking;
      // Paused or finished while the request was on its way: give it straight back.
      if (!wanted) {
        lock.release().catch(() => {});
        return;
      }
      sentinel = lock;
      lock.addEventListener("release", () => {
        if (sentinel === lock) sentinel = null;
      });
    } catch {
      // Refused (battery saver, no permission): the routine runs all the same.
    } finally {
      asking = null;
    }
  }

  // The browser drops the lock whenever the page is hidden; take it again on the way back.
  doc.addEventListener("visibilitychange", () => {
    if (doc.visibilityState === "visible") acquire();
  });

  return {
    supported,
    hold() {
      wanted = true;
      return acquire();
    },
    release() {
      wanted = false;
      const lock = sentinel;
      sentinel = null;
      if (lock) lock.release().catch(() => {});
    },
    get held() {
      return sentinel !== null;
    },
  };
}
