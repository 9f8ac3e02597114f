// Where an unfinished routine stopped, and the player's switches, kept in localStorage per user and routine.
import { logger } from "../log.js";

// A routine left for longer than this belongs to another day: starting afresh beats a session spanning two.
export const RESUME_MAX_AGE_MS = 12 * 60 * 60 * 1000;
// A routine that was finished but not yet rated is kept much longer: the work was done and should count.
export const RATING_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_SETTINGS = { speech: true, vibration: true };
const log = logger("player");

function storage(win) {
  try {
    return win.localStorage ?? null;
  } catch (error) {
    // Storage switched off by the browser: the player still runs, it just cannot remember.
    log.warn("opening localStorage to remember where the routine stopped", error);
    return null;
  }
}

function read(store, key) {
  if (!store) return null;
  try {
    return JSON.parse(store.getItem(key));
  } catch (error) {
    log.warn(`reading ${key}; starting without it`, error);
    return null;
  }
}

function write(store, key, value) {
  if (!store) return;
  try {
    store.setItem(key, JSON.stringify(value));
  } catch (error) {
    // A full or read-only store loses only the ability to resume, never the routine itself.
    log.warn(`keeping ${key}`, error);
  }
}

export function progressStore(userId, routineId, win = globalThis, now = () => Date.now()) {
  const store = storage(win);
  const key = `coresteady:player:progress:${userId}:${routineId}`;
  return {
    load() {
      const saved = read(store, key);
      if (!saved || typeof saved !== "object") return null;
      const limit = saved.stage === "rating" ? RATING_MAX_AGE_MS : RESUME_MAX_AGE_MS;
      if (!(now() - Number(saved.saved_at) < limit)) {
        this.clear();
        return null;
      }
      return saved;
    },
    save(state) {
      write(store, key, { ...state, saved_at: now() });
    },
    clear() {
      try {
        store?.removeItem(key);
      } catch (error) {
        // Nothing to do: an entry that cannot be removed expires on its own.
        log.warn(`removing ${key}`, error);
      }
    },
  };
}

export function settingsStore(userId, win = globalThis) {
  const store = storage(win);
  const key = `coresteady:player:settings:${userId}`;
  return {
    load() {
      const saved = read(store, key);
      return { ...DEFAULT_SETTINGS, ...(saved && typeof saved === "object" ? saved : {}) };
    },
    save(settings) {
      write(store, key, { speech: Boolean(settings.speech), vibration: Boolean(settings.vibration) });
    },
  };
}
