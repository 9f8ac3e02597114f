// The history page's list of what is still only on this phone: waiting, refused (said in plain words, with
// a fix where there is one) or damaged, each of the last two with a way to discard it.
import { momentWords } from "./days.js";
import { userId } from "./identity.js";
import { KINDS, explainRejection, kindOf } from "./kinds.js";
import { logger } from "./log.js";
import {
  CORRUPT,
  LIGHTS,
  PENDING,
  REJECTED,
  describeStorageError,
  listOutbox,
  listOutboxOrEmpty,
  listenForChanges,
  readRecord,
  removeItem,
  settle,
} from "./outbox.js";
import { drain } from "./sync.js";

const log = logger("pending");
const SEPARATOR = " ·\u00a0";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text, action, quiet = true) {
  const node = element("button", `button button--small${quiet ? " button--quiet" : ""}`, text);
  node.type = "button";
  node.dataset.action = action;
  return node;
}

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// What the row says and offers: {kind, status, reason, retry, repair, details}.
function describe(record, me) {
  const contents = readRecord(record);
  if (record.state === CORRUPT || !contents) {
    const reason = `${record.reason || "It cannot be read, so it cannot be sent."} Delete it from the phone.`;
    return { kind: "corrupt", status: "Damaged record", reason };
  }
  if (record.state === REJECTED) {
    const { text, retry, repair } = explainRejection(record, contents.payload);
    const said = record.answer?.errors?.length ? record.answer.errors.join("; ") : record.reason;
    return { kind: "rejected", status: "Could not be saved", reason: text, retry, repair, details: said || null };
  }
  if (!kindOf(record)) return { kind: "waiting", status: "Waiting for a newer version of the app to send it" };
  if (me === null) return { kind: "waiting", status: "Log in to sync" };
  if (contents.owner !== me) {
    return { kind: "waiting", status: `Waiting for ${record.account || "the account that recorded it"} to log in` };
  }
  const tries = record.attempts ? ` · tried ${record.attempts} ${record.attempts === 1 ? "time" : "times"}` : "";
  return { kind: "waiting", status: `Waiting to sync${tries}` };
}

function title(record) {
  const payload = readRecord(record)?.payload;
  const heading = element("p", "pending__title");
  const noun = kindOf(record)?.nouns[0] || "item";
  heading.append(element("strong", "", record.label || capitalised(noun)));
  const facts = [];
  const when = Date.parse(payload?.completed_at || "");
  if (!Number.isNaN(when)) facts.push(momentWords(new Date(when)));
  if (Number.isInteger(payload?.pain_before) && Number.isInteger(payload?.pain_after)) {
    facts.push(`Pain ${payload.pain_before} → ${payload.pain_after}`);
  }
  if (!facts.length) return heading;
  // Each fact keeps its dot when the line wraps: no break between a dot and what follows it.
  const line = element("span", "pending__facts", facts.join(SEPARATOR));
  // The light the player gave it, tagged as in the list of sessions the server keeps.
  if (LIGHTS.has(record.light)) line.append(" ", element("span", `pain-light pain-light--${record.light}`, record.light));
  if (Number.isInteger(payload?.effort)) line.append(`${SEPARATOR}Effort ${payload.effort}/10`);
  heading.append(line);
  return heading;
}

// The server's own words, for a trainer or whoever helps: folded away under the plain ones.
function serverWords(text) {
  const details = element("details", "pending__details");
  details.append(element("summary", "", "What the server said"), element("p", "", text));
  return details;
}

function item(record, me) {
  const { kind, status, reason, retry, repair, details } = describe(record, me);
  const row = element("li", `pending__item pending__item--${kind}`);
  row.dataset.id = record.id;
  row.append(title(record), element("p", "pending__state", status));
  if (reason) row.append(element("p", "pending__reason", reason));
  if (details) row.append(serverWords(details));
  if (kind !== "waiting") {
    const actions = element("p", "pending__actions");
    if (repair) actions.append(button(repair.label, "repair", false));
    if (retry) actions.append(button("Try again", "retry", !!repair));
    actions.append(button("Delete", "delete"));
    row.append(actions);
  }
  const problem = element("p", "pending__error");
  problem.setAttribute("role", "alert");
  problem.hidden = true;
  row.append(problem);
  return row;
}

