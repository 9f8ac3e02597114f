// The sessions saved on this phone (still in the outbox, or sent since the page was made), by local day: what
// Today and History add to the counts the server wrote into the page.
import { CORRUPT, PENDING, REJECTED, readRecord } from "./outbox.js";

// The user's sessions in the outbox by local day: { "2026-11-24": {pending, rejected, sent} }. A record
// seen once and gone since was acknowledged by the server (a sync), so its day stays counted. `seen` is kept by
// the page between calls.
export function sessionsByDay(records, seen, me, dayOf) {
  const present = new Set();
  for (const record of records) {
    if (record.state === CORRUPT) continue;
    const contents = readRecord(record);
    if (!contents || me === null || contents.owner !== me) continue;
    const when = Date.parse(contents.payload.completed_at || "");
    if (Number.isNaN(when)) continue;
    present.add(record.id);
    seen.set(record.id, { day: dayOf(new Date(when)), state: record.state === REJECTED ? REJECTED : PENDING });
  }
  const days = new Map();
  for (const [id, { day, state }] of seen) {
    const entry = days.get(day) || { pending: false, rejected: false, sent: false };
    if (!present.has(id)) entry.sent = true;
    else if (state === REJECTED) entry.rejected = true;
    else entry.pending = true;
    days.set(day, entry);
  }
  return days;
}
