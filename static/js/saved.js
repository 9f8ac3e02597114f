// The sessions saved on this phone (still in the outbox, or sent since the page was made), by local day: what
// Today and History add to the counts the server wrote into the page.
import { CORRUPT, PENDING, REJECTED, readRecord } from "./outbox.js";
import { worstPain } from "./pain.js";

// The worst pain a saved session's payload gives, just after it or during an exercise, as the player read it from
// the form; null when unreadable.
function worstOf(payload) {
  if (!Number.isInteger(payload.pain_after)) return null;
  const exercises = Array.isArray(payload.exercises) ? payload.exercises : [];
  return worstPain(payload.pain_after, exercises.map((exercise) => exercise?.pain_during));
}

// The user's sessions in the outbox by local day: { "2026-11-24": {pending, rejected, sent, worst, before, pains} },
// worst and before: the worst pain of the day's newest session and the pain before it; pains: those of every session
// of the day, oldest first ({worst, before, after, when}; after: the pain just after it, for History's chart). A
// record seen once and gone since was acknowledged by the server (a sync), so its day stays counted. `seen` is kept
// by the page between calls.
export function sessionsByDay(records, seen, me, dayOf) {
  const present = new Set();
  for (const record of records) {
    if (record.state === CORRUPT) continue;
    const contents = readRecord(record);
    if (!contents || me === null || contents.owner !== me) continue;
    const when = Date.parse(contents.payload.completed_at || "");
    if (Number.isNaN(when)) continue;
    present.add(record.id);
    const state = record.state === REJECTED ? REJECTED : PENDING;
    const before = Number.isInteger(contents.payload.pain_before) ? contents.payload.pain_before : null;
    const after = Number.isInteger(contents.payload.pain_after) ? contents.payload.pain_after : null;
    seen.set(record.id, { day: dayOf(new Date(when)), state, when, worst: worstOf(contents.payload), before, after });
  }
  const days = new Map();
  for (const [id, { day, state, when, worst, before, after }] of seen) {
    const entry = days.get(day) || { pending: false, rejected: false, sent: false, worst: null, before: null, when: -Infinity, pains: [] };
    if (!present.has(id)) entry.sent = true;
    else if (state === REJECTED) entry.rejected = true;
    else entry.pending = true;
    if (state !== REJECTED) entry.pains.push({ worst, before, after, when });
    if (state !== REJECTED && when > entry.when) Object.assign(entry, { worst, before, when });
    days.set(day, entry);
  }
  for (const entry of days.values()) entry.pains.sort((a, b) => a.when - b.when);
  return days;
}
