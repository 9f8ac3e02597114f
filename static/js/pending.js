// The history page's list of sessions still on this phone: waiting, refused (with the reason) or damaged.
import { userId } from "./identity.js";
import { CORRUPT, PENDING, REJECTED, listOutboxOrEmpty, listenForChanges, readRecord, removeItem, settle } from "./outbox.js";
import { drain } from "./sync.js";

const WHEN = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };

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

function describe(record, me) {
  const contents = readRecord(record);
  if (record.state === CORRUPT || !contents) {
    return { kind: "corrupt", status: "Damaged record", reason: record.reason || "It cannot be read, so it cannot be sent." };
  }
  if (record.state === REJECTED) {
    return { kind: "rejected", status: "Could not be saved", reason: record.reason || "The server refused it." };
  }
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
  heading.append(element("strong", "", record.label || "Session"));
  const facts = [];
  const when = Date.parse(payload?.completed_at || "");
  if (!Number.isNaN(when)) facts.push(new Date(when).toLocaleString(undefined, WHEN));
  if (Number.isInteger(payload?.pain_before) && Number.isInteger(payload?.pain_after)) {
    facts.push(`Pain ${payload.pain_before} → ${payload.pain_after}`);
  }
  if (facts.length) heading.append(element("span", "pending__facts", facts.join(" · ")));
  return heading;
}

function item(record, me) {
  const { kind, status, reason } = describe(record, me);
  const row = element("li", `pending__item pending__item--${kind}`);
  row.dataset.id = record.id;
  row.append(title(record), element("p", "pending__state", status));
  if (reason) row.append(element("p", "pending__reason", reason));
  if (kind !== "waiting") {
    const actions = element("p", "pending__actions");
    if (kind === "rejected") actions.append(button("Try again", "retry", false));
    actions.append(button("Delete", "delete"));
    row.append(actions);
  }
  return row;
}

async function act(target) {
  const row = target.closest("[data-id]");
  const actions = target.closest(".pending__actions");
  const id = row?.dataset.id;
  if (!id) return;
  switch (target.dataset.action) {
    case "retry":
      // The user decided it is worth another go (e.g. after the trainer fixed the plan).
      await settle({ change: [{ id, state: PENDING, reason: null, attempts: 0, next_attempt_at: 0 }] });
      await drain({ force: true });
      break;
    case "delete":
      // Deleting data that exists nowhere else deserves a second tap.
      actions.replaceChildren(
        element("span", "pending__confirm", "Delete this session from the phone?"),
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
    if (target) act(target);
  });

  async function render() {
    const records = await listOutboxOrEmpty();
    records.sort((a, b) => (b.created_at || 0) - (a.created_at || 0));
    const me = userId();
    list.replaceChildren(...records.map((record) => item(record, me)));
    section.hidden = records.length === 0;
  }

  listenForChanges();
  window.addEventListener("outbox:changed", render);
  render();
}
