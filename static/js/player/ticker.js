// Drives the engine from the page's clock: a short interval that measures the time really gone by,
// so a late or throttled timer (a locked phone, a busy page) never loses or invents seconds.

export function createTicker(onTick, { every = 200, win = globalThis } = {}) {
  let handle = null;
  let last = 0;
  return {
    start() {
      if (handle !== null) return;
      last = win.performance.now();
      handle = win.setInterval(() => {
        const now = win.performance.now();
        const ms = now - last;
        last = now;
        onTick(ms);
      }, every);
    },
    stop() {
      if (handle === null) return;
      win.clearInterval(handle);
      handle = null;
    },
  };
}
