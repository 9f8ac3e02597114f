// Console reports for caught errors, from the page and the service worker alike: each names its module
// and what it was doing. warn() is for what a phone meets in normal life (offline, storage switched off,
// a refused permission); fault() is for what should never happen, and the browser tests fail on it.

export function logger(area) {
  const prefix = `[coresteady:${area}]`;
  return {
    warn(doing, error) {
      if (error === undefined) console.warn(`${prefix} ${doing}`);
      else console.warn(`${prefix} ${doing}:`, describe(error));
    },
    fault(doing, error) {
      if (error === undefined) console.error(`${prefix} ${doing}`);
      else console.error(`${prefix} ${doing}:`, describe(error));
    },
  };
}

// "QuotaExceededError: ..." reads better in a console than "[object DOMException]" in some browsers.
function describe(error) {
  if (error instanceof Error || (typeof DOMException !== "undefined" && error instanceof DOMException)) {
    return `${error.name}: ${error.message}`;
  }
  return error;
}
