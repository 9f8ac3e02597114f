// Offers to install the app: the browser's own prompt where it has one, and the two steps on iOS Safari.
import { logger } from "./log.js";

const DISMISSED = "coresteady-install-dismissed";
const QUIET_FOR = 30 * 24 * 60 * 60 * 1000;
const log = logger("install");

function standalone() {
  return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

// iPadOS reports itself as a Mac; a touch screen gives it away.
function iosSafari() {
  const agent = navigator.userAgent;
  const ios = /iPhone|iPad|iPod/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
  return ios && /Safari/.test(agent) && !/CriOS|FxiOS|EdgiOS/.test(agent);
}

function dismissedRecently() {
  try {
    return Date.now() - Number(localStorage.getItem(DISMISSED) || 0) < QUIET_FOR;
  } catch (error) {
    log.warn("reading whether the install card was dismissed (storage off)", error);
    return false;
  }
}

export function offerInstall(root) {
  const card = root.querySelector("[data-install]");
  if (!card || standalone()) return;
  const install = card.querySelector("[data-install-button]");
  const steps = card.querySelector("[data-install-ios]");
  let offer = null;

  const hide = () => {
    card.hidden = true;
  };

  // Chromium: keep the browser's prompt and show it when the user asks, not on page load.
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    offer = event;
    if (dismissedRecently()) return;
    install.hidden = false;
    card.hidden = false;
  });
  install?.addEventListener("click", async () => {
    if (!offer) return;
    const shown = offer;
    offer = null;
    hide();
    await shown.prompt();
  });
  window.addEventListener("appinstalled", hide);
  card.querySelector("[data-install-dismiss]")?.addEventListener("click", () => {
    try {
      localStorage.setItem(DISMISSED, String(Date.now()));
    } catch (error) {
      // Storage refused: the card comes back next time, which is harmless.
      log.warn("remembering that the install card was dismissed", error);
    }
    hide();
  });

  // Safari on iOS has no prompt: tell the user where the menu item is.
  if (iosSafari() && !dismissedRecently()) {
    steps.hidden = false;
    card.hidden = false;
  }
}
