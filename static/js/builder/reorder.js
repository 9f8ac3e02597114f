// Reorders a routine's exercises in the program builder: drag by the handle, or Up and Down in place.
// Without this module the Up and Down buttons post the form and the server moves the exercise; with
// it the move happens here, the hidden order fields carry it, and Save (or any other button) sends it.
import { announce, itemsOf, markUnsaved, renumber } from "./list.js";

function moved(item) {
  const list = item.parentElement;
  renumber(list);
  const position = itemsOf(list).indexOf(item) + 1;
  announce(`Moved ${item.dataset.name} to position ${position}`);
  markUnsaved();
}

function moveByButton(button) {
  const item = button.closest("[data-item]");
  const up = button.dataset.move === "up";
  const neighbour = up ? item.previousElementSibling : item.nextElementSibling;
  if (!neighbour || !neighbour.matches("[data-item]")) {
    announce(`${item.dataset.name} is already ${up ? "first" : "last"}`);
    return;
  }
  // The neighbour moves, not the item, so the pressed button never leaves the page and keeps focus.
  if (up) item.after(neighbour);
  else item.before(neighbour);
  moved(item);
  if (button.getAttribute("aria-disabled") === "true") {
    item.querySelector(`[data-move="${up ? "down" : "up"}"]`)?.focus();
  }
}

function middle(element) {
  const box = element.getBoundingClientRect();
  return box.top + box.height / 2;
}

const EDGE = 90;

function startDrag(event, handle) {
  if (event.button !== 0) return;
  const item = handle.closest("[data-item]");
  const list = item.parentElement;
  const before = itemsOf(list).indexOf(item);
  event.preventDefault();
  item.classList.add("item--dragging");

  // As in moveByButton, neighbours step over the dragged item; it stays put in the DOM, so the
  // pointer keeps its target on touch screens too.
  const follow = (move) => {
    if (move.pointerId !== event.pointerId) return;
    if (move.clientY < EDGE) window.scrollBy(0, -12);
    else if (move.clientY > window.innerHeight - EDGE * 1.6) window.scrollBy(0, 12);
    let previous = item.previousElementSibling;
    while (previous && previous.matches("[data-item]") && move.clientY < middle(previous)) {
      item.after(previous);
      previous = item.previousElementSibling;
    }
    let next = item.nextElementSibling;
    while (next && next.matches("[data-item]") && move.clientY > middle(next)) {
      item.before(next);
      next = item.nextElementSibling;
    }
  };
  const finish = (end) => {
    if (end.pointerId !== event.pointerId) return;
    document.removeEventListener("pointermove", follow);
    document.removeEventListener("pointerup", finish);
    document.removeEventListener("pointercancel", finish);
    item.classList.remove("item--dragging");
    if (itemsOf(list).indexOf(item) !== before) moved(item);
  };
  document.addEventListener("pointermove", follow);
  document.addEventListener("pointerup", finish);
  document.addEventListener("pointercancel", finish);
}

// Gives each exercise under root its drag handle, a copy of the page's one handle template: only script can drag,
// so the server draws none (a long program's rows stay small). Items added later get theirs too: see items.js.
export function showHandles(root) {
  const template = document.querySelector("template[data-handle-template]");
  if (!template) return;
  const items = root.matches("[data-item]") ? [root] : root.querySelectorAll("[data-item]");
  for (const item of items) {
    const head = item.querySelector(".item__head");
    if (head && !head.querySelector("[data-drag-handle]")) head.prepend(template.content.cloneNode(true));
  }
}

export function enhanceReorder(form) {
  showHandles(form);
  form.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest("[data-drag-handle]");
    if (handle) startDrag(event, handle);
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (!button) return;
    event.preventDefault();
    moveByButton(button);
  });
  form.addEventListener("input", markUnsaved);
  form.addEventListener("change", markUnsaved);
}
