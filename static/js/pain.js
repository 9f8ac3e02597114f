// A session's pain read the way the server's rules read it (webapp/sessions/rules.py), for the player's verdict and
// for Today and History's copy of a session saved on this phone: one reading, so the phone never judges a session
// one way in the player and another on Today. The ceiling is the pain-monitoring model's 5/10 (Silbernagel 2007),
// sent by the server (rules.PAIN_CEILING), never written here.

/** The worst pain of a session: just after it, or during any exercise rated on the way (Outcome.worst). */
export function worstPain(painAfter, painDuring = []) {
  return Math.max(painAfter, ...painDuring.filter((pain) => Number.isInteger(pain)));
}

/**
 * Pain taken above the ceiling and above where it began (8 before, 9 after). For a green session, no step up
 * follows and the dose is kept (Outcome.high, the opposite of Outcome.steady); an amber one never passes the
 * ceiling (rules.light_of), so a session that is not red and does this is green.
 */
export function aboveCeilingAndStart(worst, painBefore, ceiling) {
  return worst > Math.max(ceiling, painBefore);
}
