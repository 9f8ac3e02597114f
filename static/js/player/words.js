// The player's words, shared by what the screen shows and what the voice says, so the two never disagree.

const SIDES = { left: "Left side", right: "Right side" };
// A timed effort of a minute or more (a walk, a long stretch) is not a "hold" to the person doing it.
const LONG_EFFORT_MS = 60000;

export function sideLabel(side) {
  return SIDES[side] || "";
}

export function isLongEffort(step) {
  return step.phase === "hold" && step.duration >= LONG_EFFORT_MS;
}

/** The phase in one or two words; a repetition is split into its two halves. */
export function phaseLabel(step, elapsed = 0) {
  switch (step.phase) {
    case "get-ready":
      return "Get ready";
    case "hold":
      return isLongEffort(step) ? "Keep going" : "Hold";
    case "relax":
      return "Relax";
    case "rep":
      return elapsed < step.duration / 2 ? "Move" : "Return";
    case "rest":
      return "Rest";
    default:
      return "Done";
  }
}

/** "45" under a minute, "4:00" from a minute up: what the big timer shows. */
export function clock(seconds) {
  if (seconds < 60) return String(seconds);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** "8 s", "4 min", "1 min 30 s". */
export function duration(seconds) {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

/** The planned dose: "8 s hold · 5 holds each side", "6 reps", "4 min", "2 × 5 min, 2 min rest between". */
export function doseLine(exercise) {
  const side = exercise.per_side ? " each side" : "";
  if (exercise.kind !== "hold") return plural(exercise.reps, "rep", "reps") + side;
  if (exercise.hold_seconds >= 60) {
    // Bouts (a walk): minutes, and the rest written between them.
    if (exercise.reps <= 1) return duration(exercise.hold_seconds) + side;
    const rest = exercise.rest_seconds > 0 ? `${duration(exercise.rest_seconds)} rest between` : "a short pause between";
    return `${exercise.reps} × ${duration(exercise.hold_seconds)}${side}, ${rest}`;
  }
  const hold = `${exercise.hold_seconds} s hold`;
  return exercise.reps > 1 || side ? `${hold} · ${plural(exercise.reps, "hold", "holds")}${side}` : hold;
}

/**
 * Where in the exercise this step is: "Set 1 of 2 · Hold 2 of 5 · Left side", "Rep 3 of 6". A single set is
 * not counted ("Set 1 of 1" says nothing). The screen leaves the repetition out (the big number shows it);
 * the screen reader keeps it.
 */
export function counterLine(step, { withRep = true } = {}) {
  const parts = step.sets > 1 ? [`Set ${step.set} of ${step.sets}`] : [];
  if (step.bout && step.phase === "hold" && step.reps > 1) parts.push(`Bout ${step.rep} of ${step.reps}`);
  else if ((step.phase === "hold" || step.phase === "relax") && step.reps > 1) parts.push(`Hold ${step.rep} of ${step.reps}`);
  if (step.phase === "rep" && withRep) parts.push(`Rep ${step.rep} of ${step.reps}`);
  if (step.side) parts.push(sideLabel(step.side));
  return parts.join(" · ");
}

export function minutes(ms) {
  return `about ${Math.max(1, Math.round(ms / 60000))} min`;
}
