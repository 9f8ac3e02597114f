// The player's lock: until the safety check is answered (first time, due again, or an answer waiting for a
// clinician), the player opens the screen first, online or off. The server redirects the page itself online;
// this covers the phone's copy of the page and answers given on the phone that the server has not seen yet.
import { logger } from "../log.js";
import { rememberNext } from "./screen.js";
import { remember, standing } from "./standing.js";

const log = logger("safety");

// Resolves true when the player may run; otherwise the page is on its way to the screen.
export async function playerMayRun(me, embedded, location = globalThis.location) {
  try {
    if (embedded) remember(me, embedded);
    const now = await standing(me);
    if (!now.mustAnswer) return true;
    const here = location.pathname;
    rememberNext(here);
    // Offline, only the phone's copy of /safety/ answers (a query string would miss it).
    location.replace(globalThis.navigator?.onLine === false ? "/safety/" : `/safety/?next=${encodeURIComponent(here)}`);
    return false;
  } catch (error) {
    // The phone's own record could not be read: the server's word, embedded in this page, decides.
    log.warn("reading the safety check on the phone before the player starts", error);
    return !(embedded?.standing?.state && embedded.standing.state !== "ok");
  }
}
