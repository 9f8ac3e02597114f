// The guided routine as a pure state machine: timed steps built from the routine, moved on by tick(ms); no DOM, no timers.

export const GET_READY_MS = 5000;
// After tapping Start (or coming back to a stopped routine) the phone still has to be put down and the mat reached.
export const FIRST_GET_READY_MS = 10000;
export const RELAX_MS = 3000;
// Even when a routine plans no rest, getting from the floor to standing (or onto the front) takes a moment.
export const CHANGEOVER_MS = 15000;
// A hold of a minute or more is a bout (a walk): bouts are separated by the written rest, not a short relax.
// webapp/programs/duration.py walks these same steps for the "about N min" every other page shows.
export const BOUT_MS = 60000;

const WORK = new Set(["hold", "rep"]);
const DONE = Object.freeze({ phase: "done", exercise: -1, duration: 0 });

function seconds(value) {
  return Math.max(1, Math.round(Number(value) || 0)) * 1000;
}

/** Every timed step of a routine, in order; a step knows its exercise, set, side and repetition. */
export function buildSteps(exercises) {
  const steps = [];
  exercises.forEach((exercise, index) => {
    const sets = Math.max(1, exercise.sets | 0);
    const reps = Math.max(1, exercise.reps | 0);
    const sides = exercise.per_side ? ["left", "right"] : [null];
    const base = { exercise: index, slug: exercise.slug, sets, reps };
    const add = (step) => steps.push({ ...base, countdown: false, ...step });
    const bout = exercise.kind === "hold" && seconds(exercise.hold_seconds) >= BOUT_MS;
    const betweenBouts = Math.max(RELAX_MS, (exercise.rest_seconds | 0) * 1000);

    if (index > 0) {
      const rest = Math.max(CHANGEOVER_MS, (exercises[index - 1].rest_seconds | 0) * 1000);
      add({ phase: "rest", changeover: true, set: 1, side: sides[0], rep: 0, duration: rest });
    }
    add({ phase: "get-ready", first: true, set: 1, side: sides[0], rep: 0, duration: index === 0 ? FIRST_GET_READY_MS : GET_READY_MS, countdown: true });
    for (let set = 1; set <= sets; set += 1) {
      if (set > 1) {
        const rest = (exercise.rest_seconds | 0) * 1000;
        add({ phase: rest > 0 ? "rest" : "get-ready", set, side: sides[0], rep: 0, duration: rest || GET_READY_MS, countdown: true });
      }
      sides.forEach((side, s) => {
        if (s > 0) add({ phase: "get-ready", set, side, rep: 0, duration: GET_READY_MS, countdown: true });
        for (let rep = 1; rep <= reps; rep += 1) {
          const last = rep === reps;
          const endsSet = last && s === sides.length - 1;
          if (exercise.kind === "hold") {
            add({ phase: "hold", set, side, rep, duration: seconds(exercise.hold_seconds), counts: true, endsSet, bout });
            if (!last && bout) add({ phase: "rest", bout: true, set, side, rep: rep + 1, duration: betweenBouts, countdown: true });
            else if (!last) add({ phase: "relax", set, side, rep, duration: RELAX_MS });
          } else {
            add({ phase: "rep", set, side, rep, duration: seconds(exercise.rep_seconds), counts: true, endsSet });
          }
        }
      });
    }
  });
  return steps;
}

