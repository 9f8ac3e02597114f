// The outbox: sessions saved on this phone (IndexedDB) until the server has acknowledged each one.
const DB_NAME = "coresteady";
// Version 2 added the "meta" store (the signed-in account and its CSRF token, for the service worker).
const DB_VERSION = 2;
const STORE = "outbox";
const META = "meta";
// Other tabs and the service worker hear about changes here, so every open page shows the same count.
const CHANNEL = "coresteady-outbox";

export const PENDING = "pending";
export const REJECTED = "rejected";
export const CORRUPT = "corrupt";

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
      request.onerror = () => {
        opening = null;
        reject(request.error);
      };
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

function announce(reason, tellOthers = true) {
  if (typeof window === "undefined") return;
  window.dispatchEvent(new CustomEvent("outbox:changed", { detail: { reason } }));
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
// details.label (e.g. the routine's name) is shown in the history while the session waits.
export async function enqueueSession(payload, details = {}) {
  if (!payload || typeof payload.id !== "string" || !Number.isInteger(payload.user_id)) {
    throw new TypeError("a session needs its own id and the id of the user who recorded it");
  }
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).put({
    id: payload.id,
    kind: "session",
    user_id: payload.user_id,
    account: details.account || accountLabel(),
    label: details.label || null,
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
  } catch {
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

// What a record carries: the session and the account that recorded it, or null when the record
// is damaged (no payload, not JSON, not an object with a string id, no owner) and can never be sent.
export function readRecord(record) {
  let payload = record?.payload;
  if (typeof payload === "string") {
    try {
      payload = JSON.parse(payload);
    } catch {
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
  } catch {
    // Best effort: without it the data is still stored, only less protected from eviction.
  }
}
