// The reminders card on Today and the settings page: on or off, the time, email too, and whether this
// browser can show notifications. Turning reminders on asks for permission and signs this browser up with
// its push service (the worker shows what arrives: static/sw.js). Settings go to /api/v1/reminders.
import { logger } from "./log.js";
import { send, subscribe, subscribed, support } from "./pushsub.js";

const log = logger("reminders");

const WORDS = {
  receiving: "This browser shows your reminders.",
  notYet: "Turn reminders on to get them in this browser.",
  notHere: "Reminders are on, but this browser does not show them yet.",
  asking: "Your browser is asking whether CoreSteady may show notifications.",
  denied:
    "Notifications are blocked for CoreSteady in this browser's settings, so reminders cannot show here. Allow them there and come back, or use one of the ways below.",
  dismissed: "Notifications were not allowed, so reminders cannot show in this browser. Turn reminders on again to be asked once more.",
  iphone:
    "On an iPhone or iPad, reminders come only to CoreSteady added to the Home Screen (iOS 16.4 or later): tap Share, then Add to Home Screen, and open CoreSteady from there.",
  unsupported: "This browser cannot show notifications from a web app.",
  failed: "This browser could not be signed up for reminders just now. Try again later.",
  offline: "You are offline, so this could not be saved. Try again once you are connected.",
};

export function enhanceReminders(root) {
  const card = root.querySelector("[data-reminders]");
  if (!card) return;
  const form = card.querySelector("[data-reminders-form]");
  const enabled = card.querySelector("[data-reminders-enabled]");
  const time = card.querySelector("[data-reminders-time]");
  const email = card.querySelector("[data-reminders-email]");
  const status = card.querySelector("[data-reminders-support]");
  const alternatives = card.querySelector("[data-reminders-alternatives]");
  const saved = card.querySelector("[data-reminders-saved]");
  const here = card.querySelector("[data-reminders-here]");
  // Each change is saved as it is made, so the plain form's Save button and its note are for pages without us.
  card.querySelector("[data-reminders-noscript]").hidden = true;

  const say = (words, { offerOthers = false } = {}) => {
    status.textContent = words;
    card.dataset.remindersState = Object.keys(WORDS).find((name) => WORDS[name] === words) || "";
    alternatives.hidden = !offerOthers;
    // On (for email, or another phone) but not in this browser: one tap signs this one up too.
    here.hidden = words !== WORDS.notHere;
  };

  const showSupport = async () => {
    const can = support();
    if (can !== "ok") {
      say(WORDS[can], { offerOthers: true });
      return;
    }
    if (!enabled.checked) {
      say(WORDS.notYet);
      return;
    }
    say((await subscribed().catch(() => false)) ? WORDS.receiving : WORDS.notHere);
  };

  const save = async (changes, undo) => {
    saved.textContent = "";
    try {
      const answer = await send(card.dataset.settingsUrl, "PUT", changes);
      enabled.checked = answer.enabled;
      time.value = answer.time;
      email.checked = answer.email;
      saved.textContent = answer.enabled ? `Saved: reminders on at ${answer.time}.` : "Saved: reminders off.";
      return true;
    } catch (error) {
      log.warn("saving the reminder settings", error);
      undo();
      saved.textContent = navigator.onLine ? `Not saved: ${error.message}` : WORDS.offline;
      return false;
    }
  };

  // Turning on: the browser's question first (it needs the tap), then the settings, then this browser.
  const turnOn = async () => {
    let can = support();
    if (can === "ok" && Notification.permission === "default") {
      say(WORDS.asking);
      const answer = await Notification.requestPermission();
      if (answer !== "granted") {
        log.warn(`notifications were not allowed (${answer}); reminders stay on for email or another device`);
        can = answer === "denied" ? "denied" : "dismissed";
      }
    }
    if (!(await save({ enabled: true }, () => (enabled.checked = false)))) return showSupport();
    if (can === "dismissed") return say(WORDS.dismissed, { offerOthers: true });
    if (can !== "ok") return showSupport();
    try {
      await subscribe(card);
      say(WORDS.receiving);
    } catch (error) {
      log.warn("signing this browser up for reminders", error);
      say(navigator.onLine ? WORDS.failed : WORDS.offline, { offerOthers: true });
    }
  };

  here.addEventListener("click", () => turnOn());
  enabled.addEventListener("change", () => {
    if (enabled.checked) turnOn();
    else save({ enabled: false }, () => (enabled.checked = true)).then(showSupport);
  });
  // Enter in the time field would send the plain form and leave the page; the change is saved here instead.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    time.dispatchEvent(new Event("change"));
  });
  time.addEventListener("change", () => {
    const before = time.defaultValue;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time.value)) {
      saved.textContent = "Choose a time of day, such as 07:30.";
      return;
    }
    save({ time: time.value }, () => (time.value = before)).then((ok) => {
      if (ok) time.defaultValue = time.value;
    });
  });
  email.addEventListener("change", () => {
    const chosen = email.checked;
    save({ email: chosen }, () => (email.checked = !chosen));
  });

  showSupport();
  // Reminders on and notifications allowed: keep the server's copy of this browser's subscription current
  // (a push service may renew it). A POST, and only then; nothing is written on a plain visit otherwise.
  if (enabled.checked && support() === "ok" && Notification.permission === "granted" && navigator.onLine) {
    subscribe(card)
      .then(() => say(WORDS.receiving))
      .catch((error) => log.warn("renewing this browser's reminder subscription", error));
  }
}

enhanceReminders(document);
