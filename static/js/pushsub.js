// This browser and Web Push: what it can do, and signing it up with its push service for the signed-in person
// (the worker shows what arrives: static/sw.js). The reminders card and the trainer's alerts card use it.
import { csrfToken } from "./identity.js";

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
export function support() {
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

// A JSON call to the API with the page's CSRF token; rejects with the server's own message when it refuses.
export async function send(url, method, body) {
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
// card: the element whose data-key-url and data-subscriptions-url name the API (built by the server).
export async function subscribe(card) {
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

export async function subscribed() {
  if (!canPush() || Notification.permission !== "granted") return false;
  const registration = await navigator.serviceWorker.getRegistration();
  return Boolean(await registration?.pushManager.getSubscription());
}

// This browser no longer reached: the server forgets it, then the push service does.
export async function unsubscribe(card) {
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await send(card.dataset.subscriptionsUrl, "DELETE", { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
}
