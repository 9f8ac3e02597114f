// History's charts, drawn by the server (sessions/charts.py), drawn again on the phone with the sessions saved here
// that the page does not hold yet: after a routine done offline, the figures show it as the counts above them do.
// The server's own marks are the patterns (the legend's markers, lines and swatches, the grid's numbers: copied, so
// colours, shapes and classes stay the server's); only where they go is worked out here, as charts.Frame and
// tick_indices do there.
import { shortDate } from "./days.js";

const SVG_NS = "http://www.w3.org/2000/svg";

// A coordinate with at most one decimal, as charts.num writes it.
function num(value) {
  const text = value.toFixed(1);
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}

// ---- Pain before and after (charts.pain_chart) ----

const SERIES = [
  ["chart-before", "before"],
  ["chart-after", "after"],
];

// "2026-11-30:3:5 2026-12-02:4:4" → [{ day, before, after }], oldest first.
export function readPoints(text) {
  return (text || "")
    .split(" ")
    .filter(Boolean)
    .map((entry) => {
      const [day, before, after] = entry.split(":");
      return { day, before: Number(before), after: Number(after) };
    });
}

const sameSession = (point) => `${point.day}:${point.before}:${point.after}`;

// The page's points with the phone's saved sessions ({ day, before, after }) among them by day, the newest `most`;
// the page's points themselves (the same array) when none is new. A saved session the page already holds (the
// server stored it but its answer never reached the phone, so it was sent again) matches a point of the same day
// and pains: drawn once.
export function withSaved(points, saved, most) {
  const held = new Map();
  for (const point of points) held.set(sameSession(point), (held.get(sameSession(point)) || 0) + 1);
  const added = [];
  for (const session of saved) {
    const left = held.get(sameSession(session)) || 0;
    if (left) held.set(sameSession(session), left - 1);
    else added.push(session);
  }
  if (!added.length) return points;
  const all = [...points];
  for (const session of added.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))) {
    let at = all.length;
    while (at > 0 && all[at - 1].day > session.day) at -= 1;
    all.splice(at, 0, session);
  }
  return all.slice(-most);
}

// Which of count points, spacing apart, get a date: the first, the last, evenly between, never touching
// (charts.tick_indices).
export function tickIndices(count, spacing, gap) {
  if (count <= 0) return [];
  const step = spacing > 0 ? Math.max(1, Math.ceil(gap / spacing)) : count;
  const ticks = [];
  for (let index = 0; index < count; index += step) ticks.push(index);
  if (ticks[ticks.length - 1] !== count - 1) {
    if ((count - 1 - ticks[ticks.length - 1]) * spacing < gap && ticks.length > 1) ticks.pop();
    ticks.push(count - 1);
  }
  return ticks;
}

function place(mark, x, y) {
  if (mark.tagName === "circle") {
    mark.setAttribute("cx", num(x));
    mark.setAttribute("cy", num(y));
  } else {
    const half = Number(mark.getAttribute("width")) / 2;
    mark.setAttribute("x", num(x - half));
    mark.setAttribute("y", num(y - half));
  }
}

// The series (chart-s1, chart-s2) a group or a legend entry belongs to.
const seriesOf = (element) => [...element.classList].find((name) => /^chart-s\d+$/.test(name));

// The series' line; with one point the server drew none, so it is made like the legend's sample of the series.
function lineOf(svg, group) {
  const found = group.querySelector("polyline");
  if (found) return found;
  const sample = svg.querySelector(`.chart-legend.${seriesOf(group)} line`);
  const line = document.createElementNS(SVG_NS, "polyline");
  line.setAttribute("fill", "none");
  line.setAttribute("stroke-linejoin", "round");
  for (const name of ["stroke", "stroke-width", "stroke-dasharray", "class"]) {
    if (sample?.hasAttribute(name)) line.setAttribute(name, sample.getAttribute(name));
  }
  group.prepend(line);
  return line;
}

