// The guided player page: runs the routine embedded in the page from "how is your back" to a saved session, offline.
import { logger } from "./log.js";
import { CORRUPT, REJECTED, describeStorageError, enqueueSession, listOutbox, listenForChanges, newRecordId } from "./outbox.js";
import { worstPain } from "./pain.js";
import { createBackGuard } from "./player/backguard.js";
import { Engine, totalMs } from "./player/engine.js";
import { createFullscreen } from "./player/fullscreen.js";
import { buildPayload, effortWord, lightFor, painInWords, progressionHints, readRating } from "./player/rating.js";
import { progressStore, settingsStore } from "./player/resume.js";
import { createBuzzer, createVoice, patternFor, phrasesFor } from "./player/speech.js";
import { createTicker } from "./player/ticker.js";
import { createView } from "./player/ui.js";
import { createWakeLock } from "./player/wakelock.js";
import { counterLine, phaseLabel } from "./player/words.js";
import { playerMayRun } from "./safety/gate.js";
import { noteTrigger } from "./safety/standing.js";

const log = logger("player");

function checkedValue(form, name) {
  const value = new FormData(form).get(name);
  return value === null ? null : Number(value);
}

function ago(ms) {
  const minutes = Math.round(ms / 60000);
  if (minutes < 2) return "a moment ago";
  if (minutes < 90) return `${minutes} minutes ago`;
  return `${Math.round(minutes / 60)} hours ago`;
}

