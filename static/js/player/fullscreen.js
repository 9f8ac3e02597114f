// The routine fills the screen where the browser lets a page do so (the Fullscreen API; not on iPhones, where
// the installed app already hides the browser's bars). Asked for only from a tap, as browsers require.
import { logger } from "../log.js";

const log = logger("player");

export function createFullscreen(doc = document) {
  const able = Boolean(doc.fullscreenEnabled && doc.documentElement.requestFullscreen);
  return {
    enter() {
      if (!able || doc.fullscreenElement) return;
      // navigationUI "hide": the phone's own navigation bar goes too, where the browser offers that.
      doc.documentElement.requestFullscreen({ navigationUI: "hide" }).catch((error) => {
        // Refused (no recent tap, a policy, a browser setting): the routine runs in the page as before.
        log.warn("filling the screen for the routine", error);
      });
    },
    leave() {
      if (!doc.fullscreenElement) return;
      doc.exitFullscreen().catch((error) => log.warn("leaving full screen", error));
    },
  };
}
