// The exercise library's search and filters, answered in the page as the person types: the page holds
// every exercise (those filtered out hidden), so it works offline just as online. Without script the
// form asks the server, which applies the same rules (content/services.filter_exercises).

function wanted(form) {
  const value = (name) => (form.elements[name]?.value || "").trim();
  return {
    words: value("q").toLowerCase().slice(0, 100).split(/\s+/).filter(Boolean),
    muscle: value("muscle"),
    position: value("position"),
    kind: value("kind"),
    level: value("level"),
  };
}

function matches(card, filters) {
  const data = card.dataset;
  if (filters.muscle && !data.muscles.split(" ").includes(filters.muscle)) return false;
  if (filters.position && data.position !== filters.position) return false;
  if (filters.kind && data.kind !== filters.kind) return false;
  if (filters.level && data.level !== filters.level) return false;
  return filters.words.every((word) => data.search.includes(word));
}

function show(list, count, empty, filters) {
  const cards = [...list.querySelectorAll("li[data-search]")];
  const named = (card) => filters.words.length > 0 && filters.words.every((word) => card.dataset.name.includes(word));
  // As on the server: with a search, the exercises it names come first, the rest in the library's order.
  cards.sort((a, b) => named(b) - named(a) || a.dataset.order - b.dataset.order);
  let shown = 0;
  for (const card of cards) {
    card.hidden = !matches(card, filters);
    if (!card.hidden) shown += 1;
    list.insertBefore(card, empty);
  }
  empty.hidden = shown > 0;
  const total = Number(count.dataset.total);
  const active = filters.words.length || filters.muscle || filters.position || filters.kind || filters.level;
  count.textContent = active ? `${shown} of ${total} exercises` : `${total} exercises`;
}

export function filterLibrary(root) {
  const form = root.querySelector("form[data-library-filters]");
  const list = root.querySelector("[data-library]");
  const count = root.querySelector("[data-result-count]");
  const empty = root.querySelector("[data-library-empty]");
  if (!form || !list || !count || !empty) return;
  const apply = () => show(list, count, empty, wanted(form));
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    // Answered here, so a phone offline never asks the server for a page it does not have.
    event.preventDefault();
    apply();
  });
  form.addEventListener("reset", () => setTimeout(apply));
}

filterLibrary(document);
