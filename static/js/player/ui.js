// Draws the player's screens: fills the page's own markup from the engine's state; it decides nothing.
import { createFigure } from "./figure.js";
import { aboveCeilingAndStart } from "../pain.js";
import { lightFor } from "./rating.js";
import { clock, counterLine, doseLine, minutes, phaseLabel, sideLabel } from "./words.js";

const RING = 339.292;
const LIGHT_NAMES = { green: "Green zone", amber: "Amber zone", red: "Red zone" };
// What an answer to "your back after this exercise" means against the pain before the session.
const DURING_WORDS = {
  green: (pain) => `${pain} of 10 noted: green. Carry on.`,
  amber: (pain) => `${pain} of 10 noted: amber. Keep the next ones gentle and smaller.`,
  red: (pain) =>
    `${pain} of 10 noted: that is too much for today. Make the next exercises smaller and slower, leave out any that hurt, or end the session here.`,
};

function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

function setHidden(node, hidden) {
  if (node && node.hidden !== hidden) node.hidden = hidden;
}

const SAVED_WORDS = {
  waiting: { title: "Saved on this phone.", text: "It goes to your account on its own whenever you are online." },
  synced: { title: "Saved to your account.", text: "Your history and your trainer's page have it." },
  refused: { title: "Saved on this phone, but your account could not take it.", text: "Nothing is lost: it stays on the phone until you decide." },
};

