// What Today shows once (the trainer's notes, a milestone): once the person has had it on screen, tell the
// server, so the next Today leaves it out. Each form[data-seen] is what the page posts; the nearest element
// marked data-shown around it is what must have been seen (else the form itself, below what it stands for).
// Without script the form's own button posts the same thing.
import { logger } from "./log.js";
import { postForm } from "./post.js";

const log = logger("seen");

function send(form) {
  if (!navigator.onLine) return; // shown again next time, the safe way to miss
  postForm(form)
    .then(() => {
      // Said in place: hiding the form would pull everything below it up the screen (a layout shift).
      const button = form.querySelector("button");
      if (!button) return;
      button.disabled = true;
      button.textContent = "Seen";
    })
    .catch((error) => {
      // It shows again next time, which is the safe way to fail; the button is still there.
      log.warn("telling the server what Today showed", error);
    });
}

function whenOnScreen(element, then) {
  if (!("IntersectionObserver" in window)) {
    then();
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      observer.disconnect();
      then();
    }
  }, { threshold: 0.5 });
  observer.observe(element);
}

export function markShown(root) {
  for (const form of root.querySelectorAll("form[data-seen]")) {
    whenOnScreen(form.closest("[data-shown]") ?? form, () => send(form));
  }
}

markShown(document);
