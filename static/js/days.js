// Local calendar days as "YYYY-MM-DD" (they compare and sort as strings), and the words the server writes them
// with: Today's and History's pages count the sessions saved on the phone by such days.
import { logger } from "./log.js";

const log = logger("days");

// The server writes dates as "Wednesday 2 December" in English (timeutil.long_date); the pages keep to the same words.
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];
const DAY_MS = 24 * 60 * 60 * 1000;

const pad = (n) => String(n).padStart(2, "0");

export function isoDay(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function dateOf(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day);
}

export function addDays(iso, days) {
  const date = dateOf(iso);
  date.setDate(date.getDate() + days);
  return isoDay(date);
}

export function daysBetween(first, last) {
  return Math.round((dateOf(last) - dateOf(first)) / DAY_MS);
}

export function mondayOf(iso) {
  return addDays(iso, -((dateOf(iso).getDay() + 6) % 7));
}

export const weekdayName = (iso) => WEEKDAYS[dateOf(iso).getDay()];

export function longDate(iso) {
  const date = dateOf(iso);
  return `${WEEKDAYS[date.getDay()]} ${date.getDate()} ${MONTHS[date.getMonth()]}`;
}

// "4 Dec", as the server writes a day in short (timeutil.short_date): its charts and the safety pages.
export function shortDate(iso) {
  const date = dateOf(iso);
  return `${date.getDate()} ${MONTHS[date.getMonth()].slice(0, 3)}`;
}

// A moment in the phone's own time as the server's lists write one (templating.local_datetime, "%a %d %b %Y, %H:%M":
// "Sat 05 Dec 2026, 07:55"), without the year where the server leaves it out ("Sat 05 Dec, 07:55").
export function momentWords(date, { year = true } = {}) {
  const day = `${WEEKDAYS[date.getDay()].slice(0, 3)} ${pad(date.getDate())} ${MONTHS[date.getMonth()].slice(0, 3)}`;
  return `${day}${year ? ` ${date.getFullYear()}` : ""}, ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// A formatter of moments in the account's time zone (the zone comes from the phone at sign-up; one the browser does
// not know counts as UTC, as it does on the server).
function formatIn(zone, fields) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone || "UTC", ...fields });
  } catch (error) {
    log.warn(`reading days in the time zone ${zone}, which this browser does not know; using UTC as the server does`, error);
    return new Intl.DateTimeFormat("en-CA", { timeZone: "UTC", ...fields });
  }
}

// The calendar day of a moment in the account's time zone: the server dates sessions and "today" the same way.
export function dayIn(zone) {
  const format = formatIn(zone, { year: "numeric", month: "2-digit", day: "2-digit" });
  return (date) => {
    const parts = Object.fromEntries(format.formatToParts(date).map(({ type, value }) => [type, value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

// The hour (0 to 23) of a moment in the account's time zone.
export function hourIn(zone) {
  const format = formatIn(zone, { hour: "numeric", hourCycle: "h23" });
  return (date) => Number(format.formatToParts(date).find(({ type }) => type === "hour").value);
}

export function isIsoDay(value) {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
}
