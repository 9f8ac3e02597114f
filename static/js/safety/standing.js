// The red-flag standing on this phone: the server's last word (embedded in the pages that need it) with the
// answers given here since, so an answer given offline blocks or unlocks the player at once. The server
// judges every answer again when it arrives and its answer wins where it is stricter: its waiting answers are
// never dropped here, only cleared by a confirmation it would accept (webapp/sessions/safety.py).
// No document needed: pages and the player import it alike.
import { logger } from "../log.js";
import { REJECTED, enqueue, listOutboxOrEmpty, newRecordId } from "../outbox.js";

const log = logger("safety");

export const KIND = "safety";
// Six weeks (webapp/sessions/safety.py REASK_AFTER): the screen is asked again after that whatever happened.
const REASK_AFTER_MS = 6 * 7 * 24 * 60 * 60 * 1000;
const key = (me) => `coresteady:safety:${me}`;

function store() {
  try {
    return globalThis.localStorage ?? null;
  } catch (error) {
    log.warn("opening localStorage for the safety check", error);
    return null;
  }
}

function load(me) {
  const empty = { rules: null, server: null, answers: [], triggers: [] };
  const raw = store()?.getItem(key(me));
  if (!raw) return empty;
  try {
    const kept = JSON.parse(raw);
    return {
      rules: kept.rules && typeof kept.rules === "object" ? kept.rules : null,
      server: kept.server && typeof kept.server === "object" ? kept.server : null,
      answers: Array.isArray(kept.answers) ? kept.answers : [],
      triggers: Array.isArray(kept.triggers) ? kept.triggers : [],
    };
  } catch (error) {
    log.warn("reading the safety check kept on the phone; the server's copy in the page counts", error);
    return empty;
  }
}

function save(me, kept) {
  try {
    store()?.setItem(key(me), JSON.stringify(kept));
  } catch (error) {
    // The answer is in the outbox all the same; only the phone's own judgement of it waits for the server.
    log.warn("keeping the safety check on the phone", error);
  }
}

// The phone's own calendar day: the day the person answered, as they would write it.
export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// The server's standing as a page carries it ({rules, standing}); the newer of it and the one kept wins.
export function readEmbedded(doc = globalThis.document) {
  const source = doc?.getElementById("safety-data");
  if (!source) return null;
  try {
    return JSON.parse(source.textContent);
  } catch (error) {
    log.fault("reading the safety data embedded in the page", error);
    return null;
  }
}

export function remember(me, embedded) {
  if (me === null || !embedded?.standing) return;
  const kept = load(me);
  if (embedded.rules) kept.rules = embedded.rules;
  const current = kept.server?.as_of ? Date.parse(kept.server.as_of) : -Infinity;
  if (Date.parse(embedded.standing.as_of) >= current) {
    kept.server = embedded.standing;
    // What the server has seen is in its standing now; what it never saw stays.
    const known = new Set(embedded.standing.known || []);
    kept.answers = kept.answers.filter((a) => !known.has(a.id));
  }
  save(me, kept);
}

// The level of an answer, as webapp/sessions/red_flags.py outcome_of reads it.
// A sign this phone has no rules for (none kept yet, or a newer screen) counts as "see a doctor today":
// the safer reading, and the server's own judgement replaces it once the answer arrives.
const UNKNOWN = { level: "same-day" };
const BLOCKING = ["emergency", "same-day", "pregnant"];
const RANK = { emergency: 4, "same-day": 3, pregnant: 2, soon: 1, clear: 0 };

export function outcomeOf(signs, rules) {
  const rank = rules?.rank || RANK;
  const ticked = new Set(signs);
  let outcome = "clear";
  for (const sign of ticked) {
    const about = rules?.signs?.[sign] || UNKNOWN;
    const level = about.alone && ticked.size === 1 ? about.alone : about.level;
    if ((rank[level] || 0) > (rank[outcome] || 0)) outcome = level;
  }
  return outcome;
}

function strictest(answers, rules) {
  const rank = rules?.rank || RANK;
  return answers.reduce((best, a) => ((rank[a.outcome] || 0) > (rank[best] || 0) ? a.outcome : best), "clear");
}

/**
 * Where the person stands on this phone: {state ("new", "blocked", "due", "ok"), level, waiting, canConfirm,
 * mustAnswer, due, signs}. waiting: [{id, day, outcome, signs}] oldest first.
 */
