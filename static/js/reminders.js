// The reminders card on Today and the settings page: on or off, the time, email too, and whether this
// browser can show notifications. Turning reminders on asks for permission and signs this browser up with
// its push service (the worker shows what arrives: static/sw.js). Settings go to /api/v1/reminders.
import { csrfToken } from "./identity.js";
import { logger } from "./log.js";

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

function standalone() {
  return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

// iPadOS reports itself as a Mac; a touch screen gives it away.
function appleMobile() {
  const agent = navigator.userAgent;
  return /iPhone|iPad|iPod/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
}

function canPush() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

// What this browser can do: "ok", "denied", "iphone" (Safari outside the Home Screen app) or "unsupported".
function support() {
  if (appleMobile() && !standalone()) return "iphone";
  if (!canPush()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return "ok";
}

function keyBytes(base64url) {
  const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
}

function sameKey(subscription, key) {
  const current = subscription.options?.applicationServerKey;
  if (!current) return true;
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((byte, index) => byte === key[index]);
}

async function send(url, method, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message || `the server answered ${response.status}`);
  return answer;
}

// This browser's subscription, made with the server's current key (one made with an older key is replaced).
async function subscribe(card) {
  const registration = await navigator.serviceWorker.ready;
  const { public_key: publicKey } = await send(card.dataset.keyUrl, "GET");
  const key = keyBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ||= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await send(card.dataset.subscriptionsUrl, "POST", subscription.toJSON());
}

async function subscribed() {
  if (!canPush() || Notification.permission !== "granted") return false;
  const registration = await navigator.serviceWorker.getRegistration();
  return Boolean(await registration?.pushManager.getSubscription());
}

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