async function repairRecord(id) {
  const record = (await listOutbox()).find((r) => r.id === id);
  const contents = record && readRecord(record);
  const repair = contents && explainRejection(record, contents.payload).repair;
  if (!repair) return;
  const payload = repair.apply(contents.payload, Date.now());
  await settle({ change: [{ id, payload, state: PENDING, answer: null, reason: null, attempts: 0, next_attempt_at: 0 }] });
}

async function act(target) {
  const row = target.closest("[data-id]");
  const actions = target.closest(".pending__actions");
  const id = row?.dataset.id;
  if (!id) return;
  switch (target.dataset.action) {
    case "repair":
      // The person chose the fix the explanation offered (e.g. a session stamped by a clock that ran ahead).
      await repairRecord(id);
      await drain({ force: true });
      break;
    case "retry":
      // The user decided it is worth another go (e.g. after the trainer fixed the plan).
      await settle({ change: [{ id, state: PENDING, answer: null, reason: null, attempts: 0, next_attempt_at: 0 }] });
      await drain({ force: true });
      break;
    case "delete":
      // Deleting data that exists nowhere else deserves a second tap.
      actions.replaceChildren(
        element("span", "pending__confirm", "Delete this from the phone for good?"),
        button("Delete for good", "delete-confirmed", false),
        button("Keep", "keep"),
      );
      break;
    case "delete-confirmed":
      await removeItem(id);
      break;
    case "keep":
      window.dispatchEvent(new CustomEvent("outbox:changed", { detail: { reason: "redraw" } }));
      break;
    default:
  }
}

// A tap that could not be carried out says so in its row, in words; nothing is lost by it.
function showFailure(target, error) {
  const words = describeStorageError(error);
  if (words) log.warn(`${target.dataset.action} on a record of the outbox`, error);
  else log.fault(`${target.dataset.action} on a record of the outbox`, error);
  const problem = target.closest("[data-id]")?.querySelector(".pending__error");
  if (!problem) return;
  problem.textContent = `That did not work: ${words || "the phone could not change its saved records. Reload the page and try again."}`;
  problem.hidden = false;
}

export function showPendingList(root) {
  const holder = root.querySelector("[data-pending-list]");
  if (!holder || !("indexedDB" in window)) return;
  const section = element("section", "pending");
  section.setAttribute("aria-labelledby", "pending-title");
  // The page puts this under its own "Your sessions" heading.
  const heading = element("h3", "", "On this phone");
  heading.id = "pending-title";
  const intro = element("p", "muted", "Saved on this phone and not yet on the server.");
  const list = element("ul", "pending__list");
  section.append(heading, intro, list);
  section.hidden = true;
  holder.replaceChildren(section);
  section.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action]");
    if (target) act(target).catch((error) => showFailure(target, error));
  });

  // The server's list says "Your first session will show here" while it has none: not under one waiting here, nor
  // once that one has gone to the server (the list shows it when the page is made again).
  const first = root.querySelector("[data-first-session]");

  async function render() {
    const records = await listOutboxOrEmpty();
    records.sort((a, b) => (b.created_at || 0) - (a.created_at || 0));
    const me = userId();
    list.replaceChildren(...records.map((record) => item(record, me)));
    section.hidden = records.length === 0;
    const waiting = (record) => kindOf(record) === KINDS.get("session") && record.state === PENDING && readRecord(record)?.owner === me;
    if (first && records.some(waiting)) first.hidden = true;
  }

  listenForChanges();
  window.addEventListener("outbox:changed", render);
  render();
}

showPendingList(document);