export async function standing(me, now = Date.now()) {
  const kept = load(me);
  const rules = kept.rules || null;
  const server = kept.server || { state: "new", waiting: [], can_confirm: false, due: null, last_answered_at: null };
  // An answer the server refused is not the person's standing: it waits in the outbox for them to see.
  const refused = new Set((await listOutboxOrEmpty()).filter((r) => r.state === REJECTED).map((r) => r.id));
  const answers = kept.answers.filter((a) => !refused.has(a.id)).sort((a, b) => Date.parse(a.answered_at) - Date.parse(b.answered_at));

  let waiting = [...(server.waiting || [])];
  // After an emergency answer the screen is answered again before a confirmation counts.
  let againFirst = waiting.some((a) => a.outcome === "emergency") && !server.can_confirm;
  let last = server.last_answered_at ? Date.parse(server.last_answered_at) : null;
  let due = server.due ? { ...server.due } : null;
  for (const answer of answers) {
    const at = Date.parse(answer.answered_at);
    last = last === null ? at : Math.max(last, at);
    due = null; // any answer after a reason to ask answers it (safety.py due)
    if (answer.assessed_on) {
      if (confirmationProblem(answer.assessed_on, waiting, againFirst, answer.day) === null) waiting = [];
      continue;
    }
    if (againFirst) againFirst = false;
    if ((rules?.blocking || BLOCKING).includes(answer.outcome)) {
      if (answer.outcome === "emergency" && !waiting.some((a) => a.outcome === "emergency")) againFirst = true;
      waiting.push({ id: answer.id, day: answer.day, outcome: answer.outcome, signs: answer.signs });
    }
  }
  const triggered = kept.triggers.filter((t) => last === null || Date.parse(t.at) > last);
  if (!due && triggered.length) due = { since: triggered[0].at, reason: triggered[0].reason, kind: triggered[0].kind };
  if (!due && last !== null && now >= last + REASK_AFTER_MS) {
    due = { since: new Date(last + REASK_AFTER_MS).toISOString(), reason: "6 weeks since the last safety check", kind: "interval" };
  }
  const state = last === null ? "new" : waiting.length ? "blocked" : due ? "due" : "ok";
  return {
    state,
    level: waiting.length ? strictest(waiting, rules) : null,
    waiting,
    canConfirm: waiting.length > 0 && !againFirst,
    mustAnswer: state !== "ok",
    due,
    local: answers,
    rules,
    asOf: server.as_of ? Date.parse(server.as_of) : null,
  };
}

// Why a confirmation of the day a clinician assessed the person cannot count, or null when it can.
export function confirmationProblem(assessedOn, waiting, againFirst, today = localDay()) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(assessedOn || "")) return "Enter the day a clinician assessed you.";
  if (!waiting.length) return "No answer is waiting for a clinician's check.";
  if (againFirst) return "After an answer that needed emergency care, take the safety check again before saying a clinician has seen you.";
  if (assessedOn > today) return "The day you were assessed cannot be in the future.";
  const latest = waiting.map((a) => a.day).sort().at(-1);
  if (assessedOn < latest) return "The day you were assessed is before your answer: a clinician needs to have seen you since then.";
  return null;
}

const LABELS = { answer: "Safety check answer", confirmation: "Safety check: seen by a clinician" };

// Into the outbox first (it syncs exactly once, like a session), then into the phone's own standing.
async function record(me, signs, assessedOn) {
  const kept = load(me);
  const now = new Date();
  const answer = {
    id: newRecordId(),
    answered_at: now.toISOString(),
    day: localDay(now),
    signs: [...new Set(signs)].sort(),
    assessed_on: assessedOn,
    outcome: assessedOn ? "clear" : outcomeOf(signs, kept.rules),
  };
  const payload = { id: answer.id, answered_at: answer.answered_at, signs: answer.signs, assessed_on: assessedOn, user_id: me };
  await enqueue(KIND, payload, { label: assessedOn ? LABELS.confirmation : LABELS.answer });
  const fresh = load(me);
  fresh.answers.push(answer);
  save(me, fresh);
  return answer;
}

export function recordAnswer(me, signs) {
  return record(me, signs, null);
}

export async function recordConfirmation(me, assessedOn) {
  const now = await standing(me);
  const problem = confirmationProblem(assessedOn, now.waiting, !now.canConfirm && now.waiting.length > 0);
  if (problem) throw new RangeError(problem);
  const signs = [...new Set(now.waiting.flatMap((a) => a.signs))];
  return record(me, signs, assessedOn);
}

// A session the player judged red asks for the screen again (the server does the same once it arrives).
export function noteTrigger(me, kind, reason, at = new Date()) {
  if (me === null) return;
  const kept = load(me);
  kept.triggers = [...kept.triggers.filter((t) => Date.now() - Date.parse(t.at) < REASK_AFTER_MS), { kind, reason, at: at.toISOString() }];
  save(me, kept);
}

// The days (as dayOf reads them) of the sessions this phone judged red: Today's done card asks for rest after one.
export function redSessionDays(me, dayOf) {
  if (me === null) return new Set();
  return new Set(load(me).triggers.filter((t) => t.kind === "red_session").map((t) => dayOf(new Date(t.at))));
}
