// The program builder page's entry module: reorder, add and remove exercises, and pick them, in place.
import { enhanceReorder } from "./reorder.js";
import { enhanceItems } from "./items.js";
import { enhancePicker } from "./picker.js";

const form = document.querySelector("form[data-builder]");
if (form) {
  enhanceReorder(form);
  enhanceItems(form);
  enhancePicker(form);
}
