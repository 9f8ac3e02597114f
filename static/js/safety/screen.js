// The safety check and its result pages when the phone is offline: an answer is judged here, kept in the
// outbox, and shown on its result page at once; a result page opened from the phone's copy is redrawn from
// what the phone knows. Online, the forms post to the server as they do without JavaScript.
import { shortDate } from "../days.js";
import { userId } from "../identity.js";
import { logger } from "../log.js";
import { describeStorageError } from "../outbox.js";
import { localDay, readEmbedded, recordAnswer, recordConfirmation, remember, standing } from "./standing.js";

const log = logger("safety");
// Where to go once the screen is answered (the player that sent the person here). A query string would miss
// the phone's copy of the page, so offline it travels in sessionStorage.
const NEXT = "coresteady:safety-next";

function offline() {
  return globalThis.navigator?.onLine === false;
}

function session() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

// Only a path on this site, as the server's own check (sessions/views.py _next_page) allows.
function safePath(raw) {
  return typeof raw === "string" && raw.startsWith("/") && !raw.startsWith("//") && !raw.includes("\\") ? raw : null;
}

export function rememberNext(path) {
  if (safePath(path)) session()?.setItem(NEXT, path);
}

function nextPage(form) {
  return safePath(form?.querySelector('input[name="next"]')?.value) || safePath(session()?.getItem(NEXT)) || null;
}

function leave(url) {
  session()?.removeItem(NEXT);
  globalThis.location.assign(url);
}

function showError(form, text) {
  let note = form.querySelector("[data-safety-error]");
  if (!note) {
    note = document.createElement("p");
    note.className = "field__error";
    note.setAttribute("role", "alert");
    note.dataset.safetyError = "";
    form.prepend(note);
  }
  note.textContent = text;
  note.hidden = !text;
}

function storageWords(error) {
  return describeStorageError(error) || "Something went wrong while storing it on the phone; try again.";
}

async function answerOffline(event, me, form) {
  if (!offline()) return; // the server takes it
  event.preventDefault();
  const signs = new FormData(form).getAll("signs").map(String);
  try {
    const answer = await recordAnswer(me, signs);
    const now = await standing(me);
    if (now.state === "blocked") {
      rememberNext(nextPage(form));
      globalThis.location.assign(`/safety/result/${now.level}`);
    } else if (answer.outcome === "soon") {
      rememberNext(nextPage(form));
      globalThis.location.assign("/safety/result/soon");
    } else {
      leave(nextPage(form) || "/");
    }
  } catch (error) {
    log.warn("keeping a safety answer given offline", error);
    showError(form, `Your answer could not be kept on this phone. ${storageWords(error)}`);
  }
}

// One line per day and set of signs, as webapp/sessions/safety.py told() lists them.
function told(rules, answers) {
  const order = Object.keys(rules?.signs || {});
  const seen = new Set();
  const lines = answers.filter((answer) => {
    const key = `${answer.day} ${[...answer.signs].sort().join(" ")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return lines.map((answer) => {
    const item = document.createElement("li");
    const when = document.createElement("strong");
    when.textContent = `${shortDate(answer.day)}:`;
    const signs = [...answer.signs].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    item.append(when, ` ${signs.map((s) => rules?.signs?.[s]?.label || s).join(", ")}`);
    return item;
  });
}

function show(root, selector, visible) {
  for (const part of root.querySelectorAll(selector)) part.hidden = !visible;
}

// The parts of a result page that depend on the answers, drawn from the phone's standing.
function drawResult(root, now) {
  const level = root.dataset.safetyResult;
  const lastLocal = now.local.filter((a) => !a.assessed_on).at(-1);
  const shown = now.waiting.length ? now.waiting : lastLocal && lastLocal.outcome === level ? [lastLocal] : [];
  const list = root.querySelector("[data-safety-told] ul");
  if (list) list.replaceChildren(...told(now.rules, shown));
  show(root, "[data-safety-told]", shown.length > 0);
  show(root, "[data-safety-can-confirm]", now.canConfirm);
  show(root, "[data-safety-again-first]", now.waiting.length > 0 && !now.canConfirm);
  show(root, "[data-safety-changed]", now.waiting.length === 0);
  const day = root.querySelector('input[name="assessed_on"]');
  if (day) {
    day.max = localDay();
    const latest = now.waiting.map((a) => a.day).sort().at(-1);
    if (latest) day.min = latest;
  }
}

async function confirmOffline(event, me, form, root) {
  if (!offline()) return;
  event.preventDefault();
  const day = String(new FormData(form).get("assessed_on") || "").trim();
  try {
    await recordConfirmation(me, day);
  } catch (error) {
    if (error instanceof RangeError) {
      showError(form, error.message);
      return;
    }
    log.warn("keeping a confirmation given offline", error);
    showError(form, `Your answer could not be kept on this phone. ${storageWords(error)}`);
    return;
  }
  show(root, "[data-safety-next] > :not([data-safety-cleared])", false);
  show(root, "[data-safety-cleared]", true);
  const carryOn = root.querySelector("[data-safety-cleared] a");
  if (carryOn) carryOn.href = nextPage(form) || "/";
  session()?.removeItem(NEXT);
  root.querySelector("[data-safety-cleared]")?.focus();
}

// The screen's note on why it is asked now, drawn from the phone's standing.
function drawScreen(note, now) {
  note.replaceChildren();
  if (now.state === "blocked") {
    note.className = "safety-waiting";
    const link = document.createElement("a");
    link.href = `/safety/result/${now.level}`;
    link.textContent = "See what to do";
    note.append(
      `Your answer on ${shortDate(now.waiting.at(-1).day)} is still waiting for a clinician's check. `,
      link,
      ". You can answer again below whenever something has changed.",
    );
  } else if (now.state === "due") {
    note.className = "safety-due";
    note.textContent = `We ask again now because of ${now.due.reason}. It takes a minute.`;
  }
  note.hidden = !["blocked", "due"].includes(now.state);
}

export function enhanceSafety(doc) {
  // The page works without any of this: online, its forms post to the server.
  return enhance(doc).catch((error) => log.warn("preparing the safety check for use offline", error));
}

async function enhance(doc) {
  const me = userId();
  if (me === null) return;
  const embedded = readEmbedded(doc);
  if (!embedded) return;
  const keptBefore = await standing(me);
  remember(me, embedded);
  const now = await standing(me);
  // The server drew this page from what it knew; the phone knows more when it holds answers the server has
  // not seen yet, or the page is an older copy opened offline.
  const pageAsOf = Date.parse(embedded.standing?.as_of || "") || 0;
  const stale = now.local.length > 0 || (keptBefore.asOf || 0) > pageAsOf;
  const form = doc.querySelector("[data-safety-form]");
  if (form) {
    form.addEventListener("submit", (event) => answerOffline(event, me, form));
    const note = doc.querySelector("[data-safety-status]");
    if (note && stale) drawScreen(note, now);
  }
  const root = doc.querySelector("[data-safety-result]");
  if (!root) return;
  const confirm = root.querySelector("[data-safety-confirm]");
  if (confirm) confirm.addEventListener("submit", (event) => confirmOffline(event, me, confirm, root));
  if (stale) drawResult(root, now);
}

enhanceSafety(document);
