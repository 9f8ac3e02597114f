// The phone's Back button during a routine: it pauses and asks, instead of leaving mid-exercise.
// While a routine is under way the page keeps one history entry of its own above the player's. Back takes
// that entry away, which the page hears as "popstate" and answers by asking; staying puts the entry back,
// leaving goes back once more. Once the routine is over (or before it starts) one Back leaves as usual.

const MARK = "coresteadyPlayer";

export function createBackGuard({ onBack, win = window }) {
  let armed = false;

  win.addEventListener("popstate", (event) => {
    if (event.state?.[MARK]) return; // came forward onto the entry again
    if (armed) {
      armed = false;
      onBack();
    } else {
      // Off the entry left over from a routine that is over: Back meant to leave the page, so leave it.
      win.history.back();
    }
  });

  return {
    /** The routine is under way: Back asks first. */
    arm() {
      armed = true;
      if (win.history.state?.[MARK]) return; // already on it (the page was reloaded mid-routine)
      win.history.pushState({ ...(win.history.state || {}), [MARK]: true }, "");
    },
    /** The routine is over or waiting: Back leaves without asking. */
    disarm() {
      armed = false;
    },
    /** After Back, the person chose to leave: go where Back was going. */
    leave() {
      armed = false;
      win.history.back();
    },
  };
}
