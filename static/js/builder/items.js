// Adds and removes a routine's exercises in the program builder without leaving the page. Without this
// module "Add" and "Remove" post the whole form and the server draws it again; with it a copy of the page's
// own item template (edit.html's item_row, one per kind of exercise) is filled in here with the field names
// the server would give it, so Save posts an added exercise exactly as one drawn by the server.
import { announce, itemsOf, markUnsaved, renumber } from "./list.js";
import { showHandles } from "./reorder.js";

function routineName(routine) {
  return document.getElementById(`${routine.id}-name`)?.value.trim() || "the routine";
}

// "Routine A, week 2": how the server's messages name a routine.
export function routineLabel(routine) {
  return `${routineName(routine)}, week ${routine.dataset.weekNumber}`;
}

// The first row number no exercise of the routine uses: names stay unique and short.
function freeRow(routine, list) {
  const used = new Set(itemsOf(list).map((item) => Number(item.id.slice(`${routine.id}-items-`.length))));
  let row = 0;
  while (used.has(row)) row += 1;
  return row;
}

// Copies the template and puts each token's value in its text and attributes: never parsed as markup.
function fill(template, tokens) {
  const copy = template.content.cloneNode(true);
  const swap = (text) => text.replace(/__([A-Z]+)__/g, (whole, key) => (key in tokens ? tokens[key] : whole));
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) node.data = swap(node.data);
    else for (const attribute of node.attributes) attribute.value = swap(attribute.value);
  }
  return copy.firstElementChild;
}

// Adds a chosen exercise (the picker's data-* of it) at the end of the routine, with the exercise's own
// starting dose. Answers the new item, or null when the routine is full (and says so).
export function addExercise(routine, exercise) {
  const form = routine.closest("[data-builder]");
  const list = routine.querySelector("[data-reorder]");
  const template = document.querySelector(`template[data-item-template="${exercise.kind}"]`);
  if (!form || !list || !template) return null;
  const limit = Number(form.dataset.maxItems);
  if (itemsOf(list).length >= limit) {
    announce(`${routineName(routine)} already has ${limit} exercises, the most a routine can hold.`);
    return null;
  }
  const row = freeRow(routine, list);
  const item = fill(template, {
    ITEM: `${routine.id}-items-${row}`,
    KEYS: `${routine.dataset.keys}:${row}`,
    X: String(row),
    NAME: exercise.title,
    ROUTINE: routineName(routine),
    EXERCISE: exercise.exercise,
    SETS: exercise.sets,
    REPS: exercise.reps,
    HOLD: exercise.hold,
    REST: exercise.rest,
    TEMPO: exercise.tempo,
    PICTURE: exercise.picture,
    WORDS: exercise.words,
  });
  if (!exercise.own) item.querySelector("[data-own]")?.remove();
  list.append(item);
  showHandles(item);
  renumber(list);
  markUnsaved();
  announce(`Added ${exercise.title} to ${routineLabel(routine)}.`);
  return item;
}

function removeItem(button) {
  const item = button.closest("[data-item]");
  const list = item.parentElement;
  const routine = list.closest("[data-routine]");
  const index = itemsOf(list).indexOf(item);
  item.remove();
  renumber(list);
  const rest = itemsOf(list);
  // The focus goes where the server's answer would put it: the next exercise's Remove, else adding one.
  const next = rest[Math.min(index, rest.length - 1)];
  const target = next
    ? next.querySelector("[data-remove]")
    : routine.querySelector("[data-open-picker]:not([hidden])") || routine.querySelector(".add-item input");
  target?.focus();
  announce(`Removed ${item.dataset.name} from ${routineName(routine)}.`);
  markUnsaved();
}

export function enhanceItems(form) {
  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove]");
    if (!button) return;
    event.preventDefault();
    removeItem(button);
  });
}
