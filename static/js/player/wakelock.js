// Keeps the screen on while a routine plays (Screen Wake Lock), and quietly does nothing where it is missing.
import { logger } from "../log.js";

const log = logger("player");

function releasing(lock) {
  lock.release().catch((error) => log.warn("letting the screen sleep again", error));
}

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
        releasing(lock);
        return;
      }
      sentinel = lock;
      lock.addEventListener("release", () => {
        if (sentinel === lock) sentinel = null;
      });
    } catch (error) {
      // Refused (battery saver, no permission): the routine runs all the same.
      log.warn("keeping the screen on during the routine", error);
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
      if (lock) releasing(lock);
    },
    get held() {
      return sentinel !== null;
    },
  };
}
