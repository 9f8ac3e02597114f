// The trainer's notes on Today: once the page has shown them, tell the server, so each note shows once.
// Without script the "Got it" button posts the same form.
import { logger } from "./log.js";

const log = logger("notes");

export function markNotesSeen(root) {
  const form = root.querySelector("form[data-notes-seen]");
  if (!form || !navigator.onLine) return;
  fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  })
    .then((response) => {
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      form.hidden = true;
    })
    .catch((error) => {
      // The notes show again next time, which is the safe way to fail; the button is still there.
      log.warn("marking the trainer's notes as seen", error);
    });
}