// Each series' markers, made like the legend's marker of the series (the server draws both with charts.marker).
function drawSeries(svg, points, x, y) {
  for (const [name, key] of SERIES) {
    const group = svg.querySelector(`g.${name}`);
    const pattern = group && svg.querySelector(`.chart-legend.${seriesOf(group)} .chart-mark`);
    if (!pattern) continue;
    const coordinates = points.map((point, index) => [x(index), y(point[key])]);
    if (points.length > 1) lineOf(svg, group).setAttribute("points", coordinates.map(([a, b]) => `${num(a)},${num(b)}`).join(" "));
    for (const mark of group.querySelectorAll(".chart-mark")) mark.remove();
    points.forEach((point, index) => {
      const mark = pattern.cloneNode(true);
      place(mark, ...coordinates[index]);
      const title = mark.querySelector("title");
      if (title) title.textContent = `${shortDate(point.day)}: pain ${key} ${point[key]}`;
      group.append(mark);
    });
  }
}

// The dates under the points, made like the grid's numbers (the same ink), centred under their points.
function drawDates(svg, points, x, baseline, gap) {
  const axis = svg.querySelector("g.chart-axis");
  const pattern = svg.querySelector("g.chart-grid text");
  if (!axis || !pattern) return;
  const spacing = points.length > 1 ? x(1) - x(0) : x(0);
  axis.replaceChildren();
  for (const index of tickIndices(points.length, spacing, gap)) {
    const label = pattern.cloneNode(false);
    label.setAttribute("x", num(x(index)));
    label.setAttribute("y", num(baseline));
    label.setAttribute("text-anchor", "middle");
    label.textContent = shortDate(points[index].day);
    axis.append(label);
  }
}

// The chart's description, as charts.pain_chart words it (its sentence on the bands kept as the server wrote it).
function describePain(svg, points) {
  const desc = svg.querySelector("desc");
  if (!desc) return;
  const bands = desc.textContent.match(/Bands: [^.]*\./)?.[0] || "";
  const [first, last] = [points[0], points[points.length - 1]];
  const span = points.length === 1 ? shortDate(first.day) : `${shortDate(first.day)} to ${shortDate(last.day)}`;
  desc.textContent =
    `Pain from 0 (none) to 10 (worst) before and after ${points.length} session${points.length === 1 ? "" : "s"}, ` +
    `${span}. ${bands} Latest session: ${last.before} before, ${last.after} after.`;
}

// The chart's "Show as table": a row a session, as charts.pain_table writes them.
function drawPainTable(figure, points) {
  const body = figure?.querySelector(".chart-table tbody");
  if (!body) return;
  body.replaceChildren(
    ...points.map((point) => {
      const row = document.createElement("tr");
      const head = document.createElement("th");
      head.scope = "row";
      head.textContent = shortDate(point.day);
      row.append(head);
      for (const value of [point.before, point.after]) {
        const cell = document.createElement("td");
        cell.textContent = String(value);
        row.append(cell);
      }
      return row;
    }),
  );
}

// The chart with these points (at least one); a chart kept hidden while there was none is shown.
export function drawPainChart(svg, points) {
  const [x0, x1, y0, y10, baseline, gap] = svg.dataset.layout.split(" ").map(Number);
  const count = points.length;
  const x = (index) => (count <= 1 ? (x0 + x1) / 2 : x0 + ((x1 - x0) * index) / (count - 1));
  const y = (value) => y0 + ((y10 - y0) * value) / 10;
  drawSeries(svg, points, x, y);
  drawDates(svg, points, x, baseline, gap);
  describePain(svg, points);
  const figure = svg.closest("figure");
  drawPainTable(figure, points);
  if (figure) figure.hidden = false;
}

// Keeps the page's pain chart (if it has one) showing the sessions saved on this phone: `saved` as
// saved.sessionsByDay gives them (a refused session is not among their pains). Call again whenever they change.
export function painChartOnThePhone(root) {
  const svg = root.querySelector("svg[data-points][data-layout]");
  if (!svg) return () => {};
  const points = readPoints(svg.dataset.points);
  const most = Number(svg.dataset.most) || points.length;
  return (saved) => {
    const sessions = [...saved].flatMap(([day, entry]) =>
      entry.pains
        .filter(({ before, after }) => Number.isInteger(before) && Number.isInteger(after))
        .map(({ before, after }) => ({ day, before, after })),
    );
    const now = withSaved(points, sessions, most);
    // The page's own points as they are: nothing to draw (a blank chart stays hidden). Else drawn afresh each time.
    if (now !== points) drawPainChart(svg, now);
  };
}

