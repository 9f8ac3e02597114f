// The header's status pill: offline, how many records wait to sync, and what the user must do about them.
import { userId } from "./identity.js";
import { countOf, kindOf } from "./kinds.js";
import { logger } from "./log.js";
import { CORRUPT, REJECTED, describeStorageError, listOutbox, listenForChanges, readRecord } from "./outbox.js";
import { syncState } from "./sync.js";

const log = logger("status");

// "2 sessions" when every record counted is a session, "3 items" when kinds are mixed.
function counted(count, kinds) {
  return countOf(kinds.size === 1 ? kindOf({ kind: [...kinds][0] }) : null, count);
}

// Counts the outbox the way the user thinks of it: mine waiting, other accounts' waiting, and problems.
export function summarise(records, me) {
  const summary = { mine: 0, others: 0, accounts: new Set(), problems: 0, kinds: { waiting: new Set(), problems: new Set() } };
  for (const record of records) {
    const kind = record.kind || "session";
    if (record.state === REJECTED || record.state === CORRUPT) {
      summary.problems += 1;
      summary.kinds.problems.add(kind);
      continue;
    }
    const contents = readRecord(record);
    if (!contents) {
      summary.problems += 1;
      summary.kinds.problems.add(kind);
      continue;
    }
    summary.kinds.waiting.add(kind);
    if (me !== null && contents.owner === me) summary.mine += 1;
    else {
      summary.others += 1;
      if (record.account) summary.accounts.add(record.account);
    }
  }
  return summary;
}

// What the pill says, most urgent first: [state, text, link or null].
export function message(summary, { me, online, phase }) {
  const waiting = summary.mine + summary.others;
  const many = (count) => counted(count, summary.kinds.waiting);
  if (!online) return ["offline", waiting ? `Offline · ${many(waiting)} waiting to sync` : "Offline", null];
  if (me === null && waiting) return ["signed-out", `Log in to sync ${many(waiting)}`, "/auth/login"];
  if (phase === "signed-out" && summary.mine) return ["signed-out", `Log in to sync ${many(summary.mine)}`, "/auth/login"];
  if (phase === "reload" && summary.mine) {
    return ["reload", `Reload the page to sync ${many(summary.mine)}`, window.location.pathname];
  }
  if (summary.problems) {
    return ["problem", `${counted(summary.problems, summary.kinds.problems)} could not be saved — see history`, "/history/"];
  }
  if (summary.mine) return ["waiting", `${many(summary.mine)} waiting to sync`, null];
  if (summary.others) {
    const who = summary.accounts.size === 1 ? [...summary.accounts][0] : "another account";
    return ["other-account", `${many(summary.others)} waiting for ${who} to log in`, "/auth/login"];
  }
  return ["idle", "", null];
}

export function showSyncStatus(root) {
  const pill = root.querySelector("[data-sync-status]");
  if (!pill || !("indexedDB" in window)) return;
  let queued = false;

  function show(state, text, link) {
    pill.dataset.state = state;
    pill.classList.toggle("status-pill--offline", state === "offline");
    pill.classList.toggle("status-pill--problem", ["problem", "reload", "storage"].includes(state));
    pill.hidden = state === "idle";
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = text;
      pill.replaceChildren(anchor);
    } else {
      pill.textContent = text;
    }
  }

  async function render() {
    queued = false;
    const me = userId();
    let records;
    try {
      records = await listOutbox();
    } catch (error) {
      // Someone signed in must know that a session finished here could not be kept.
      log.warn("reading the outbox for the status pill", error);
      if (me === null) return show("idle", "", null);
      const words = describeStorageError(error) || "This phone could not open its saved sessions.";
      return show("storage", `Sessions cannot be saved on this phone. ${words}`, null);
    }
    show(...message(summarise(records, me), { me, online: navigator.onLine, phase: syncState().phase }));
  }

  // Many events arrive together (a drain settles a batch); draw once for all of them.
  function update() {
    if (queued) return;
    queued = true;
    queueMicrotask(render);
  }

  listenForChanges();
  for (const name of ["outbox:changed", "sync:state", "online", "offline"]) window.addEventListener(name, update);
  update();
}