function runPlayer(root, data) {
  const view = createView(root, data);
  const progress = progressStore(data.user_id, data.routine.id);
  const settingsFile = settingsStore(data.user_id);
  const voice = createVoice();
  const buzzer = createBuzzer();
  const wakeLock = createWakeLock();
  const abilities = { speech: voice.available, vibration: buzzer.available };
  const startForm = root.querySelector("[data-start-form]");
  const ratingForm = root.querySelector("[data-rating-form]");

  let settings = settingsFile.load();
  let engine = new Engine(data.exercises);
  // The session being recorded: its id, the pain it started with, and when it started and ended.
  let session = null;
  let runningBeforeConfirm = false;
  let runningBeforeBack = false;
  const fullscreen = createFullscreen();
  // The phone's Back button mid-routine pauses and asks (see player/backguard.js).
  const backGuard = createBackGuard({
    onBack() {
      runningBeforeBack = engine.running;
      if (engine.running) actions.pause();
      view.confirmEnd(false);
      view.confirmLeave(true);
    },
  });
  // The exercise whose pain the rest on screen is asking about, or null.
  let asking = null;
  const ticker = createTicker((ms) => handle(engine.tick(ms)));

  function save(stage = "playing") {
    if (!session) return;
    const step = engine.step;
    progress.save({
      stage,
      id: session.id,
      pain_before: session.painBefore,
      started_at: session.startedAt.toISOString(),
      completed_at: session.completedAt ? session.completedAt.toISOString() : null,
      exercise: step.exercise,
      set: step.set,
      side: step.side,
      rep: step.rep,
      phase: step.phase,
      elapsed: engine.elapsed,
      counts: engine.counts(),
      engine: engine.serialise(),
      pain_during: session.painDuring,
    });
  }

  function noRatings() {
    return data.exercises.map(() => null);
  }

  // The rest after an exercise asks how the back is after it: only once some of it was done.
  function askAfter(step) {
    const previous = step.phase === "rest" && step.changeover ? step.exercise - 1 : -1;
    asking = previous >= 0 && engine.counts()[previous].reps_done > 0 ? previous : null;
    view.askDuring(asking, asking === null ? null : session.painDuring[asking]);
  }

  function play() {
    backGuard.arm();
    fullscreen.enter();
    ticker.start();
    wakeLock.hold();
    document.body.dataset.playing = "true";
    view.paused(false);
  }

  function halt() {
    ticker.stop();
    wakeLock.release();
    delete document.body.dataset.playing;
  }

  function announce(step) {
    // Every repetition is a step; saying each one aloud to a screen reader would drown the voice cues.
    if (step.phase === "rep" && step.rep > 1) return;
    const exercise = data.exercises[step.exercise];
    const where = counterLine(step).replaceAll(" · ", ", ");
    const question = asking === null ? "" : ` How is your back after ${data.exercises[asking].name}? Choose 0 to 10 below, or skip.`;
    view.announce(`${phaseLabel(step)}. ${exercise.name}.${where ? ` ${where}.` : ""}${question}`);
  }

  function cue(events) {
    if (settings.speech) voice.say(phrasesFor(events, data.exercises).join(" "));
    if (settings.vibration) buzzer.buzz(patternFor(events));
  }

  function handle(events) {
    if (events.length > 0) cue(events);
    if (engine.finished) {
      if (events.length > 0) finishRoutine();
      return;
    }
    if (events.some((e) => e.type === "step")) {
      view.step(engine.step);
      askAfter(engine.step);
      announce(engine.step);
      save();
    }
    // Every tick, not only on whole seconds: the ring moves smoothly and a repetition turns at its middle.
    view.time(engine.step, engine.elapsed, engine.remaining);
  }

  function finishRoutine() {
    halt();
    backGuard.disarm();
    fullscreen.leave();
    view.confirmLeave(false);
    asking = null;
    view.askDuring(null);
    view.confirmEnd(false);
    session.completedAt = new Date();
    session.counts = engine.counts();
    save("rating");
    view.show("rating");
  }

  function begin(events) {
    if (engine.finished) {
      // A routine with nothing left to play goes straight to the rating.
      finishRoutine();
      return;
    }
    view.show("play");
    play();
    handle(events);
  }

  function offerStart() {
    engine = new Engine(data.exercises);
    session = null;
    view.show("start", { focus: false });
  }

  function restoreSaved() {
    const saved = progress.load();
    if (!saved) return false;
    const startedAt = new Date(saved.started_at);
    const painBefore = saved.pain_before;
    if (typeof saved.id !== "string" || !Number.isInteger(painBefore) || painBefore < 0 || painBefore > 10 || Number.isNaN(startedAt.getTime())) {
      // Damaged or from an older version of the player: nothing worth offering.
      progress.clear();
      return false;
    }
    const ratings = Array.isArray(saved.pain_during) ? saved.pain_during : [];
    session = {
      id: saved.id,
      painBefore,
      startedAt,
      completedAt: saved.completed_at ? new Date(saved.completed_at) : null,
      counts: saved.counts,
      // A rating that is not a whole number from 0 to 10 (an older or damaged save) counts as not given.
      painDuring: data.exercises.map((_, i) => (Number.isInteger(ratings[i]) && ratings[i] >= 0 && ratings[i] <= 10 ? ratings[i] : null)),
    };
    if (saved.stage === "rating") {
      // Finished but not yet rated (the phone locked, the page was closed): straight back to the rating.
      engine = new Engine(data.exercises);
      engine.finish();
      view.show("rating", { focus: false });
      return true;
    }
    const fresh = new Engine(data.exercises);
    if (!fresh.restore(saved.engine)) {
      progress.clear();
      session = null;
      return false;
    }
    engine = fresh;
    const step = engine.step;
    const exercise = data.exercises[step.exercise];
    const set = step.sets > 1 ? `, set ${step.set} of ${step.sets}` : "";
    const side = step.side ? `, ${step.side} side` : "";
    view.resumeSummary(`You stopped at ${exercise.name}${set}${side}, ${ago(Date.now() - saved.saved_at)}.`);
    view.show("resume", { focus: false });
    return true;
  }

  async function saveRating(event) {
    event.preventDefault();
    const { rating, missing } = readRating(ratingForm);
    if (missing.length) {
      const words = { pain_after: "how your back is now", effort: "how hard it was" };
      view.ratingError(`Choose ${missing.map((m) => words[m]).join(" and ")} (0 to 10) first.`);
      ratingForm.querySelector(`input[name="${missing[0]}"]`)?.focus();
      return;
    }
    view.ratingError("");
    const button = ratingForm.querySelector('button[type="submit"]');
    button.disabled = true;
    const payload = buildPayload({
      id: session.id,
      data,
      startedAt: session.startedAt,
      completedAt: session.completedAt ?? new Date(),
      painBefore: session.painBefore,
      rating,
      counts: session.counts ?? engine.counts(),
      painDuring: session.painDuring,
    });
    // The worst of the pain after and the pain during each exercise decides the light, as the server judges it;
    // the history's list of what waits on this phone shows it as the server's list will.
    const worst = worstPain(rating.pain_after, session.painDuring);
    const light = lightFor(session.painBefore, worst, data.rules);
    try {
      await enqueueSession(payload, { label: data.routine.name, light });
    } catch (error) {
      button.disabled = false;
      const words = describeStorageError(error);
      // Storage full or switched off is the phone's state, and the words say what to do about it.
      if (words) log.warn("saving the finished session in the outbox", error);
      else log.fault("saving the finished session in the outbox", error);
      view.ratingError(`The session could not be saved on this phone. ${words || "Something went wrong while storing it; tap Save again."} Your answers stay on this screen until it is saved.`);
      return;
    }
    progress.clear();
    followSaved(session.id);
    if (light === "red") {
      // A red session asks for the safety check again before the next one, offline too (the server does the same).
      const pain = painInWords(session.painBefore, rating.pain_after, session.painDuring);
      noteTrigger(data.user_id, "red_session", `a red session (${pain})`);
    }
    view.outcome(session.painBefore, rating.pain_after, worst, progressionHints(data, rating.painful, session));
    view.show("outcome");
  }

  // The outcome says "saved on this phone" only while the session waits there (the sync runs on its own).
  function followSaved(id) {
    const check = async () => {
      let records;
      try {
        records = await listOutbox();
      } catch (error) {
        log.warn("reading the outbox to tell whether the session has synced", error);
        return; // the note keeps saying what was last known
      }
      const record = records.find((item) => item.id === id);
      if (!record) {
        view.savedState("synced");
        window.removeEventListener("outbox:changed", check);
      } else view.savedState(record.state === REJECTED || record.state === CORRUPT ? "refused" : "waiting");
    };
    listenForChanges();
    window.addEventListener("outbox:changed", check);
    check();
  }

  startForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const painBefore = checkedValue(startForm, "pain_before");
    if (painBefore === null) {
      view.startError("Choose how your back feels right now, from 0 to 10, first.");
      startForm.querySelector('input[name="pain_before"]')?.focus();
      return;
    }
    view.startError("");
    engine = new Engine(data.exercises);
    session = { id: newRecordId(), painBefore, startedAt: new Date(), completedAt: null, painDuring: noRatings() };
    begin(engine.start());
  });

  startForm.addEventListener("change", (event) => {
    const input = event.target;
    if (input.name === "pain_before") {
      view.startError("");
      view.highPain(Number(input.value) > data.rules.amber_max);
    }
    if (input.dataset.setting) {
      settings = { ...settings, [input.dataset.setting]: input.checked };
      settingsFile.save(settings);
    }
  });

  root.querySelector("[data-during]").addEventListener("change", (event) => {
    if (event.target.name !== "pain_during" || asking === null || !session) return;
    const pain = Number(event.target.value);
    session.painDuring[asking] = pain;
    view.duringSaid(pain, lightFor(session.painBefore, pain, data.rules));
    save();
  });

  ratingForm.addEventListener("change", (event) => {
    if (event.target.name === "effort") {
      const effort = Number(event.target.value);
      view.effortWord(`${effort}: ${effortWord(effort, data.rules)}`);
    }
  });
  ratingForm.addEventListener("input", (event) => {
    if (event.target.name === "notes") view.notesCount(event.target.value.length);
  });
  ratingForm.addEventListener("submit", saveRating);

  const actions = {
    pause() {
      if (engine.running) {
        handle(engine.pause());
        halt();
        view.paused(true);
        voice.stop();
        save();
      } else {
        play();
        handle(engine.resume());
      }
    },
    skip: () => handle(engine.skip()),
    back: () => handle(engine.back()),
    "skip-rest": () => handle(engine.skipRest()),
    "during-skip"() {
      asking = null;
      view.askDuring(null);
    },
    end() {
      runningBeforeConfirm = engine.running;
      if (engine.running) actions.pause();
      view.confirmEnd(true);
    },
    "end-cancel"() {
      view.confirmEnd(false);
      if (runningBeforeConfirm) actions.pause();
    },
    "end-confirm": () => handle(engine.finish()),
    "leave-cancel"() {
      view.confirmLeave(false);
      backGuard.arm();
      if (runningBeforeBack) actions.pause();
    },
    "leave-confirm"() {
      save();
      fullscreen.leave();
      backGuard.leave();
    },
    "resume-saved"() {
      begin(engine.start());
    },
    "start-over"() {
      progress.clear();
      offerStart();
      root.querySelector("#start-heading")?.focus();
    },
  };
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (button && actions[button.dataset.action]) actions[button.dataset.action]();
  });

  // A phone call or a locked screen may be the last the page sees: keep the place.
  const keep = () => {
    if (session && !engine.finished) save();
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") keep();
  });
  window.addEventListener("pagehide", keep);

  view.enhance(totalMs(engine.steps));
  view.settings(settings, abilities);
  if (!restoreSaved()) offerStart();
  // The start screen stops holding its place unseen (app.css): it is shown now, or another screen is.
  root.dataset.ready = "true";
}

const root = document.querySelector("[data-player]");
const source = document.getElementById("player-data");
if (root && source) {
  const data = JSON.parse(source.textContent);
  // Until the safety check is answered, the player opens the screen instead (online the server does this too).
  playerMayRun(data.user_id, data.safety).then((open) => {
    if (open) runPlayer(root, data);
  });
}
