// A routine's list of exercises in the builder, as the page's other builder modules change it: the order
// fields and position numbers, what is said to a screen reader, and the "Changes not saved yet" note.

export function itemsOf(list) {
  return [...list.children].filter((child) => child.matches("[data-item]"));
}

// aria-disabled rather than disabled: a button that just reached the top keeps the keyboard focus.
function toggleEdge(button, atEdge) {
  if (!button) return;
  if (atEdge) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}

// The hidden order fields carry the order to the server: Save posts the exercises as they stand here. The server
// draws none (its rows are in order already), so each is added here the first time its list changes.
function orderField(item) {
  let field = item.querySelector("[data-order]");
  if (!field) {
    field = document.createElement("input");
    field.type = "hidden";
    field.name = `${item.id}-order`;
    field.dataset.order = "";
    item.prepend(field);
  }
  return field;
}

export function renumber(list) {
  const items = itemsOf(list);
  items.forEach((item, index) => {
    orderField(item).value = String(index);
    const position = item.querySelector("[data-position]");
    if (position) position.textContent = String(index + 1);
    toggleEdge(item.querySelector('[data-move="up"]'), index === 0);
    toggleEdge(item.querySelector('[data-move="down"]'), index === items.length - 1);
  });
  // An empty routine shows "No exercises yet." instead of an empty list.
  list.hidden = items.length === 0;
  const empty = list.closest("[data-routine]")?.querySelector("[data-items-empty]");
  if (empty) empty.hidden = items.length > 0;
}

export function announce(text) {
  const region = document.querySelector("[data-announce]");
  if (!region) return;
  // Emptied first, so saying the same words twice in a row is still read out.
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 60);
}

export function markUnsaved() {
  const note = document.querySelector("[data-unsaved]");
  if (note) note.hidden = false;
}
