// History kept true on the phone, as Today is: a session saved here (still in the outbox, or sent since the page
// was made) counts at once in this week's and the last four weeks' numbers, and its day shows done on the
// calendar (a session on a rest day also marks the missed day of its week it makes up for). The server wrote each
// day's facts into the page (progress.days_for_the_phone); the counts follow the same rules (schedule.adherence,
// progress.adherence_so_far, schedule.made_up_days). A copy of the page made on an earlier day is left as it is:
// its weeks are not this one. The charts are drawn again with the session in them (charts.js): the weekly one with
// the weeks counted here, the pain chart (a list of sessions, not of weeks) whatever day the copy was made.
import { drawWeekChart, painChartOnThePhone, readWeeks } from "./charts.js";
import { addDays, dayIn, isIsoDay, longDate, mondayOf } from "./days.js";
import { userId } from "./identity.js";
import { listOutboxOrEmpty, listenForChanges } from "./outbox.js";
import { sessionsByDay } from "./saved.js";

const WINDOW_DAYS = 28; // the last four weeks, as progress.WINDOW_WEEKS

// "2026-11-30:sd 2026-12-01: ..." → Map(day → {planned, held, done}).
export function readDays(text) {
  const days = new Map();
  for (const entry of (text || "").split(" ")) {
    const [day, flags = ""] = entry.split(":");
    if (isIsoDay(day)) days.set(day, { planned: flags.includes("s"), held: flags.includes("h"), done: flags.includes("d") });
  }
  return days;
}

// Sessions done against sessions planned from first to last (inclusive): a day on hold counts only when a
// session was done on it, and an extra session makes up for a missed one of its own calendar week only, never
// overfilling it (schedule.adherence).
function adherence(days, done, first, last) {
  const weeks = new Map(); // Monday → { planned, done }
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const facts = days.get(day) || {};
    const week = weeks.get(mondayOf(day)) || { planned: 0, done: 0 };
    if (facts.planned && (!facts.held || done.has(day))) week.planned += 1;
    if (done.has(day)) week.done += 1;
    weeks.set(mondayOf(day), week);
  }
  const counts = [...weeks.values()];
  const planned = counts.reduce((sum, week) => sum + week.planned, 0);
  if (!planned) return { planned, done: counts.reduce((sum, week) => sum + week.done, 0) };
  return { planned, done: counts.reduce((sum, week) => sum + Math.min(week.done, week.planned), 0) };
}

