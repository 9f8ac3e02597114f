// The header's status pill: offline, how many sessions wait to sync, and what the user must do about them.
import { userId } from "./identity.js";
import { CORRUPT, REJECTED, listOutboxOrEmpty, listenForChanges, readRecord } from "./outbox.js";
import { syncState } from "./sync.js";

export function sessions(count) {
  return `${count} ${count === 1 ? "session" : "sessions"}`;
}

// Counts the outbox the way the user thinks of it: mine waiting, other accounts' waiting, and problems.
export function summarise(records, me) {
  const summary = { mine: 0, others: 0, accounts: new Set(), problems: 0 };
  for (const record of records) {
    if (record.state === REJECTED || record.state === CORRUPT) {
      summary.problems += 1;
      continue;
    }
    const contents = readRecord(record);
    if (!contents) summary.problems += 1;
    else if (me !== null && contents.owner === me) summary.mine += 1;
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
  if (!online) return ["offline", waiting ? `Offline · ${sessions(waiting)} waiting to sync` : "Offline", null];
  if (me === null && waiting) return ["signed-out", `Log in to sync ${sessions(waiting)}`, "/auth/login"];
  if (phase === "signed-out" && summary.mine) return ["signed-out", `Log in to sync ${sessions(summary.mine)}`, "/auth/login"];
  if (phase === "reload" && summary.mine) {
    return ["reload", `Reload the page to sync ${sessions(summary.mine)}`, window.location.pathname];
  }
  if (summary.problems) {
    const verb = summary.problems === 1 ? "session could" : "sessions could";
    return ["problem", `${summary.problems} ${verb} not be saved — see history`, "/history/"];
  }
  if (summary.mine) return ["waiting", `${sessions(summary.mine)} waiting to sync`, null];
  if (summary.others) {
    const who = summary.accounts.size === 1 ? [...summary.accounts][0] : "another account";
    return ["other-account", `${sessions(summary.others)} waiting for ${who} to log in`, "/auth/login"];
  }
  return ["idle", "", null];
}

export function showSyncStatus(root) {
  const pill = root.querySelector("[data-sync-status]");
  if (!pill || !("indexedDB" in window)) return;
  let queued = false;

  async function render() {
    queued = false;
    const records = await listOutboxOrEmpty();
    const me = userId();
    const [state, text, link] = message(summarise(records, me), { me, online: navigator.onLine, phase: syncState().phase });
    pill.dataset.state = state;
    pill.classList.toggle("status-pill--offline", state === "offline");
    pill.classList.toggle("status-pill--problem", state === "problem" || state === "reload");
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
