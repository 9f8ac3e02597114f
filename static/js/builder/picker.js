// The builder's exercise picker: "Add an exercise" opens a dialog of the exercises with their drawings, a
// search and level and position filters (the library page's own, run by static/js/library.js), and a
// preview of the moving drawing before the exercise is added in place (items.js). Without script, or in a
// browser without <dialog>, each routine keeps its box (a list of every exercise) and Add button.
import { addExercise, routineLabel } from "./items.js";

export function enhancePicker(form) {
  const dialog = document.querySelector("[data-picker]");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const browse = dialog.querySelector("[data-picker-browse]");
  const preview = dialog.querySelector("[data-picker-preview]");
  const addButton = dialog.querySelector("[data-picker-add]");
  let routine = null;
  let chosen = null;

  const showList = () => {
    preview.hidden = true;
    browse.hidden = false;
    dialog.querySelector("[data-picker-figure]").replaceChildren();
  };

  const showPreview = (choice) => {
    chosen = choice;
    const data = choice.dataset;
    // The card's own drawing, larger: the same moving figure, and its still positions for reduced motion.
    const figure = choice.querySelector("picture, img").cloneNode(true);
    const image = figure.matches("img") ? figure : figure.querySelector("img");
    image.removeAttribute("loading");
    image.width = 320;
    image.height = 200;
    image.alt = `${data.title}, drawn moving through the exercise`;
    dialog.querySelector("[data-picker-figure]").replaceChildren(figure);
    const name = dialog.querySelector("[data-picker-name]");
    name.textContent = data.title;
    dialog.querySelector("[data-picker-tags]").textContent = [...choice.querySelectorAll(".tag")]
      .map((tag) => tag.textContent.trim())
      .join(" · ");
    dialog.querySelector("[data-picker-summary]").textContent = data.summary;
    dialog.querySelector("[data-picker-dose]").textContent = data.words;
    addButton.textContent = `Add to ${routineLabel(routine)}`;
    browse.hidden = true;
    preview.hidden = false;
    name.focus();
  };

  for (const add of form.querySelectorAll(".add-item")) {
    add.classList.add("add-item--picker");
    add.querySelector("[data-open-picker]").hidden = false;
  }

  form.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open-picker]");
    if (!opener) return;
    routine = opener.closest("[data-routine]");
    dialog.querySelector("[data-picker-target]").textContent = ` to ${routineLabel(routine)}`;
    showList();
    dialog.showModal();
    dialog.querySelector('input[type="search"]').focus();
  });

  dialog.addEventListener("click", (event) => {
    const card = event.target.closest("[data-pick]");
    if (card) showPreview(card.closest("[data-exercise]"));
    else if (event.target.closest("[data-picker-back]")) {
      showList();
      chosen?.querySelector("[data-pick]").focus();
    } else if (event.target.closest("[data-picker-close]") || event.target === dialog) dialog.close();
  });

  addButton.addEventListener("click", () => {
    const item = addExercise(routine, chosen.dataset);
    dialog.close();
    // After close(), which gives the focus back to "Add an exercise": the new exercise's first dose field.
    item?.querySelector('input[type="number"]')?.focus();
  });
}