// ---- Sessions each week (charts.adherence_chart): history.js works out each week's numbers as the server does ----

// The chart's weeks, oldest first: { monday, planned, done } as the server wrote them on each week's group.
export function readWeeks(svg) {
  return [...svg.querySelectorAll("g.chart-week")].map((group) => {
    const [monday, planned, done] = (group.dataset.week || "").split(":");
    return { monday, planned: Number(planned), done: Number(done) };
  });
}

// The chart with these numbers for its weeks (the same weeks, in the same order, as readWeeks gave them).
export function drawWeekChart(svg, weeks) {
  const groups = [...svg.querySelectorAll("g.chart-week")];
  const patterns = {
    planned: svg.querySelector(".chart-legend rect.chart-planned"),
    done: svg.querySelector(".chart-legend rect.chart-done"),
  };
  if (groups.length !== weeks.length || !patterns.planned || !patterns.done) return;
  const [floor, top, width, above] = svg.dataset.layout.split(" ").map(Number);
  const most = Math.max(3, ...weeks.flatMap((week) => [week.planned, week.done]));
  const y = (value) => floor - ((floor - top) * value) / most;
  weeks.forEach((week, index) => {
    const group = groups[index];
    const label = group.querySelector("text");
    const centre = Number(label.getAttribute("x"));
    // The last week is this one (progress.weekly_bars ends with it).
    const when = index === weeks.length - 1 ? "this week" : `week of ${shortDate(week.monday)}`;
    const words = `${when}: ${week.done} of ${week.planned} planned sessions done`;
    const column = (pattern, value) => {
      const bar = pattern.cloneNode(false);
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = words;
      bar.append(title);
      bar.setAttribute("x", num(centre - width / 2));
      bar.setAttribute("y", num(y(value)));
      bar.setAttribute("width", num(width));
      bar.setAttribute("height", num(floor - y(value)));
      return bar;
    };
    for (const bar of group.querySelectorAll("rect")) bar.remove();
    const bars = [];
    if (week.planned) bars.push(column(patterns.planned, week.planned));
    if (week.done) bars.push(column(patterns.done, week.done));
    group.prepend(...bars);
    label.setAttribute("y", num(y(Math.max(week.planned, week.done)) - above));
    label.textContent = week.planned ? `${week.done}/${week.planned}` : String(week.done);
    group.dataset.week = `${week.monday}:${week.planned}:${week.done}`;
  });
  describeWeeks(svg, weeks);
  const figure = svg.closest("figure");
  drawWeekTable(figure, weeks);
  // A chart kept hidden while nothing was planned or done shows once something is.
  if (figure && weeks.some((week) => week.planned || week.done)) figure.hidden = false;
}

// The description's numbers, as charts.adherence_chart words them (what comes before them kept as written).
function describeWeeks(svg, weeks) {
  const desc = svg.querySelector("desc");
  const cut = desc?.textContent.indexOf(": ") ?? -1;
  if (cut < 0) return;
  const sum = (key) => weeks.reduce((total, week) => total + week[key], 0);
  const now = weeks[weeks.length - 1];
  desc.textContent =
    `${desc.textContent.slice(0, cut + 2)}${sum("done")} done of ${sum("planned")} planned in all. ` +
    `This week: ${now.done} of ${now.planned}.`;
}

// The chart's "Show as table": a row a week, its done and planned (charts.adherence_table).
function drawWeekTable(figure, weeks) {
  const rows = figure?.querySelectorAll(".chart-table tbody tr") || [];
  if (rows.length !== weeks.length) return;
  weeks.forEach((week, index) => {
    const cells = rows[index].querySelectorAll("td");
    if (cells.length < 2) return;
    cells[0].textContent = String(week.done);
    cells[1].textContent = String(week.planned);
  });
}