/** A short fingerprint of the steps, so progress saved for one version of a routine is never applied to another. */
export function signature(steps) {
  let hash = 0x811c9dc5;
  for (const step of steps) {
    const text = `${step.phase}:${step.slug}:${step.exercise}:${step.set}:${step.side}:${step.rep}:${step.duration};`;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return `${steps.length}-${hash.toString(36)}`;
}

export function totalMs(steps) {
  return steps.reduce((sum, step) => sum + step.duration, 0);
}

export class Engine {
  constructor(exercises) {
    this.exerciseCount = exercises.length;
    this.steps = buildSteps(exercises);
    this.signature = signature(this.steps);
    this.index = 0;
    this.elapsed = 0;
    this.running = false;
    this.finished = this.steps.length === 0;
    this.done = new Set();
    // A get-ready that is not part of the plan: it leads back into a step after a break.
    this.lead = null;
  }

  get step() {
    if (this.finished) return DONE;
    return this.lead ?? this.steps[this.index];
  }

  get remaining() {
    return Math.max(0, this.step.duration - this.elapsed);
  }

  start() {
    if (this.finished) return [];
    this.running = true;
    return [{ type: "step", step: this.step }];
  }

  pause() {
    if (!this.running) return [];
    this.running = false;
    return [{ type: "paused", step: this.step }];
  }

  resume() {
    if (this.running || this.finished) return [];
    this.running = true;
    return [{ type: "resumed", step: this.step }];
  }

  tick(ms) {
    const events = [];
    let left = Math.max(0, ms);
    while (this.running && left > 0) {
      const step = this.step;
      const before = this.remaining;
      const used = Math.min(left, before);
      this.elapsed += used;
      left -= used;
      const after = this.remaining;
      if (after > 0 && Math.ceil(after / 1000) !== Math.ceil(before / 1000)) {
        events.push({ type: "second", step, remaining: Math.ceil(after / 1000) });
      }
      if (step.phase === "rep" && after > 0 && before > step.duration / 2 && after <= step.duration / 2) {
        events.push({ type: "half", step });
      }
      if (after === 0) events.push(...this.#advance());
    }
    return events;
  }

  /** On to the first step of the next exercise; past the last one, the routine is over. */
  skip() {
    if (this.finished) return [];
    return this.#jump(this.#firstStepOf(this.step.exercise + 1));
  }

  /** Back to the first step of the previous exercise (or the start of the first). */
  back() {
    if (this.finished) return [];
    return this.#jump(this.#firstStepOf(Math.max(0, this.step.exercise - 1)));
  }

  skipRest() {
    if (this.finished || this.step.phase !== "rest") return [];
    return this.#jump(this.index + 1);
  }

  finish() {
    if (this.finished) return [];
    this.running = false;
    this.finished = true;
    this.lead = null;
    return [{ type: "done", early: true, step: DONE }];
  }

  /** Per exercise, the sets and repetitions (or holds) actually completed, each side counted. */
  counts() {
    const counts = Array.from({ length: this.exerciseCount }, () => ({ sets_done: 0, reps_done: 0 }));
    for (const index of this.done) {
      const step = this.steps[index];
      counts[step.exercise].reps_done += 1;
      if (step.endsSet) counts[step.exercise].sets_done += 1;
    }
    return counts;
  }

  serialise() {
    return { signature: this.signature, index: this.index, elapsed: this.elapsed, done: [...this.done] };
  }

  /** Back to a saved position (paused); a step under way starts again after a get-ready. False when it does not fit. */
  restore(saved) {
    if (!saved || saved.signature !== this.signature) return false;
    const index = Number(saved.index);
    if (!Number.isInteger(index) || index < 0 || index >= this.steps.length) return false;
    this.index = index;
    this.elapsed = 0;
    this.running = false;
    this.finished = false;
    this.done = new Set((saved.done || []).filter((i) => Number.isInteger(i) && i >= 0 && i < this.steps.length));
    // A relax is only the gap before the next hold: pick up at that hold.
    if (this.steps[this.index].phase === "relax") this.index += 1;
    const step = this.steps[this.index];
    this.lead = WORK.has(step.phase)
      ? { ...step, phase: "get-ready", counts: false, endsSet: false, countdown: true, resumed: true, duration: FIRST_GET_READY_MS }
      : null;
    return true;
  }

  #firstStepOf(exercise) {
    const found = this.steps.findIndex((step) => step.exercise === exercise);
    return found === -1 ? this.steps.length : found;
  }

  #jump(index) {
    this.lead = null;
    this.elapsed = 0;
    this.index = index;
    if (index >= this.steps.length) {
      this.running = false;
      this.finished = true;
      return [{ type: "done", early: true, step: DONE }];
    }
    return [{ type: "step", step: this.step, jumped: true }];
  }

  #advance() {
    this.elapsed = 0;
    if (this.lead) {
      this.lead = null;
      return [{ type: "step", step: this.step, resumed: true }];
    }
    if (this.steps[this.index].counts) this.done.add(this.index);
    this.index += 1;
    if (this.index >= this.steps.length) {
      this.running = false;
      this.finished = true;
      return [{ type: "done", early: false, step: DONE }];
    }
    return [{ type: "step", step: this.step }];
  }
}
