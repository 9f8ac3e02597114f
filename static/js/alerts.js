// The trainer's alerts card (the account page): this browser's notifications on or off for a client's new message
// and, at once, a client's safety answer that needs a clinician (webapp/sessions/screens.tell_the_trainer). Its
// own entry module: the trainer's pages are never kept offline, so the app shell does not carry it.
import { logger } from "./log.js";
import { subscribe, subscribed, support, unsubscribe } from "./pushsub.js";

const log = logger("alerts");

const WORDS = {
  on: "This browser shows your alerts.",
  off: "Alerts are off in this browser.",
  asking: "Your browser is asking whether CoreSteady may show notifications.",
  denied: "Notifications are blocked for CoreSteady in this browser's settings. Allow them there and come back; meanwhile your dashboard shows the same flags and messages.",
  dismissed: "Notifications were not allowed, so alerts cannot show in this browser. Tap the button again to be asked once more.",
  iphone:
    "On an iPhone or iPad, alerts come only to CoreSteady added to the Home Screen (iOS 16.4 or later): tap Share, then Add to Home Screen, and open CoreSteady from there.",
  unsupported: "This browser cannot show notifications from a web app. Your dashboard shows the same flags and messages.",
  failed: "This browser could not be signed up for alerts just now. Try again later.",
};
// The states in which a tap can turn alerts on.
const OFFERED = new Set(["off", "dismissed", "failed"]);

function enhance(card) {
  const status = card.querySelector("[data-alerts-status]");
  const on = card.querySelector("[data-alerts-on]");
  const off = card.querySelector("[data-alerts-off]");

  const show = (state) => {
    status.textContent = WORDS[state];
    card.dataset.alertsState = state;
    on.hidden = !OFFERED.has(state);
    off.hidden = state !== "on";
  };

  const refresh = async () => {
    const can = support();
    if (can !== "ok") return show(can);
    if (!(await subscribed().catch(() => false))) return show("off");
    show("on");
    // Keep the server's copy of this browser current (a push service may renew it): a POST, only when on.
    return subscribe(card).catch((error) => log.warn("renewing this browser's alerts", error));
  };

  on.addEventListener("click", async () => {
    on.disabled = true;
    try {
      if (Notification.permission === "default") {
        show("asking");
        const answer = await Notification.requestPermission();
        if (answer !== "granted") return show(answer === "denied" ? "denied" : "dismissed");
      }
      await subscribe(card);
      return show("on");
    } catch (error) {
      log.warn("signing this browser up for alerts", error);
      return show("failed");
    } finally {
      on.disabled = false;
    }
  });

  off.addEventListener("click", async () => {
    try {
      await unsubscribe(card);
    } catch (error) {
      log.warn("stopping alerts in this browser", error);
    }
    await refresh();
  });

  refresh();
}

const card = document.querySelector("[data-alerts]");
if (card) enhance(card);
