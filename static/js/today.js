// Today's page kept true on the phone: a session saved here (still in the outbox) counts at once, and a
// copy of the page opened from the worker's cache on a later day is redrawn from the plan kept on the
// phone (/api/v1/plan, part of the offline package) instead of showing an old day's routine.
import { userId } from "./identity.js";
import { logger } from "./log.js";
import { addDays, dayIn, daysBetween, hourIn, isIsoDay, longDate, mondayOf, weekdayName } from "./days.js";
import { listOutboxOrEmpty, listenForChanges } from "./outbox.js";
import { aboveCeilingAndStart } from "./pain.js";
import { readEmbedded, redSessionDays, remember, standing } from "./safety/standing.js";
import { sessionsByDay } from "./saved.js";

const log = logger("today");

const PLAN = "/api/v1/plan";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function paragraph(...children) {
  const node = element("p");
  node.append(...children);
  return node;
}

// --- What the server wrote into the page (templates/sessions/today.html) ---

function readPage(head) {
  const data = head.dataset;
  const number = (value) => (value === undefined || value === "" ? null : Number(value));
  return {
    date: data.todayDate,
    dayOf: dayIn(data.timezone),
    hourOf: hourIn(data.timezone),
    doneToday: data.doneToday === "true",
    doneDays: (data.doneDays || "").split(" ").filter(isIsoDay),
    weekPlanned: number(data.weekPlanned),
    streakIfDone: number(data.streakIfDone),
    next: isIsoDay(data.nextDate) ? { date: data.nextDate, name: data.nextName || "" } : null,
    hasPlan: data.hasPlan === "true",
    hasTrainer: data.hasTrainer === "true",
    blocked: data.blocked === "true",
    lastLight: data.lastLight || null,
    redToday: data.redToday === "true",
    highToday: data.highToday === "true",
    unsettled: data.unsettled === "true",
    painCeiling: number(data.painCeiling) ?? 5,
    // The hour from which "this morning" is a morning gone by (webapp/home/today.py's NOON); 12 on a copy of the
    // page kept before the page said it.
    noon: number(data.noon) ?? 12,
    firstAhead: data.firstAhead === "true",
    cardState: data.cardState || "none",
    playUrl: (id) => (data.playUrl || "/routines/{id}/play").replace("{id}", encodeURIComponent(id)),
    exerciseUrl: (slug) => (data.exerciseUrl || "/exercises/{slug}").replace("{slug}", encodeURIComponent(slug)),
  };
}

// --- The plan kept on the phone ---

