// The page's entry module: wires up each enhancement that the current page asks for.
import { fillTimezone } from "./timezone.js";
import { enhanceQuizzes } from "./quiz.js";
import { enhanceLessonRead } from "./lessons.js";
import "./copy.js";
import { watchForUpdates } from "./update.js";
import { startSync } from "./sync.js";
import { showSyncStatus } from "./status.js";
import { showPendingList } from "./pending.js";
import { showToday } from "./today.js";
import { showHistory } from "./history.js";
import { markShown } from "./seen.js";
import { enhanceMessages } from "./messages.js";
import { prepareOffline } from "./offline.js";
import { offerInstall } from "./install.js";
import { filterLibrary } from "./library.js";
import { animateDrawings } from "./figures.js";
import { enhanceSafety } from "./safety/screen.js";
import { enhanceReminders } from "./reminders.js";

// What the page shows is made ready at once.
fillTimezone(document);
enhanceQuizzes(document);
enhanceLessonRead(document);
showPendingList(document);
showToday(document);
showHistory(document);
markShown(document);
enhanceMessages(document);
filterLibrary(document);
animateDrawings(document);
enhanceSafety(document);
enhanceReminders(document);
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