export function createView(root, data) {
  const one = (selector) => root.querySelector(selector);
  let halted = false;
  const screens = [...root.querySelectorAll("[data-screen]")];
  const el = {
    meta: one("[data-player-meta]"),
    nojs: one("[data-player-nojs]"),
    list: one("[data-routine-list]"),
    progress: one("[data-progress]"),
    phase: one("[data-phase]"),
    phaseLabel: one("[data-phase-label]"),
    time: one("[data-time]"),
    unit: one("[data-time-unit]"),
    ring: one("[data-ring]"),
    timer: one(".timer"),
    count: one("[data-count]"),
    paused: one("[data-paused-note]"),
    next: one("[data-next]"),
    skipRest: one('[data-action="skip-rest"]'),
    name: one("[data-name]"),
    cue: one("[data-cue]"),
    dose: one("[data-dose]"),
    figure: one("[data-figure]"),
    image: one("[data-illustration]"),
    note: one("[data-note]"),
    live: one("[data-live]"),
    pause: one('[data-action="pause"]'),
    pauseLabel: one("[data-pause-label]"),
    endButton: one('[data-action="end"]'),
    endConfirm: one("[data-end-confirm]"),
    leaveConfirm: one("[data-leave-confirm]"),
    during: one("[data-during]"),
    duringLegend: one("[data-during-legend]"),
    duringSaid: one("[data-during-said]"),
    duringClose: one("[data-during-close]"),
  };
  // An illustration that is missing or cannot load leaves no broken picture on the mat.
  el.image.addEventListener("error", () => setHidden(el.figure, true));
  el.image.addEventListener("load", () => setHidden(el.figure, false));
  const figure = createFigure(el.figure, el.image);

  function nextText(step) {
    const exercise = data.exercises[step.exercise];
    if (step.phase === "rest" && step.changeover) return `Next: ${exercise.name}`;
    if (step.phase === "rest" && step.bout) return `Next: bout ${step.rep} of ${step.reps}`;
    if (step.phase === "rest") {
      const side = step.side ? `, ${sideLabel(step.side).toLowerCase()}` : "";
      return `Next: set ${step.set} of ${step.sets}${side}`;
    }
    return "";
  }

  return {
    enhance(totalMs) {
      setHidden(el.nojs, true);
      const count = data.exercises.length;
      setText(el.meta, `${count} exercise${count === 1 ? "" : "s"} · ${minutes(totalMs)}`);
    },

    show(name, { focus = true } = {}) {
      for (const screen of screens) setHidden(screen, screen.dataset.screen !== name);
      setHidden(el.list, name !== "start" && name !== "resume");
      const current = screens.find((screen) => screen.dataset.screen === name);
      const heading = current?.querySelector("[tabindex='-1']");
      if (focus && heading) heading.focus({ preventScroll: false });
      if (name !== "start") window.scrollTo(0, 0);
    },

    /** Everything that changes only when a new step begins. */
    step(step) {
      const exercise = data.exercises[step.exercise];
      el.phase.dataset.phase = step.phase;
      setText(el.progress, `Exercise ${step.exercise + 1} of ${data.exercises.length}`);
      setText(el.name, exercise.name);
      setText(el.cue, exercise.cue);
      setText(el.dose, doseLine(exercise));
      setText(el.note, exercise.note || "");
      setHidden(el.note, !exercise.note);
      const next = nextText(step);
      setText(el.next, next);
      setHidden(el.next, !next);
      setHidden(el.skipRest, step.phase !== "rest");
      // In a rest the set and side belong to what comes next, which the "Next:" line already says.
      setText(el.count, step.phase === "rest" ? "" : counterLine(step, { withRep: false }).replaceAll(" · ", "\n"));
      setHidden(el.count, step.phase === "rest");
      figure.show(exercise);
    },

    /** What moves within a step: the seconds (or the repetition's half) and the ring. */
    time(step, elapsed, remaining) {
      const fraction = step.duration ? Math.min(1, elapsed / step.duration) : 1;
      setText(el.phaseLabel, halted ? "Paused" : phaseLabel(step, elapsed));
      if (step.phase === "rep") {
        setText(el.time, String(step.rep));
        setText(el.unit, `of ${step.reps}`);
        el.timer.toggleAttribute("data-long", false);
      } else {
        const seconds = Math.ceil(remaining / 1000);
        setText(el.time, clock(seconds));
        setText(el.unit, "");
        el.timer.toggleAttribute("data-long", seconds >= 60);
      }
      el.ring.setAttribute("stroke-dashoffset", (RING * fraction).toFixed(1));
      if (!halted) figure.follow(step, elapsed, data.exercises[step.exercise]);
    },

    paused(paused) {
      halted = paused;
      figure.paused(paused);
      if (paused) setText(el.phaseLabel, "Paused");
      setHidden(el.paused, !paused);
      el.phase.toggleAttribute("data-paused", paused);
      el.pause.setAttribute("aria-pressed", String(paused));
      setText(el.pauseLabel, paused ? "Resume" : "Pause");
    },

    /** The question after an exercise (index), with the answer already given if any; null puts it away. */
    askDuring(index, value) {
      if (index === null) {
        setHidden(el.during, true);
        return;
      }
      const exercise = data.exercises[index];
      setText(el.duringLegend, `Your back after ${exercise.name}?`);
      for (const input of el.during.querySelectorAll("input")) input.checked = Number(input.value) === value;
      if (value === null) this.duringSaid(null, null);
      setHidden(el.during, false);
    },

    /** What the answer means, in a few words: the light it gives against the pain before the session. */
    duringSaid(value, light) {
      // Once answered, the way out no longer skips anything: it just puts the question away.
      setText(el.duringClose, value === null ? "Skip" : "Done");
      el.duringClose.setAttribute("aria-label", value === null ? "Skip this question" : "Done with this question");
      if (value === null) {
        setText(el.duringSaid, "");
        delete el.duringSaid.dataset.light;
        return;
      }
      el.duringSaid.dataset.light = light;
      setText(el.duringSaid, DURING_WORDS[light](value));
    },

    confirmEnd(open) {
      setHidden(el.endConfirm, !open);
      setHidden(el.endButton, open);
      if (open) el.endConfirm.querySelector("button")?.focus();
    },

    /** Where the saved session is: "waiting" on the phone, "synced" to the account, or "refused" by it. */
    savedState(state) {
      const note = one("[data-saved-note]");
      if (note.dataset.state === state) return;
      note.dataset.state = state;
      setText(one("[data-saved-title]"), SAVED_WORDS[state].title);
      setText(one("[data-saved-text]"), SAVED_WORDS[state].text);
      // A problem must be reachable: the history lists it with what to do.
      if (state === "refused") {
        const link = document.createElement("a");
        link.href = "/history/";
        link.textContent = "See history";
        one("[data-saved-text]").append(" ", link, ".");
      }
    },

    /** After the phone's Back button: the routine is paused and the page asks whether to leave. */
    confirmLeave(open) {
      setHidden(el.leaveConfirm, !open);
      if (open) el.leaveConfirm.querySelector("button")?.focus();
    },

    announce(text) {
      setText(el.live, text);
    },

    resumeSummary(text) {
      setText(one("[data-resume-summary]"), text);
    },

    startError(text) {
      const node = one("[data-start-error]");
      setText(node, text);
      setHidden(node, !text);
    },

    highPain(show) {
      setHidden(one("[data-high-pain]"), !show);
    },

    settings(settings, abilities) {
      for (const input of root.querySelectorAll("[data-setting]")) {
        const key = input.dataset.setting;
        const able = abilities[key];
        input.checked = able && settings[key];
        input.disabled = !able;
        setText(root.querySelector(`[data-setting-hint="${key}"]`), able ? "" : " (this phone cannot do this)");
      }
    },

    effortWord(text) {
      const node = one("[data-effort-word]");
      setText(node, text);
      node.toggleAttribute("data-picked", true);
    },

    notesCount(length) {
      setText(one("[data-notes-count]"), `${length.toLocaleString("en")} of 2,000 characters`);
    },

    ratingError(text) {
      const node = one("[data-rating-error]");
      setText(node, text);
      setHidden(node, !text);
    },

    outcome(painBefore, painAfter, worst, hints) {
      const rules = data.rules;
      const light = lightFor(painBefore, worst, rules);
      // Green, but pain left above the ceiling and above where it began: its own words (rules.advice).
      const high = light === "green" && aboveCeilingAndStart(worst, painBefore, rules.pain_ceiling);
      const advice = rules.advice[high ? "green_high" : light];
      const box = one("[data-verdict]");
      box.dataset.light = light;
      setText(one("[data-light-name]"), `${LIGHT_NAMES[light]} · your back: ${painBefore} before, ${painAfter} now`);
      setText(one("[data-light-headline]"), advice.headline);
      setText(one("[data-light-text]"), advice.text);

      const list = one("[data-hint-list]");
      list.replaceChildren(
        ...hints.map(({ exercise, easier }) => {
          const item = document.createElement("li");
          if (easier) {
            const link = document.createElement("a");
            link.href = easier.url;
            link.textContent = easier.name;
            item.append(`${exercise.name} hurt. Next time try `, link, " instead.");
          } else {
            item.textContent = `${exercise.name} hurt. Next time keep it smaller and slower; if it still hurts, leave it out.`;
          }
          return item;
        }),
      );
      setHidden(one("[data-hints]"), hints.length === 0);
    },
  };
}
