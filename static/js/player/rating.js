// The after-session rating: the form's answers, the traffic light they mean, and the session the server accepts.

export const MAX_NOTES = 2000;
// The server's ceiling for one exercise's repetitions in a session.
const MAX_REPS = 1000;

/**
 * The session's traffic light: the server's own table (webapp/sessions/rules.py light_of), looked up by the pain
 * before the session and the worst pain during or just after it, so the phone never judges differently offline.
 */
export function lightFor(painBefore, worst, rules) {
  return rules.lights?.[painBefore]?.[worst] ?? "red";
}

/**
 * A session's pain in the order it was rated, as the server names a red session (webapp/sessions/safety.py
 * pain_in_words): "pain 2 before, 8 at worst, 6 after", the worst during an exercise only when above the end.
 */
export function painInWords(painBefore, painAfter, painDuring = []) {
  const during = painDuring.filter((pain) => Number.isInteger(pain));
  const worst = during.length ? Math.max(...during) : null;
  const atWorst = worst !== null && worst > painAfter ? `, ${worst} at worst` : "";
  return `pain ${painBefore} before${atWorst}, ${painAfter} after`;
}

export function effortWord(effort, rules) {
  return rules.effort_words[String(effort)] ?? "";
}

/** ISO 8601 in the phone's own offset ("2025-03-01T08:15:00+01:00"), so the record says when it was for the person. */
export function isoWithOffset(date) {
  const pad = (n, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

function score(value) {
  if (value === null || value === undefined || value === "") return null;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 && number <= 10 ? number : null;
}

/** The answers in the rating form, and what is still missing. */
export function readRating(form) {
  const data = new FormData(form);
  const rating = {
    pain_after: score(data.get("pain_after")),
    effort: score(data.get("effort")),
    painful: new Set(data.getAll("painful").map(Number)),
    notes: String(data.get("notes") ?? "").slice(0, MAX_NOTES),
  };
  const missing = [];
  if (rating.pain_after === null) missing.push("pain_after");
  if (rating.effort === null) missing.push("effort");
  return { rating, missing };
}

/** The session exactly as POST /api/v1/sessions takes it (webapp/sessions/sync.py). */
export function buildPayload({ id, data, startedAt, completedAt, painBefore, rating, counts, painDuring = [] }) {
  return {
    id,
    routine_id: data.routine.id,
    started_at: isoWithOffset(startedAt),
    // The server refuses a session that ends where it starts; a routine always lasts at least a second.
    completed_at: isoWithOffset(new Date(Math.max(completedAt.getTime(), startedAt.getTime() + 1000))),
    pain_before: painBefore,
    pain_after: rating.pain_after,
    effort: rating.effort,
    notes: rating.notes,
    exercises: data.exercises.map((exercise, index) => {
      const done = counts[index] ?? { sets_done: 0, reps_done: 0 };
      return {
        exercise: exercise.slug,
        sets_done: done.sets_done,
        reps_done: Math.min(done.reps_done, MAX_REPS),
        hold_seconds: exercise.kind === "hold" && done.reps_done > 0 ? exercise.hold_seconds : 0,
        painful: rating.painful.has(index),
        // Asked in the rest after the exercise; null when skipped (the server takes both).
        pain_during: Number.isInteger(painDuring[index]) ? painDuring[index] : null,
      };
    }),
    user_id: data.user_id,
  };
}

/**
 * What to change next time, per exercise that hurt: those ticked as painful, and those whose rating after them
 * was red against the pain before the session; each with its easier version where there is one.
 */
export function progressionHints(data, painful, session = null) {
  const hurt = new Set(painful);
  if (session) {
    (session.painDuring || []).forEach((pain, index) => {
      if (Number.isInteger(pain) && lightFor(session.painBefore, pain, data.rules) === "red") hurt.add(index);
    });
  }
  return [...hurt]
    .sort((a, b) => a - b)
    .map((index) => data.exercises[index])
    .filter(Boolean)
    .map((exercise) => ({ exercise, easier: exercise.easier }));
}
