// "Copy link" buttons: copy the field they name and say so. Without this module the field is still selectable by hand.
import { logger } from "./log.js";

const log = logger("copy");

function copyText(field) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(field.value).then(
      () => true,
      (error) => {
        log.warn("copying with the Clipboard API; trying the older way", error);
        return legacyCopy(field);
      },
    );
  }
  return Promise.resolve(legacyCopy(field));
}

// Over plain HTTP on a home network the Clipboard API is missing; the older command still works there.
function legacyCopy(field) {
  field.focus();
  field.select();
  try {
    return document.execCommand("copy");
  } catch (error) {
    log.warn("copying the link; the person is asked to copy it by hand", error);
    return false;
  }
}

export function enhanceCopyButtons(root) {
  for (const button of root.querySelectorAll("button[data-copy]")) {
    const field = root.getElementById ? root.getElementById(button.dataset.copy) : null;
    if (!field) continue;
    const status = button.parentElement.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", async () => {
      const copied = await copyText(field);
      if (status) status.textContent = copied ? "Link copied." : "Copying did not work: the link is selected, copy it from there.";
      if (!copied) field.select();
    });
  }
}

enhanceCopyButtons(document);