// Python's round(): a half goes to the even number, so 12.5% reads 12% here as on the server.
function roundHalfEven(value) {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (Math.abs(rest - 0.5) > 1e-9) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function setText(root, name, text) {
  const node = root.querySelector(`[data-history-part="${name}"]`);
  if (node) node.textContent = text;
}

// The missed days (planned, past, not done, not on hold) an extra session made up for: in each Monday-to-Sunday
// week, as many of its missed days, earliest first, as it had sessions on days with none planned
// (schedule.made_up_days; the server writes whole weeks into the page for this). days as readDays gives them.
export function madeUpDays(days, done, today) {
  const weeks = new Map(); // Monday → { missed: [days], extras }
  for (const [day, facts] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const week = weeks.get(mondayOf(day)) || { missed: [], extras: 0 };
    if (facts.planned && !facts.held && !done.has(day) && day < today) week.missed.push(day);
    if (!facts.planned && done.has(day)) week.extras += 1;
    weeks.set(mondayOf(day), week);
  }
  return new Set([...weeks.values()].flatMap((week) => week.missed.slice(0, week.extras)));
}

// This week's count and the last four weeks' (progress.summarise): days as readDays gives them, done a Set of days.
export function counts(days, done, today) {
  const monday = mondayOf(today);
  // Up to today once today's session is done, else up to yesterday (today's does not count against anyone yet).
  const first = addDays(today, -(WINDOW_DAYS - 1));
  const last = done.has(today) ? today : addDays(today, -1);
  return {
    week: adherence(days, done, monday, addDays(monday, 6)),
    recent: last < first ? { planned: 0, done: 0 } : adherence(days, done, first, last),
  };
}

function drawSummary(root, days, done, today) {
  const { week, recent } = counts(days, done, today);
  setText(root, "week-value", week.planned ? `${week.done} of ${week.planned}` : String(week.done));
  setText(root, "week-note", week.planned ? "planned sessions done" : `session${week.done === 1 ? "" : "s"} done; none planned`);
  const percent = recent.planned ? roundHalfEven(Math.min(1, recent.done / recent.planned) * 100) : null;
  setText(root, "recent-value", percent === null ? "–" : `${percent}%`);
  setText(root, "recent-note", percent === null ? "nothing planned yet" : `${recent.done} of ${recent.planned} planned sessions so far`);
}

// A calendar cell's status, in colour, mark and words (progress.STATUS_MARKS and STATUS_WORDS).
const STATUSES = {
  done: ["✓", "done"],
  made_up: ["↷", "missed, made up by an extra session that week"],
};

function markDay(cell, status, today) {
  if (cell.dataset.status === status) return;
  cell.classList.replace(`calendar__day--${cell.dataset.status}`, `calendar__day--${status}`);
  cell.dataset.status = status;
  const [symbol, words] = STATUSES[status];
  const mark = cell.querySelector(".calendar__mark");
  if (mark) mark.textContent = symbol;
  const label = cell.querySelector(".visually-hidden");
  if (label) label.textContent = `${longDate(cell.dataset.date)}: ${words}${cell.dataset.date === today ? ", today" : ""}`;
}

// The calendar's cells for days with a session saved here, done; the missed days their weeks now make up for; then
// its caption and key.
export function drawCalendar(root, saved, madeUp, today) {
  const calendar = root.querySelector("#calendar");
  if (!calendar) return;
  for (const day of saved) {
    const cell = calendar.querySelector(`td[data-date="${day}"]`);
    if (cell) markDay(cell, "done", today);
  }
  for (const cell of calendar.querySelectorAll('td[data-status="missed"]')) {
    if (madeUp.has(cell.dataset.date)) markDay(cell, "made_up", today);
  }
  const count = (status) => calendar.querySelectorAll(`td[data-status="${status}"]`).length;
  const key = calendar.querySelector('[data-key="made_up"]');
  if (key) key.hidden = !count("made_up");
  const caption = calendar.querySelector("caption");
  const title = calendar.querySelector("h2");
  if (!caption || !title) return;
  const [madeUpCount, held] = [count("made_up"), count("held")];
  caption.textContent =
    `${title.textContent}: ${count("done")} done, ${count("missed")} missed` +
    (madeUpCount ? `, ${madeUpCount} made up` : "") +
    `, ${count("planned")} still planned` +
    (held ? `, ${held} on hold` : "");
}

// The weekly chart's weeks with the sessions done here counted (progress.weekly_bars: schedule.adherence over each
// Monday to Sunday); a week older than the days the page gives (days_for_the_phone) keeps the server's numbers.
export function weeksCounted(weeks, days, done) {
  return weeks.map((week) => {
    const sunday = addDays(week.monday, 6);
    if (!days.has(week.monday) || !days.has(sunday)) return week;
    return { monday: week.monday, ...adherence(days, done, week.monday, sunday) };
  });
}

export function showHistory(root) {
  const head = root.querySelector("[data-history]");
  if (!head || !isIsoDay(head.dataset.todayDate)) return;
  const pageDay = head.dataset.todayDate;
  const dayOf = dayIn(head.dataset.timezone);
  const days = readDays(head.dataset.days);
  const seen = new Map();
  const drawPain = painChartOnThePhone(root);
  const weekly = root.querySelector("svg g.chart-week")?.closest("svg");
  const painFigure = root.querySelector("svg[data-points]")?.closest("figure");
  const noCharts = root.querySelector("[data-charts-empty]"); // "Charts … will show here after your first session"

  async function render() {
    const local = sessionsByDay(await listOutboxOrEmpty(), seen, userId(), dayOf);
    drawPain(local);
    if (noCharts && painFigure) noCharts.hidden = !painFigure.hidden;
    if (dayOf(new Date()) !== pageDay) return; // a copy made on an earlier day: its weeks are not this one
    // Refused sessions are not stored, so they count for nothing; waiting and just-sent ones do.
    const saved = [...local].filter(([day, entry]) => day <= pageDay && (entry.pending || entry.sent)).map(([day]) => day);
    if (!saved.length) return;
    const done = new Set([...days].filter(([, facts]) => facts.done).map(([day]) => day));
    for (const day of saved) done.add(day);
    drawSummary(head, days, done, pageDay);
    drawCalendar(root, saved, madeUpDays(days, done, pageDay), pageDay);
    if (weekly) drawWeekChart(weekly, weeksCounted(readWeeks(weekly), days, done));
  }

  let drawing = Promise.resolve();
  const update = () => {
    drawing = drawing.then(render);
  };
  listenForChanges();
  window.addEventListener("outbox:changed", update);
  update();
}

showHistory(document);