async function fetchPlan() {
  try {
    const response = await fetch(PLAN, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return null;
    const plan = await response.json();
    const usable =
      plan?.program &&
      isIsoDay(plan.program.start_date) &&
      isIsoDay(plan.program.end_date) &&
      Array.isArray(plan.schedule) &&
      Array.isArray(plan.routines);
    if (!usable) log.warn("reading the plan kept on this phone: it is not in the expected shape");
    return usable ? plan : null;
  } catch (error) {
    log.warn("reading the plan (offline, and none kept on this phone?)", error);
    return null;
  }
}

function routineById(plan, id) {
  return plan.routines.find((routine) => routine.id === id) || null;
}

function plannedOn(plan, day) {
  const entry = plan.schedule.find((item) => item.date === day);
  return entry ? routineById(plan, entry.routine_id) : null;
}

function nextPlanned(plan, after) {
  const entry = plan.schedule
    .filter((item) => isIsoDay(item.date) && item.date > after)
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .find((item) => routineById(plan, item.routine_id));
  return entry ? { date: entry.date, name: routineById(plan, entry.routine_id).name, id: entry.routine_id } : null;
}

// The program week running on a day: weeks follow the outcomes (a red week repeats), so the server's list of
// weeks says which; a plan saved by an older version without it counts the weeks one after another.
function weekNumber(plan, day) {
  const { start_date: start, end_date: end } = plan.program;
  if (day < start || day > end) return null;
  const block = Math.floor(daysBetween(start, day) / 7);
  const run = Array.isArray(plan.weeks) ? plan.weeks[block] : null;
  return run && Number.isInteger(run.number) ? run.number : block + 1;
}

function programWeeks(plan) {
  const numbers = plan.routines.map((routine) => routine.week).filter(Number.isInteger);
  return numbers.length ? Math.max(...numbers) : Math.round((daysBetween(plan.program.start_date, plan.program.end_date) + 1) / 7);
}

// --- Sessions saved on this phone (saved.js) ---

function savedNote(local) {
  if (local.pending) return element("p", "today-card__saved", "Saved on this phone. It will sync to your account when you are online.");
  if (local.sent) return element("p", "today-card__saved", "Saved on this phone and now synced to your account.");
  // Refused by the server: the history page says why and offers "Try again".
  const link = element("a", "", "see history");
  link.href = "/history/";
  const note = element("p", "today-card__saved", "Saved on this phone, but it could not be synced — ");
  note.append(link, ".");
  return note;
}

// --- Drawing the card (the same words and markup as the server's states in today.html) ---

function title(...children) {
  const heading = element("h2");
  heading.id = "today-title";
  heading.append(...children);
  return heading;
}

// While a red-flag answer waits, the next session is named with what it waits for (as the server's page).
function nextLine(next, page) {
  const strong = element("strong", "", next.name);
  const wait = page.blocked ? ", once a clinician has seen you" : "";
  return paragraph("Next: ", strong, ` on ${weekdayName(next.date)}${wait}.`);
}

// After a green session that took pain above 5 and above where it began (rules.Outcome.steady), the server's words.
const HIGH_DONE = "Your pain went above 5 today, higher than before you started. Rest now, and keep the same dose next time rather than adding more.";

// What the done card advises after the day's sessions (the pain-monitoring model, Silbernagel 2007, as
// webapp/sessions/rules.py applies it): "red" after a session judged red, rest and do a little less; "high" after a
// green one that took pain above 5 and above where it began, keep the dose; else "well". Any session of the day
// counts, as on the server, so a calm one after a worse one takes back none of its advice.
const ADVICE = ["well", "high", "red"]; // from the least care to the most

// The advice for the sessions of a day saved on this phone.
function phoneAdvice(local, page) {
  if (local.red) return "red";
  const high = local.pains.some(({ worst, before }) => worst !== null && before !== null && aboveCeilingAndStart(worst, before, page.painCeiling));
  return high ? "high" : "well";
}

// The advice the server's page gave for its own day, from the sessions it had then.
function serverAdvice(page) {
  if (page.redToday) return "red";
  return page.highToday ? "high" : "well";
}

const moreCare = (a, b) => (ADVICE.indexOf(a) >= ADVICE.indexOf(b) ? a : b);

function doneWords(advice, page) {
  if (advice === "high") return HIGH_DONE;
  if (advice === "well") return "Nice work. Rest is part of the plan too.";
  const who = page.hasTrainer ? "your trainer or a doctor" : "a doctor or physiotherapist";
  return `Your back hurt more than it should today. Rest now and let it settle; next time, do a little less. If it has not settled within a day or two, contact ${who}.`;
}

function doneCard(next, local, page, advice) {
  const tick = element("span", "", "✓");
  tick.setAttribute("aria-hidden", "true");
  const nodes = [title(tick, " Done for today"), element("p", "", doneWords(advice, page))];
  if (next) nodes.push(nextLine(next, page));
  nodes.push(savedNote(local));
  return nodes;
}

// The server's card for a safety check due again (today.html), for a reason only this phone knows so far.
function safetyDueCard(reason) {
  const card = element("section", "card safety-due-card");
  card.setAttribute("aria-labelledby", "safety-due-title");
  card.dataset.todayPart = "safety";
  const heading = element("h2", "", "Time for a quick safety check");
  heading.id = "safety-due-title";
  const why = element("p", "", `Before your next session, please answer the warning-sign questions again. We ask because of ${reason}.`);
  card.append(heading, why, paragraph(button("Take the safety check", "/safety/", "button button--small")));
  return card;
}

function button(text, href, className) {
  const link = element("a", className, text);
  link.href = href;
  return link;
}

function routineCard(routine, page, lastWasRed) {
  const count = routine.exercises.length;
  const list = element("ol", "routine-preview");
  for (const exercise of routine.exercises) {
    const item = element("li");
    const link = element("a", "", exercise.name || exercise.slug);
    link.href = page.exerciseUrl(exercise.slug);
    item.append(link);
    list.append(item);
  }
  const nodes = [
    element("p", "eyebrow", "Today's routine"),
    title(routine.name),
    element("p", "meta", `${count} ${count === 1 ? "exercise" : "exercises"}`),
    list,
  ];
  if (page.blocked) {
    // Waiting for a clinician after a red-flag answer: the same words as the server's page, in place of Start.
    nodes.push(element("p", "routine-on-hold", "On hold until a clinician has seen you: see what to do above."));
  } else {
    // After a red session, a little less (the server's words; its steps to ease off wait for the network here).
    if (lastWasRed) nodes.push(element("p", "routine-ease", "Your last session went red: do a little less today."));
    // "Start" alone says nothing out of context (a screen reader's list of links): the routine's name goes with it.
    const start = button("Start", page.playUrl(routine.id), "button button--wide button--big");
    start.append(element("span", "visually-hidden", ` ${routine.name}`));
    nodes.push(paragraph(start));
  }
  return nodes;
}

// While a red-flag answer waits for a clinician, nothing invites activity, a walk included; while the back has not
// settled from the newest session, no extra session is offered (as the server's page: safety.unsettled);
// before the first session there is nothing to rest from, and the first one is offered.
function restCard(next, page, notSettled, first, extraId) {
  let rest = " Resting between sessions lets your body adapt; a gentle walk is always welcome.";
  if (page.blocked) rest = "";
  else if (notSettled) rest = " Your back has not settled since your last session: give it today rather than adding a session. A gentle walk is still good.";
  else if (first) rest = " Nothing to rest from yet: your first session is below, and you can start it today if you like.";
  const nodes = [title("Rest day"), element("p", "", `No session planned today.${rest}`)];
  if (next) {
    nodes.push(nextLine(next, page));
    if (!page.blocked && !notSettled && extraId !== null) nodes.push(paragraph(button("Do it today as well", page.playUrl(extraId), "button button--quiet")));
  }
  return nodes;
}

// The routine a rest day offers as an extra session, as the server's Plan.extra_on: the next planned one, or, when
// that falls in a later week of the plan (planned ahead, not judged yet), this week's routine for the same day of
// the program, else this week's first.
function extraRoutine(plan, today, next) {
  if (!next) return null;
  const week = weekNumber(plan, today);
  if (week === null || weekNumber(plan, next.date) === week) return next.id;
  const slots = routineById(plan, next.id)?.days || [];
  const mine = (Array.isArray(plan.routines) ? plan.routines : []).filter((routine) => routine.week === week);
  const same = mine.find((routine) => (routine.days || []).some((day) => slots.includes(day)));
  return (same || mine[0])?.id ?? null;
}

// The newest day with a session saved on this phone, as sessionsByDay gives them; undefined when there is none.
function newestSaved(localDays) {
  return localDays.get([...localDays.keys()].sort().at(-1));
}

// Whether the newest session the phone knows went red: one saved here (the player's judgement), else the page's.
function lastWasRed(page, localDays) {
  const newest = newestSaved(localDays);
  return newest ? Boolean(newest.red) : page.lastLight === "red";
}

// Whether the back has not settled from the newest session: one saved here went red or left pain above the
// model's ceiling (its next morning is not known yet), else what the server's page said (safety.unsettled).
function unsettled(page, localDays) {
  const newest = newestSaved(localDays);
  if (!newest) return page.unsettled;
  return Boolean(newest.red) || (newest.worst ?? 0) > page.painCeiling;
}

// Whether no session is done yet: none when the page was made, and none saved on this phone since.
function firstAhead(page, localDays) {
  return page.firstAhead && !localDays.size;
}

function planCard(plan, today, page, localDays) {
  const local = localDays.get(today);
  const { program } = plan;
  if (today < program.start_date) {
    return [
      title(`Your program starts ${longDate(program.start_date)}`),
      element("p", "", page.blocked ? "Until then, the lessons are a good way to begin." : "Until then, a lesson or a walk is a fine way to begin."),
    ];
  }
  if (today > program.end_date) {
    const next = page.hasTrainer ? "Your trainer will set what comes next." : "Choose your next program to keep going.";
    return [title(`You finished ${program.name}`), element("p", "", `Well done: that took commitment. ${next}`)];
  }
  const next = nextPlanned(plan, today);
  if (local) return doneCard(next, local, page, phoneAdvice(local, page));
  const routine = plannedOn(plan, today);
  if (routine) return routineCard(routine, page, lastWasRed(page, localDays));
  return restCard(next, page, unsettled(page, localDays), firstAhead(page, localDays), extraRoutine(plan, today, next));
}

function unreadableCard() {
  return [
    title("Today's plan is not on this phone"),
    element("p", "", "This page was saved on an earlier day and your plan could not be read. Connect to the internet to see what is planned today."),
  ];
}

// --- The page ---

export function showToday(root) {
  const head = root.querySelector("[data-today]");
  if (!head) return;
  const page = readPage(head);
  const part = (name) => root.querySelector(`[data-today-part="${name}"]`);
  const seen = new Map();
  // undefined: not asked yet; null: asked, and the phone has no readable plan.
  let plan;
  let asking = null;

  // The page is out of date when the phone's clock has moved on to a later day than the page shows
  // (a copy kept by the worker, opened offline the next morning).
  const phoneToday = () => page.dayOf(new Date());
  const isStale = () => page.date < phoneToday();

  function hide(name) {
    const node = part(name);
    if (node) node.hidden = true;
  }

  function drawWeek(today, localDays, held) {
    const stat = part("week-stat");
    if (!stat) return;
    const monday = mondayOf(today);
    const sunday = addDays(monday, 6);
    const inWeek = (day) => day >= monday && day <= sunday;
    let planned = page.weekPlanned;
    // The page's own done days count only while the day shown is still in the page's week.
    const done = new Set(page.doneDays.filter(inWeek));
    for (const day of localDays.keys()) if (inWeek(day) && day <= today) done.add(day);
    if (isStale()) {
      if (!plan) {
        stat.hidden = true;
        return;
      }
      // A day on hold for a clinician's check counts as planned only if a session was done on it (Plan.counts_on).
      planned = plan.schedule.filter((item) => inWeek(item.date) && (!held.has(item.date) || done.has(item.date))).length;
    }
    const count = planned ? Math.min(done.size, planned) : done.size;
    const value = stat.querySelector(".stat__value");
    const label = stat.querySelector(".stat__label");
    const meter = stat.querySelector("progress");
    // A week with nothing planned shows the sessions done alone, as the server draws it.
    const words = planned ? `${count} of ${planned}` : String(count);
    if (value) value.textContent = words;
    if (label) label.textContent = planned ? stat.dataset.labelPlanned : stat.dataset.labelNone;
    if (meter) {
      meter.max = planned || 1;
      meter.value = count;
      meter.textContent = words;
      meter.hidden = !planned;
    }
    stat.hidden = false;
  }

  function drawStale(today, localDays) {
    const note = part("note");
    const date = part("date");
    if (date) date.textContent = longDate(today);
    // Yesterday's morning question and last week's missed days belong to the day the page was made, and so do
    // its milestone (shown once, already) and its Monday's summary of the week before.
    for (const name of ["check-in", "nudge", "suggestions", "streak", "milestone", "weekly"]) hide(name);
    if (!page.hasPlan) {
      // No program on the page: its card ("Choose a program", "on its way") does not depend on the day.
      if (note) note.hidden = true;
      return;
    }
    const card = part("card");
    const program = part("program");
    const offline = !navigator.onLine;
    const reason = part("week-reason");
    if (reason) reason.hidden = true;
    if (plan) {
      const week = weekNumber(plan, today);
      const run = Array.isArray(plan.weeks) ? plan.weeks[Math.floor(daysBetween(plan.program.start_date, today) / 7)] : null;
      if (reason && run?.repeat && typeof run.reason === "string") {
        reason.textContent = `${run.reason}.`;
        reason.hidden = false;
      }
      const weeks = programWeeks(plan);
      if (program) program.textContent = `${plan.program.name}${week ? ` · week ${week} of ${weeks}` : ""}`;
      if (card) card.replaceChildren(...planCard(plan, today, page, localDays));
      if (note) note.textContent = offline ? "Offline · showing your plan from this phone" : "Showing your plan saved on this phone";
    } else {
      if (program) program.hidden = true;
      if (card) card.replaceChildren(...unreadableCard());
      if (note) note.textContent = offline ? "Offline · your plan could not be read on this phone" : "Your plan could not be read on this phone";
    }
    if (note) note.hidden = false;
  }

  // From noon the morning question asks how the back was this morning, as the server's page does then
  // (TodayView.morning_over): also on a copy of the page made before noon and opened later from the phone.
  function drawMorning() {
    if (page.hourOf(new Date()) < page.noon) return;
    for (const node of part("check-in")?.querySelectorAll("[data-after-noon]") || []) node.textContent = node.dataset.afterNoon;
  }

  function drawFresh(localDays) {
    const local = localDays.get(page.date);
    if (!local) return;
    const advice = moreCare(phoneAdvice(local, page), serverAdvice(page));
    if (page.doneToday) {
      // The server's done card stands, unless a session saved here since calls for more care than it says.
      const card = part("card");
      if (card && page.cardState === "done" && advice !== serverAdvice(page)) card.replaceChildren(...doneCard(page.next, local, page, advice));
      return;
    }
    // The morning question about the session before: its pain now would be today's session's, so it asks how the
    // back was this morning, as the server's page does once the session has synced.
    const asked = part("check-in")?.querySelectorAll("[data-after-session]") || [];
    for (const node of asked) node.textContent = node.dataset.afterSession;
    if (!["routine", "rest"].includes(page.cardState)) return;
    const card = part("card");
    if (card) card.replaceChildren(...doneCard(page.next, local, page, advice));
    hide("nudge");
    // A session done today: the streak the server worked out for it (schedule.streak), one more for today's planned
    // session; on a rest day, none more, unless it makes up for a missed day of this week, which then counts.
    const streak = part("streak");
    if (streak && Number.isInteger(page.streakIfDone)) {
      const count = page.streakIfDone;
      streak.querySelector(".stat__value").textContent = String(count);
      streak.querySelector(".stat__label").textContent = `${count === 1 ? "session" : "sessions"} in a row`;
    }
  }

  // Sessions saved on this phone on an earlier day that the server had not received when it made the page (it is
  // asked for as the phone comes online, and the outbox sends them after it; or its copy was kept before they were
  // saved): the card says what the server's will once they arrive. On a rest day, after one that left the back
  // unsettled (red, or pain above the model's 5), no extra session is offered; after any, there is something to
  // rest from. On a training day after a red one, a little less (the stale copy's words: the steps to ease off wait
  // for the sync, drawSteps). Only towards more care: a calmer session here never brings back what the server's
  // page withheld.
  function drawEarlier(localDays) {
    if (localDays.has(page.date) || !newestSaved(localDays) || page.blocked) return;
    const card = part("card");
    if (!card) return;
    if (page.cardState === "routine") {
      const start = card.querySelector(".button--big")?.closest("p");
      if (start && lastWasRed(page, localDays) && !card.querySelector(".routine-ease")) {
        start.before(element("p", "routine-ease", "Your last session went red: do a little less today."));
      }
      return;
    }
    if (page.cardState !== "rest") return;
    const notSettled = unsettled(page, localDays);
    if (notSettled && !page.unsettled) card.replaceChildren(...restCard(page.next, page, true, false, null));
    else if (!notSettled && page.firstAhead) {
      const offer = card.querySelector('a[href*="/play"]')?.closest("p");
      card.replaceChildren(...restCard(page.next, page, false, false, null), ...(offer ? [offer] : []));
    }
  }

  // The steps for next time were worked out from the sessions the server had when it made the page: one saved on
  // this phone since may change them (after a red one, "a small step up" would be wrong), so they wait for it.
  function drawSteps(localDays) {
    const steps = part("suggestions");
    const newer = [...localDays.values()].some((day) => day.pending || day.sent);
    if (!steps || !newer || steps.querySelector("[data-steps-waiting]")) return;
    for (const node of steps.children) if (node.id !== "suggest-title") node.hidden = true;
    const note = element("p", "suggestions__held", "Your latest session is not in these yet: they are worked out again once it has synced. Open Today then to see them.");
    note.dataset.stepsWaiting = "";
    steps.append(note);
  }

  // The suggested read, once a session saved on this phone left the back unsettled (red, or pain above 5): the one
  // the server picks then (the traffic light, which says what both mean), not "why moving helps" beside "rest now".
  function drawLesson(localDays) {
    const swap = root.querySelector("template[data-lesson-if-unsettled]");
    if (!swap || !newestSaved(localDays) || !unsettled(page, localDays)) return;
    const shown = part("lesson");
    if (shown) shown.replaceWith(swap.content.cloneNode(true));
    else swap.before(swap.content.cloneNode(true));
    swap.remove();
  }

  // Where the person stands on the safety check, as this phone knows it (the page's word kept with the answers
  // given here since), read once a drawing; null when it cannot be read.
  async function phoneStanding(me) {
    if (me === null) return null;
    try {
      remember(me, readEmbedded(document));
      return await standing(me);
    } catch (error) {
      log.warn("reading the safety check kept on this phone", error);
      return null;
    }
  }

  // A red session saved on this phone asks for the safety check again before the next one (the player's gate
  // holds it to that, webapp/sessions/screens.py does the same once the session arrives): say so here at once.
  function drawSafetyDue(now) {
    if (!now || page.blocked || part("safety")) return;
    if (now.state !== "due" || now.due?.kind !== "red_session") return;
    const before = root.querySelector('[data-today-part="milestone"], [data-today-part="check-in"], [data-today-part="card"]');
    before?.before(safetyDueCard(now.due.reason));
  }

  // The days on hold after a red-flag answer: the plan's (as of the day it was fetched) and, while an answer
  // still waits for a clinician on this phone, every day since that answer up to today (safety.held_days).
  function heldDays(now, today) {
    const held = new Set(Array.isArray(plan?.held) ? plan.held.filter(isIsoDay) : []);
    for (const answer of now?.waiting || []) {
      if (!isIsoDay(answer.day)) continue;
      for (let day = answer.day; day <= today; day = addDays(day, 1)) held.add(day);
    }
    return held;
  }

  async function render() {
    const records = await listOutboxOrEmpty();
    const me = userId();
    const localDays = sessionsByDay(records, seen, me, page.dayOf);
    const red = redSessionDays(me, page.dayOf);
    for (const [day, entry] of localDays) entry.red = red.has(day);
    const stale = isStale();
    if (stale && plan === undefined) {
      asking ||= fetchPlan();
      plan = await asking;
    }
    const today = stale ? phoneToday() : page.date;
    if (stale) drawStale(today, localDays);
    else {
      drawMorning();
      drawFresh(localDays);
      drawEarlier(localDays);
      drawSteps(localDays);
    }
    drawLesson(localDays);
    const now = await phoneStanding(me);
    drawWeek(today, localDays, stale ? heldDays(now, today) : new Set());
    drawSafetyDue(now);
  }

  // Many events arrive together (a drain settles a batch): draw once for all of them, one at a time.
  let drawing = Promise.resolve();
  let queued = false;
  function update() {
    if (queued) return;
    queued = true;
    drawing = drawing.then(() => {
      queued = false;
      return render();
    });
  }

  listenForChanges();
  window.addEventListener("outbox:changed", update);
  // Back online: a plan that could not be read may be fetched now.
  window.addEventListener("online", () => {
    if (plan === null) {
      plan = undefined;
      asking = null;
    }
    update();
  });
  // A page left open overnight, shown again in the morning.
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && update());
  update();
}

showToday(document);
