// The exercise drawings in pages (the library, an exercise, a lesson, the builder's picker) loop, but only
// while they are seen. A drawing's file alone shows its first position, still: tools/figures writes its
// animations to begin when asked, so loading a page or scrolling past forty cards costs no frames. Once
// the page has loaded and the browser is idle, each drawing on screen is swapped for a copy whose
// animations begin at once (the same file, read from the cache, with its `begin` removed); one that
// leaves the screen goes back to the still file and starts again from its first position when it returns.
// Viewers who asked for reduced motion keep what the page's <picture> picks for them: the start and end
// positions side by side. Without script, or where the copy cannot be made, the first position stays.

import { logger } from "./log.js";

const log = logger("figures");
const moving = new Map(); // the still file's URL -> a promise of its moving copy's data: URL

/** The drawing's animations made to run from the moment it is shown (they wait to be started). */
export function playable(svg) {
  for (const animation of svg.querySelectorAll("animateTransform[begin]")) animation.removeAttribute("begin");
  return svg;
}

async function movingCopy(url, win) {
  const response = await win.fetch(url);
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  const text = await response.text();
  // As text, not parsed: a document parsed here would take the page's policy, which refuses the
  // drawing's own <style> (in an image it is the drawing's alone). Only tools/figures' files get here.
  if (!text.startsWith("<svg ")) throw new Error(`${url} is not a drawing`);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text.replaceAll(' begin="indefinite"', ""))}`;
}

function copyOf(url, win) {
  if (!moving.has(url)) {
    const copy = movingCopy(url, win);
    copy.catch(() => moving.delete(url)); // try again next time it comes into view
    moving.set(url, copy);
  }
  return moving.get(url);
}

function idle(win, fn) {
  return win.requestIdleCallback ? win.requestIdleCallback(fn, { timeout: 2000 }) : win.setTimeout(fn, 200);
}

/**
 * Runs fn once the page has loaded and settled: the browser has a whole idle period (no frame and no
 * task waiting), so the page's own start (the offline copy, the sync) goes first. After a few tries
 * it runs anyway.
 */
function whenSettled(win, fn) {
  let tries = 10;
  const check = (deadline) => {
    tries -= 1;
    if (tries <= 0 || !deadline || (!deadline.didTimeout && deadline.timeRemaining() >= 40)) fn();
    else idle(win, check);
  };
  if (win.document.readyState === "complete") idle(win, check);
  else win.addEventListener("load", () => idle(win, check), { once: true });
}

export function animateDrawings(doc = document, { win = globalThis } = {}) {
  const images = [...doc.querySelectorAll("img[data-drawing]")];
  if (images.length === 0 || !win.IntersectionObserver) return;
  const reduced = win.matchMedia?.("(prefers-reduced-motion: reduce)");
  const seen = new WeakSet();
  // One drawing at a time, each in a moment of its own: showing a drawing's moving copy first costs a
  // few milliseconds of drawing, and several at once would hold the page up.
  const waiting = [];
  let running = false;

  async function play(image) {
    const still = image.dataset.drawing;
    try {
      const url = await copyOf(still, win);
      if (!seen.has(image) || reduced?.matches) return;
      image.src = url;
      await image.decode().catch(() => {}); // shown, or swapped back already: either way, on to the next
    } catch (error) {
      log.warn(`drawing ${still} left still`, error);
    }
  }

  function next() {
    const image = waiting.shift();
    running = image !== undefined;
    if (running) idle(win, () => play(image).then(next));
  }

  whenSettled(win, () => {
    const observer = new win.IntersectionObserver((entries) => {
      for (const { target, isIntersecting } of entries) {
        if (isIntersecting) {
          seen.add(target);
          if (!reduced?.matches && !waiting.includes(target)) waiting.push(target);
        } else {
          seen.delete(target);
          if (target.getAttribute("src") !== target.dataset.drawing) target.src = target.dataset.drawing;
        }
      }
      if (!running) next();
    });
    for (const image of images) observer.observe(image);
  });
}

animateDrawings(document);
