// "Done reading" at the end of a lesson: sent without leaving the page, so the reader stays where they are.
// Without script the button posts the same form and the page comes back with a message.
import { logger } from "./log.js";
import { postForm } from "./post.js";

const log = logger("lessons");

export function enhanceLessonRead(root) {
  const form = root.querySelector("form[data-lesson-read]");
  if (!form) return;
  const error = form.querySelector("[data-lesson-read-error]");
  const say = (text) => {
    error.textContent = text;
    error.hidden = !text;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!navigator.onLine) {
      say("You are offline. Tap Done reading again once you are back online.");
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await postForm(form);
      const done = document.createElement("p");
      done.className = "lesson-done__note";
      done.setAttribute("role", "status");
      done.textContent = "✓ Marked as read. Today will suggest another lesson.";
      form.replaceWith(done);
    } catch (failure) {
      // A page kept for offline use may carry an old form token: a fresh copy of the page has a new one.
      log.warn("marking the lesson as read", failure);
      say("It could not be marked just now. Reload the page and tap Done reading again.");
      button.disabled = false;
    }
  });
}

enhanceLessonRead(document);
