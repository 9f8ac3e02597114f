// The exercise's figure in the player: the drawing put into the page and moved in time with the count.
//
// A figure (static/img/exercises/<slug>.svg, written by tools/figures) loops on its own in an <img>.
// Here it is inlined instead, its animation paused, and its clock set from the player's: one loop per
// repetition, into position while getting ready for a hold, still (with a breathing chest) while
// holding, out and back in during the short relax between holds. The SVG says where its loop turns:
// data-phases="out back-start back-end" in seconds, data-dur, and data-cycle for walking, which simply
// loops. A trainer's own picture and a drawing that cannot be fetched keep the plain <img>; viewers who
// asked for reduced motion get the drawing's #still view, its start and end positions side by side.

import { playable } from "../figures.js";
import { logger } from "../log.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const log = logger("player/figure");
const PREFIX = "fig-";

/** Seconds into the figure's loop for this moment of the routine; null leaves it where it is. */
export function figureTime(timing, step, elapsedMs) {
  if (!timing) return null;
  const { dur, phases, cycle } = timing;
  const elapsed = elapsedMs / 1000;
  const length = step.duration / 1000;
  const [out, backStart, backEnd] = phases ?? [0, 0, 0];
  if (cycle) return step.phase === "hold" ? elapsed % dur : 0;
  switch (step.phase) {
    case "rep":
      // One loop is one repetition: out in the first half, back in the second.
      return Math.min(dur, (elapsed / length) * dur);
    case "get-ready":
    case "rest":
      // For a hold, ease into position over the last seconds, so the count starts in position.
      if (step.kind !== "hold") return 0;
      return Math.max(0, Math.min(out, out - (length - elapsed)));
    case "hold":
      return (out + backStart) / 2;
    case "relax": {
      // Let go, then come back into position for the next hold.
      const half = length / 2;
      if (elapsed < half) return backStart + ((backEnd - backStart) * elapsed) / half;
      return (out * (elapsed - half)) / half;
    }
    default:
      return 0;
  }
}

/** The loop's timing as the SVG states it; null for a figure that does not move. */
export function readTiming(svg) {
  const dur = Number(svg.dataset.dur);
  if (!(dur > 0)) return null;
  const phases = (svg.dataset.phases || "").split(" ").map(Number);
  return { dur, cycle: svg.hasAttribute("data-cycle"), phases: phases.length === 3 && phases.every(Number.isFinite) ? phases : null };
}

function ours(url, win) {
  const target = new URL(url, win.document.baseURI);
  return target.origin === win.location.origin && /\/img\/exercises\/[\w-]+\.svg$/.test(target.pathname);
}

/**
 * The drawing ready to live in the page: the page's policy allows no inline <style>, so the
 * SVG's own (which picks the moving or the still figure) goes, with the still pair; ids are
 * prefixed so they cannot meet the page's.
 */
export function inlineFigure(text, doc) {
  // Out before parsing: a parsed document applies the page's policy too and would report the style.
  const parsed = new DOMParser().parseFromString(text.replace(/<style>[^<]*<\/style>/g, ""), "image/svg+xml");
  const svg = parsed.documentElement;
  if (svg.namespaceURI !== SVG_NS || svg.localName !== "svg" || parsed.querySelector("parsererror")) return null;
  for (const node of svg.querySelectorAll("style, .fs, script, foreignObject")) node.remove();
  for (const node of svg.querySelectorAll("[id]")) node.id = PREFIX + node.id;
  for (const node of svg.querySelectorAll("use")) {
    const href = node.getAttribute("href");
    if (href?.startsWith("#")) node.setAttribute("href", `#${PREFIX}${href.slice(1)}`);
  }
  const labels = svg.getAttribute("aria-labelledby");
  if (labels) svg.setAttribute("aria-labelledby", labels.split(" ").map((id) => PREFIX + id).join(" "));
  // The chest and upper back: what moves, gently, with the breath while holding.
  for (const id of ["c", "u"]) {
    for (const node of svg.querySelectorAll(`.fa use[href="#${PREFIX}${id}"]`)) node.setAttribute("data-breath", "");
  }
  svg.setAttribute("focusable", "false");
  // The file's animations wait to be started; here the player's clock moves them.
  return doc.importNode(playable(svg), true);
}

export function createFigure(frame, image, { win = globalThis } = {}) {
  const reduced = win.matchMedia?.("(prefers-reduced-motion: reduce)");
  let current = "";
  let svg = null;
  let timing = null;
  let last = null;

  function useImage(url, alt) {
    svg?.remove();
    svg = null;
    timing = null;
    image.hidden = false;
    if (image.src !== url) {
      image.alt = alt;
      image.src = url;
    }
  }

  async function inline(url, alt) {
    try {
      const response = await win.fetch(url);
      if (!response.ok) throw new Error(`${response.status} for ${url}`);
      const node = inlineFigure(await response.text(), win.document);
      if (url !== current) return; // the player moved on while it loaded
      if (!node) throw new Error(`${url} is not a drawing`);
      svg?.remove();
      svg = node;
      timing = readTiming(svg);
      image.hidden = true;
      image.removeAttribute("src");
      frame.append(svg);
      frame.hidden = false;
      svg.pauseAnimations?.();
      svg.setCurrentTime?.(0);
      last = null;
    } catch (error) {
      if (url !== current) return;
      // Offline without it cached, or not a drawing: the plain picture still shows, if it can.
      log.warn(`drawing ${url} in the page, shown as a picture instead`, error);
      useImage(url, alt);
    }
  }

  return {
    /** Shows the exercise's figure (a new exercise only; the same one stays as it is). */
    show(exercise) {
      const url = exercise.illustration ? new URL(exercise.illustration, win.document.baseURI).href : "";
      if (url === current) return;
      current = url;
      if (!url) {
        svg?.remove();
        svg = null;
        frame.hidden = true;
        return;
      }
      if (!ours(url, win)) {
        useImage(url, exercise.illustration_alt || "");
        return;
      }
      if (reduced?.matches) {
        // The drawing's own still view: its start and end positions side by side.
        useImage(`${url}#still`, exercise.illustration_alt || "");
        return;
      }
      inline(url, exercise.illustration_alt || "");
    },

    /** Moves the figure to where this moment of the routine puts it. */
    follow(step, elapsedMs, exercise) {
      if (!svg) return;
      const t = figureTime(timing, { ...step, kind: exercise?.kind }, elapsedMs);
      if (t !== null && t !== last) {
        svg.setCurrentTime(t);
        last = t;
      }
      frame.toggleAttribute("data-breathing", step.phase === "hold" && !timing?.cycle);
    },

    paused(paused) {
      if (paused) frame.removeAttribute("data-breathing");
    },
  };
}
