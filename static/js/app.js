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
import { markShown } from "./seen.js";
import { prepareOffline } from "./offline.js";
import { offerInstall } from "./install.js";
import { filterLibrary } from "./library.js";
import { enhanceSafety } from "./safety/screen.js";

fillTimezone(document);
enhanceQuizzes(document);
enhanceLessonRead(document);
watchForUpdates(document);
startSync();
showSyncStatus(document);
showPendingList(document);
showToday(document);
markShown(document);
prepareOffline(document);
offerInstall(document);
filterLibrary(document);
enhanceSafety(document);
