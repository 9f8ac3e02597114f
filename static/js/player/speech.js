// Spoken cues and vibration at phase changes: each switchable, and silent wherever the phone cannot do it.
import { logger } from "../log.js";
import { isLongEffort, sideLabel } from "./words.js";

const log = logger("player");

function named(exercise, step) {
  const side = step.side ? `, ${sideLabel(step.side).toLowerCase()}` : "";
  return `${exercise.name}${side}.`;
}

/** What to say as a step begins. */
export function stepPhrase(step, exercises) {
  const exercise = exercises[step.exercise];
  switch (step.phase) {
    case "get-ready":
      // The cue is spoken where there is time for it: at the very start, on coming back, or in the rest before.
      if (step.resumed || (step.first && step.exercise === 0)) return `${named(exercise, step)} ${exercise.cue}`;
      if (step.first) return named(exercise, step);
      if (step.side === "right") return "Right side.";
      return step.side ? `Set ${step.set}, left side.` : `Set ${step.set}.`;
    case "hold":
      return isLongEffort(step) ? "Go." : "Hold.";
    case "relax":
      return "Relax.";
    case "rep":
      return step.rep === 1 ? "Go." : String(step.rep);
    case "rest":
      if (step.changeover) return `Rest. Next: ${exercise.name}. ${exercise.cue}`;
      if (step.bout) return `Rest. Next: bout ${step.rep} of ${step.reps}.`;
      return `Rest. Next: set ${step.set} of ${step.sets}.`;
    default:
      return "";
  }
}

/** What to say within a step as its seconds run down. */
export function secondPhrase(step, remaining) {
  const total = Math.round(step.duration / 1000);
  if (step.countdown && remaining <= 3) return String(remaining);
  if (step.phase === "hold" && total >= 30 && remaining === 10) return "10 seconds left.";
  if (step.phase === "hold" && total >= 20 && remaining === Math.ceil(total / 2)) return "Halfway.";
  return "";
}

/**
 * The phrases for one batch of engine events. After a long gap (a phone left in a pocket) a batch can
 * span many steps: only the newest step is worth saying, and only its latest second.
 */
export function phrasesFor(events, exercises) {
  const start = events.findLastIndex((e) => e.type === "step" || e.type === "done");
  const recent = start === -1 ? events : events.slice(start);
  const phrases = [];
  const first = recent[0];
  // Ending early was a tap on the phone: nothing needs saying. Reaching the end deserves a word.
  if (first?.type === "done") return first.early ? [] : ["Well done. That is the whole routine."];
  // Straight after a countdown a number would sound like part of it: the first movement is always "Go".
  if (start !== -1) phrases.push(first.resumed && first.step.phase === "rep" ? "Go." : stepPhrase(first.step, exercises));
  const second = recent.findLast((e) => e.type === "second");
  if (second) phrases.push(secondPhrase(second.step, second.remaining));
  if (recent.some((e) => e.type === "half")) phrases.push("Return.");
  return phrases.filter(Boolean);
}

const PATTERNS = { hold: [250], rep: [250], relax: [90, 70, 90], rest: [90, 70, 90], "get-ready": [60], done: [300, 120, 300] };

/** The vibration for a batch of events: one buzz for the newest step, a tap for each later repetition. */
export function patternFor(events) {
  const last = events.findLast((e) => e.type === "step" || e.type === "done");
  if (!last || (last.type === "done" && last.early)) return null;
  if (last.step.phase === "rep" && last.step.rep > 1) return [60];
  return PATTERNS[last.step.phase] || null;
}

export function createVoice(win = globalThis) {
  const synth = win.speechSynthesis;
  const Utterance = win.SpeechSynthesisUtterance;
  const available = Boolean(synth && typeof synth.speak === "function" && typeof Utterance === "function");
  // Some browsers drop an utterance that nothing references before it has been spoken.
  let current = null;
  return {
    available,
    say(text) {
      if (!available || !text) return;
      try {
        if (synth.speaking || synth.pending) synth.cancel();
        current = new Utterance(text);
        current.lang = win.document?.documentElement?.lang || "en";
        synth.speak(current);
      } catch (error) {
        // A voice that fails must never stop the routine.
        log.warn("speaking a cue", error);
      }
    },
    stop() {
      if (!available) return;
      try {
        synth.cancel();
      } catch (error) {
        // As above: silence is an acceptable failure.
        log.warn("stopping the voice", error);
      }
      current = null;
    },
  };
}

export function createBuzzer(nav = globalThis.navigator) {
  const available = Boolean(nav && typeof nav.vibrate === "function");
  return {
    available,
    buzz(pattern) {
      if (!available || !pattern) return;
      try {
        nav.vibrate(pattern);
      } catch (error) {
        // As with the voice: the routine goes on without it.
        log.warn("vibrating", error);
      }
    },
  };
}
