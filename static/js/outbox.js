// The outbox: sessions saved on this phone (IndexedDB) until the server has acknowledged each one.
const DB_NAME = "coresteady";
const DB_VERSION = 1;
const STORE = "outbox";

let opening = null;

export function openDatabase() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(STORE)) {
          db.createObjectStore(STORE, { keyPath: "id" });
        }
      };
      request.onsuccess = () => resolve(request.result);
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

function announce() {
  if (typeof window !== "undefined") window.dispatchEvent(new CustomEvent("outbox:changed"));
}

// Resolves only once the record is durably written: only then may the page say "saved".
export async function enqueueSession(payload) {
  if (!payload || typeof payload.id !== "string" || !Number.isInteger(payload.user_id)) {
    throw new TypeError("a session needs its own id and the id of the user who recorded it");
  }
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).put({
    id: payload.id,
    kind: "session",
    user_id: payload.user_id,
    payload,
    state: "pending",
    attempts: 0,
    reason: null,
    created_at: Date.now(),
    next_attempt_at: 0,
  });
  await finished(transaction);
  announce();
  return payload.id;
}

export async function listOutbox() {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readonly");
  const request = transaction.objectStore(STORE).getAll();
  await finished(transaction);
  return request.result;
}

export async function updateItem(record) {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).put(record);
  await finished(transaction);
  announce();
}

export async function removeItem(id) {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).delete(id);
  await finished(transaction);
  announce();
}
