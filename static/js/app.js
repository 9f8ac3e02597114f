// The entry module of every page: what each page needs whatever it shows (the form's time zone, the install
// offer, the update banner, the sync and its status, the offline package). A page's own behaviour comes with the
// page, as its own module beside this one (its template's head block): the history page brings history.js, a
// lesson quiz.js, and so on, so Today does not fetch and parse the library's search or the lesson's quiz.
import { fillTimezone } from "./timezone.js";
import { watchForUpdates } from "./update.js";
import { startSync } from "./sync.js";
import { showSyncStatus } from "./status.js";
import { prepareOffline } from "./offline.js";
import { offerInstall } from "./install.js";

// What the page shows is made ready at once.
fillTimezone(document);
// The browser's install prompt can come before the page has loaded: listen for it from the start.
offerInstall(document);

// The app's housekeeping waits for the page to finish loading, then runs one piece per task: the worker's
// install and the offline package would otherwise compete with the page's own files on a slow connection, and
// each piece's first use of IndexedDB, locks or channels would add up to one long task that delays a tap.
const housekeeping = [
  () => watchForUpdates(document),
  () => startSync(),
  () => showSyncStatus(document),
  () => prepareOffline(document),
];

function runOneByOne(tasks) {
  const [task, ...rest] = tasks;
  if (!task) return;
  task();
  setTimeout(() => runOneByOne(rest), 0);
}

if (document.readyState === "complete") runOneByOne(housekeeping);
else window.addEventListener("load", () => runOneByOne(housekeeping), { once: true });
