// The thread with the trainer (/messages/): a message is written to the phone's outbox first, shown as
// "Waiting to send" until the drain has it on the server, and then as sent. Without script, or where the
// phone cannot store anything, the compose form posts as it is.
import { momentWords } from "./days.js";
import { userId } from "./identity.js";
import { logger } from "./log.js";
import { explainRejection } from "./kinds.js";
import { REJECTED, describeStorageError, enqueue, listOutboxOrEmpty, listenForChanges, newRecordId } from "./outbox.js";
import { drain } from "./sync.js";

const log = logger("messages");

// As the server counts it (webapp/messages/services.py): after trimming, line breaks as one character.
export const BODY_MAX = 2000;

export function cleanBody(text) {
  return String(text || "").replace(/\r\n?/g, "\n").trim();
}

// What is wrong with a body before it is saved, in words; null when it may go.
export function bodyProblem(body) {
  if (!body) return "Write something before sending.";
  if (body.length > BODY_MAX) {
    return `Keep a message to ${BODY_MAX.toLocaleString("en")} characters; this one has ${body.length.toLocaleString("en")}.`;
  }
  return null;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// When a message waiting on the phone was written, as the thread writes the ones on the server.
function when(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  return momentWords(moment, { year: false });
}

function waitingItem(record) {
  const item = element("li", "thread__message thread__message--mine thread__message--waiting");
  item.dataset.waitingId = record.id;
  const head = element("p", "thread__head");
  head.append(element("strong", "", "You"), " ", element("span", "meta", when(record.payload?.written_at)));
  const state = element("p", "meta thread__state");
  if (record.state === REJECTED) {
    item.classList.add("thread__message--refused");
    state.append(`Not sent: ${explainRejection(record, record.payload).text} `);
    const link = element("a", "", "See it in your history");
    link.href = "/history/#pending-title";
    state.append(link);
  } else {
    state.textContent = "Waiting to send";
  }
  item.append(head, element("p", "thread__body", record.payload?.body || ""), state);
  return item;
}

export function enhanceMessages(root) {
  const section = root.querySelector("[data-messages]");
  if (!section || !("indexedDB" in window)) return;
  const me = userId();
  const form = section.querySelector("form[data-compose]");
  const waiting = section.querySelector("[data-waiting]");
  const thread = section.querySelector("[data-thread]");
  const empty = section.querySelector("[data-thread-empty]");
  const problem = section.querySelector("[data-compose-error]");
  const drawn = new Map();

  async function render() {
    const records = await listOutboxOrEmpty();
    const mine = (Array.isArray(records) ? records : [])
      .filter((record) => record.kind === "message" && record.user_id === me)
      .sort((a, b) => (a.created_at || 0) - (b.created_at || 0));
    const present = new Set(mine.map((record) => record.id));
    // A record that left the outbox while it was waiting went to the server: it joins the thread as sent.
    for (const [id, node] of drawn) {
      if (present.has(id)) continue;
      drawn.delete(id);
      if (node.classList.contains("thread__message--refused")) continue;
      node.classList.remove("thread__message--waiting");
      node.querySelector(".thread__state").textContent = "Sent, not read yet";
      thread?.append(node);
    }
    waiting.replaceChildren(
      ...mine.map((record) => {
        const node = waitingItem(record);
        drawn.set(record.id, node);
        return node;
      }),
    );
    if (empty) empty.hidden = mine.length > 0 || (thread?.children.length || 0) > 0;
  }

  function say(words) {
    if (!problem) return;
    problem.textContent = words || "";
    problem.hidden = !words;
  }

  form?.addEventListener("submit", async (event) => {
    const field = form.querySelector("textarea[name=body]");
    const body = cleanBody(field?.value);
    const wrong = bodyProblem(body);
    event.preventDefault();
    if (wrong) {
      say(wrong);
      field?.focus();
      return;
    }
    const payload = { id: newRecordId(), body, written_at: new Date().toISOString(), user_id: me };
    try {
      await enqueue("message", payload, { label: body.length > 40 ? `${body.slice(0, 40)}…` : body });
    } catch (error) {
      const words = describeStorageError(error);
      log.warn("saving a message on the phone", error);
      if (navigator.onLine) {
        form.submit(); // the server stores it directly, as without script
        return;
      }
      say(`The message could not be saved on this phone. ${words || "Try again."}`);
      return;
    }
    field.value = "";
    say("");
    await render();
    drain({ force: true });
  });

  listenForChanges();
  window.addEventListener("outbox:changed", () => render().catch((error) => log.fault("drawing the waiting messages", error)));
  render().catch((error) => log.fault("drawing the waiting messages", error));
}

enhanceMessages(document);
