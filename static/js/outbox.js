// The outbox: records saved on this phone (IndexedDB) until the server has acknowledged each one.
// The page and the service worker both import this module, so it must not need window or document.
import { KINDS } from "./kinds.js";
import { logger } from "./log.js";

const DB_NAME = "coresteady";
// Version 2 added the "meta" store (the signed-in account and its CSRF token, for the service worker).
// Kinds of record need no new store: every kind shares "outbox" and names itself in `kind`. Raising the
// version makes a tab still running the previous release fail to open the database (VersionError) and so
// fail to save a session: raise it only for a change of stores or indexes, never for a new kind.
const DB_VERSION = 2;
const STORE = "outbox";
const META = "meta";
// Other tabs and the service worker hear about changes here, so every open page shows the same count.
const CHANNEL = "coresteady-outbox";

export const PENDING = "pending";
export const REJECTED = "rejected";
export const CORRUPT = "corrupt";
// A session's traffic light (webapp/sessions/rules.py), kept beside it while it waits.
export const LIGHTS = new Set(["green", "amber", "red"]);

const log = logger("outbox");
let opening = null;
let channel = null;

export function openDatabase() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        // Each step only adds what is missing, so the sessions already queued survive every upgrade.
        const db = request.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "id" });
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: "key" });
      };
      request.onsuccess = () => {
        const db = request.result;
        // A newer version of the app (another tab, after an update) must be able to upgrade the database.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
    // Also when indexedDB itself is missing (open() throws): the next call tries afresh.
    const attempt = opening;
    attempt.catch(() => {
      if (opening === attempt) opening = null;
    });
  }
  return opening;
}

function finished(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = transaction.onerror = () => reject(transaction.error);
  });
}

function broadcast() {
  if (typeof BroadcastChannel === "undefined") return null;
  if (!channel) {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = () => announce("elsewhere", false);
  }
  return channel;
}

// Pages hear "outbox:changed"; the worker has no window and only tells the pages.
function announce(reason, tellOthers = true) {
  if (typeof window !== "undefined") window.dispatchEvent(new CustomEvent("outbox:changed", { detail: { reason } }));
  if (tellOthers) broadcast()?.postMessage({ reason });
}

// Start hearing changes made by other tabs and the worker, even before this page writes anything.
export function listenForChanges() {
  broadcast();
}

// The account the session belongs to, in words, for "waiting for alex@example.com to log in".
function accountLabel() {
  if (typeof document === "undefined") return null;
  return document.querySelector('meta[name="user-email"]')?.content || null;
}

// Resolves only once the record is durably written: only then may the page say "saved".
// kind: a name in KINDS; payload: the item exactly as its endpoint takes it, with the client's UUID in
// `id` and the recording account in `user_id`. details.label (e.g. the routine's name) and details.light (a
// session's traffic light, as the player judged it) are shown in the history while the record waits.
export async function enqueue(kind, payload, details = {}) {
  if (!KINDS.has(kind)) throw new TypeError(`the outbox cannot send records of kind ${kind}`);
  if (!payload || typeof payload.id !== "string" || !Number.isInteger(payload.user_id)) {
    throw new TypeError("a record needs its own id and the id of the user who recorded it");
  }
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).put({
    id: payload.id,
    kind,
    user_id: payload.user_id,
    account: details.account || accountLabel(),
    label: details.label || null,
    light: LIGHTS.has(details.light) ? details.light : null,
    payload,
    state: PENDING,
    attempts: 0,
    reason: null,
    created_at: Date.now(),
    next_attempt_at: 0,
  });
  await finished(transaction);
  announce("enqueued");
  requestPersistence();
  return payload.id;
}

export function enqueueSession(payload, details = {}) {
  return enqueue("session", payload, details);
}

export async function listOutbox() {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readonly");
  const request = transaction.objectStore(STORE).getAll();
  await finished(transaction);
  return request.result;
}

// For pages that only draw the outbox: one that cannot be opened (storage blocked) reads as empty.
export async function listOutboxOrEmpty() {
  try {
    return await listOutbox();
  } catch (error) {
    log.warn("reading the outbox to draw it; showing it as empty", error);
    return [];
  }
}

export async function updateItem(record) {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).put(record);
  await finished(transaction);
  announce("updated");
}

export async function removeItem(id) {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).delete(id);
  await finished(transaction);
  announce("removed");
}

// Applies the server's answers in one transaction: removes the acknowledged records and merges
// changes into the others. A record deleted meanwhile (the user tapped Delete) is not brought back.
export async function settle({ remove = [], change = [] }) {
  if (!remove.length && !change.length) return;
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  const store = transaction.objectStore(STORE);
  for (const id of remove) store.delete(id);
  for (const { id, ...fields } of change) {
    const request = store.get(id);
    request.onsuccess = () => {
      if (request.result) store.put({ ...request.result, ...fields });
    };
  }
  await finished(transaction);
  announce("settled");
}

// Damaged records are read on every redraw: say so once for each.
const reportedDamaged = new Set();

// What a record carries: the item and the account that recorded it, or null when the record
// is damaged (no payload, not JSON, not an object with a string id, no owner) and can never be sent.
export function readRecord(record) {
  let payload = record?.payload;
  if (typeof payload === "string") {
    try {
      payload = JSON.parse(payload);
    } catch (error) {
      if (!reportedDamaged.has(record.id)) {
        reportedDamaged.add(record.id);
        log.warn(`reading record ${record.id}: its contents are not JSON, so it can never be sent`, error);
      }
      return null;
    }
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload) || typeof payload.id !== "string") {
    return null;
  }
  const owner = Number.isInteger(record.user_id) ? record.user_id : payload.user_id;
  return Number.isInteger(owner) ? { payload, owner } : null;
}

export async function readMeta(key) {
  const db = await openDatabase();
  const transaction = db.transaction(META, "readonly");
  const request = transaction.objectStore(META).get(key);
  await finished(transaction);
  return request.result || null;
}

export async function writeMeta(record) {
  const db = await openDatabase();
  const transaction = db.transaction(META, "readwrite");
  transaction.objectStore(META).put(record);
  await finished(transaction);
}

// Once something is saved only here, ask the browser not to evict it under storage pressure.
async function requestPersistence() {
  try {
    if (!navigator.storage?.persist || (await readMeta("persist-requested"))) return;
    await writeMeta({ key: "persist-requested", at: Date.now() });
    await navigator.storage.persist();
  } catch (error) {
    // Best effort: without it the data is still stored, only less protected from eviction.
    log.warn("asking the browser to keep this site's storage", error);
  }
}

// Why the phone could not store something, in words a person can act on; null if storage was not the cause.
export function describeStorageError(error) {
  const name = error?.name || "";
  if (name === "QuotaExceededError" || (name === "UnknownError" && /quota|space|full/i.test(error?.message || ""))) {
    return "This phone's storage is full. Free some space (delete photos, videos or apps you do not need), then try again.";
  }
  if (name === "VersionError") {
    return "A newer version of CoreSteady is open in another tab. Reload this page, then try again.";
  }
  if (typeof indexedDB === "undefined" || ["InvalidStateError", "SecurityError", "UnknownError", "NotFoundError"].includes(name)) {
    return "This browser is not letting CoreSteady store anything on the phone (private browsing, or storage turned off for this site). Allow this site to store data, or open it outside private browsing, then try again.";
  }
  return null;
}

// The id a record carries from the phone to the server, made once, so a record sent twice is known.
export function newRecordId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a self-hosted server on a LAN address may not be one.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
