// Marks a lesson's self-check answers at once, in the page, so it also works offline.
export function enhanceQuizzes(root) {
  for (const form of root.querySelectorAll("[data-quiz]")) {
    form.addEventListener("change", (event) => {
      const input = event.target;
      if (input.type !== "radio") return;
      mark(input.closest(".question"), Number(input.value));
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      for (const question of form.querySelectorAll(".question")) {
        const picked = question.querySelector("input:checked");
        if (picked) mark(question, Number(picked.value));
      }
    });
    const submit = form.querySelector("[data-quiz-submit]");
    if (submit) submit.hidden = true;
  }
}

function mark(question, picked) {
  const answer = Number(question.dataset.answer);
  const choices = [...question.querySelectorAll(".choice")];
  choices.forEach((label, index) => {
    label.classList.toggle("choice--right", index === answer);
    label.classList.toggle("choice--wrong", index === picked && picked !== answer);
  });
  const feedback = question.querySelector(".feedback");
  feedback.querySelector(".feedback__verdict").textContent = picked === answer ? "Right." : "Not quite.";
  feedback.hidden = false;
}

enhanceQuizzes(document);
