// The kinds of record the outbox carries: where each is sent, under which key, what it is called, and
// how the server's refusal of one is told in plain words. Adding a kind is one entry here (docs/architecture.md).
// Imported by the page and by the service worker, so it touches neither window nor document.

// Field errors the server writes as "<field>: <message>" (webapp/sessions/sync.py); the words below
// match on the field and a few stable phrases, and anything else still gets a plain sentence.
function fieldOf(error) {
  const colon = error.indexOf(":");
  return colon === -1 ? "" : error.slice(0, colon).trim();
}

const UNREADABLE = {
  text: "Some of what it holds could not be read by the server (it may come from an older version of the app), so it cannot be sent as it is. Delete it from the phone.",
  retry: false,
};

const FINISHED_NOW = "Send it as finished now";

// The session as finished just now, keeping how long it lasted: for a phone whose clock was ahead.
function endingNow(payload, now) {
  const duration = Date.parse(payload.completed_at) - Date.parse(payload.started_at);
  return {
    ...payload,
    started_at: new Date(now - duration).toISOString(),
    completed_at: new Date(now).toISOString(),
  };
}

// A session the phone's wrong clock misdated: sent again as finished now, keeping how long it lasted.
function clockWasWrong(what, payload) {
  const duration = Date.parse(payload?.completed_at) - Date.parse(payload?.started_at);
  const cause = `${what}, so the phone's clock was probably wrong when you saved it.`;
  if (!(duration > 0)) return { text: `${cause} It cannot be sent as it is: delete it from the phone.`, retry: false };
  return {
    text: `${cause} Check that the phone sets its date and time automatically, then tap “${FINISHED_NOW}”.`,
    retry: false,
    repair: { label: FINISHED_NOW, apply: endingNow },
  };
}

function explainSessionError(error, payload) {
  const field = fieldOf(error);
  if (field === "completed_at" && /future/.test(error)) {
    return clockWasWrong("Its end time is later than the time on the server", payload);
  }
  if (field === "started_at" && /before your account/.test(error)) {
    return clockWasWrong("Its start time is before your account was made", payload);
  }
  if (field === "completed_at") {
    return {
      text: "Its end time is not after its start time (the phone's clock changed during the routine), so the server cannot file it. Delete it from the phone.",
      retry: false,
    };
  }
  if (field === "routine_id") {
    return {
      text: "The routine it belongs to is no longer part of your program, so the server cannot file it. If your trainer puts the routine back, tap Try again; otherwise delete it.",
      retry: true,
    };
  }
  if (/^exercises\.\d+\.pain_during$/.test(field) && /not an exercise of this routine/.test(error)) {
    return {
      text: "It records the pain of an exercise that is no longer part of this routine (the program changed since), so the server cannot file it. If your trainer puts the exercise back, tap Try again; otherwise delete it.",
      retry: true,
    };
  }
  if (/^exercises\.\d+\.exercise$/.test(field) && /no exercise/.test(error)) {
    return {
      text: "One of its exercises is no longer in the exercise library, so the server cannot file it. Ask your trainer, then tap Try again, or delete it.",
      retry: true,
    };
  }
  if (field === "user_id") {
    return { text: "It was recorded while another account was logged in. Log in as that account to send it.", retry: true };
  }
  return UNREADABLE;
}

// An explain() for a kind whose refusals are explained error by error: `conflict` says what a clash of ids
// means for it, and explainError(error, payload) turns one "<field>: <message>" into {text, retry, repair}.
function explainingEach(conflict, explainError) {
  return (answer, payload) => {
    if (answer?.status === "conflict") return { text: conflict, retry: false };
    if (answer?.status === "too-large") {
      return { text: "It is too large for the server to accept (over 1 MB), so it can never be sent. Delete it from the phone.", retry: false };
    }
    const errors = Array.isArray(answer?.errors) ? answer.errors.filter((e) => typeof e === "string") : [];
    if (!errors.length) return { text: "The server refused it without saying why. Tap Try again later, or delete it.", retry: true };
    // Several errors can share one explanation ("no exercise" for two exercises): say each once.
    let parts = errors.map((error) => explainError(error, payload));
    // What can never be sent decides; advice to try again beside it would only mislead.
    if (parts.some((part) => !part.retry)) parts = parts.filter((part) => !part.retry);
    const unique = [...new Map(parts.map((part) => [part.text, part])).values()];
    return {
      text: unique.map((part) => part.text).join(" "),
      retry: unique.every((part) => part.retry),
      repair: unique.length === 1 ? unique[0].repair || null : null,
    };
  };
}

const SESSION = {
  endpoint: "/api/v1/sessions",
  key: "sessions",
  nouns: ["session", "sessions"],
  // answer: {status, errors} as the server gave it (or {status: "too-large"} for a 413).
  explain: explainingEach(
    "A different session with the same identity is already saved in your account, so this copy was not saved. Look for it in your history; if it is there, delete this copy.",
    explainSessionError,
  ),
};

// A red-flag answer (or the later confirmation that a clinician has seen the person) given on the phone.
// The server judges it again and may refuse it (a confirmation that clears nothing it knows of): the
// answer stays on the phone for the person to see, and their standing follows the server's.
const SAFETY = {
  endpoint: "/api/v1/safety",
  key: "screens",
  nouns: ["safety answer", "safety answers"],
  explain(answer) {
    if (answer?.status === "conflict") {
      return {
        text: "A different safety answer with the same identity is already saved in your account, so this copy was not saved. Take the safety check again if anything has changed, then delete this copy.",
        retry: false,
      };
    }
    if (answer?.status === "too-large") return { text: "It is too large for the server to accept, so it can never be sent. Delete it from the phone.", retry: false };
    const errors = Array.isArray(answer?.errors) ? answer.errors.filter((e) => typeof e === "string") : [];
    if (errors.some((error) => fieldOf(error) === "user_id")) {
      return { text: "It was given while another account was logged in. Log in as that account to send it.", retry: true };
    }
    // The server's own words after the field name are written for the person (webapp/sessions/screens.py).
    const said = errors.map((error) => error.slice(error.indexOf(":") + 1).trim()).filter(Boolean);
    if (!said.length) return { text: "The server refused it without saying why. Tap Try again later, or delete it.", retry: true };
    return { text: `The server did not file this answer: ${said.join(" ")} Take the safety check again, then delete this copy.`, retry: false };
  },
};

// A message to the trainer written on the phone (static/js/messages.js). The server's words after the field
// name are written for the person (webapp/messages/services.py).
const SENT_NOW = "Send it as written now";

function explainMessageError(error) {
  const field = fieldOf(error);
  const said = error.slice(error.indexOf(":") + 1).trim();
  if (field === "written_at" && /future/.test(error)) {
    return {
      text: `Its time is later than the time on the server, so the phone's clock was probably wrong when you wrote it. Check that the phone sets its date and time automatically, then tap “${SENT_NOW}”.`,
      retry: false,
      repair: { label: SENT_NOW, apply: (payload, now) => ({ ...payload, written_at: new Date(now).toISOString() }) },
    };
  }
  if (field === "trainer") {
    return {
      text: "You have no trainer now, so there is no one to send it to. Once you join a trainer, tap Try again; otherwise delete it.",
      retry: true,
    };
  }
  if (field === "user_id") {
    return { text: "It was written while another account was logged in. Log in as that account to send it.", retry: true };
  }
  if (field === "body" && said) {
    return { text: `The server did not take it: ${said}. Copy what you wrote into a new message, then delete this one.`, retry: false };
  }
  return UNREADABLE;
}

const MESSAGE = {
  endpoint: "/api/v1/messages",
  key: "messages",
  nouns: ["message", "messages"],
  explain: explainingEach(
    "A different message with the same identity is already saved in your account, so this copy was not sent. Copy what you wrote into a new message, then delete this one.",
    explainMessageError,
  ),
};

// Every kind the outbox can send, by the name stored in each record's `kind`.
export const KINDS = new Map([
  ["session", SESSION],
  ["safety", SAFETY],
  ["message", MESSAGE],
]);

export function kindOf(record) {
  // Records written before kinds existed are all sessions.
  return KINDS.get(record?.kind || "session") || null;
}

export function countOf(kind, count) {
  const [one, many] = kind?.nouns || ["item", "items"];
  return `${count} ${count === 1 ? one : many}`;
}

// A rejected record in plain words: {text, retry, repair}. Records refused before the answer was kept
// carry only the server's text in `reason`; it is read back into errors so they get the same words.
export function explainRejection(record, payload) {
  const kind = kindOf(record);
  const answer = record.answer || legacyAnswer(record.reason);
  if (!kind) return { text: "This version of the app cannot send it. Update the app, or delete it.", retry: false, repair: null };
  return { repair: null, ...kind.explain(answer, payload) };
}

function legacyAnswer(reason) {
  if (typeof reason !== "string" || !reason) return null;
  if (reason === "This session is too large to send.") return { status: "too-large" };
  const conflict = /already stored|^The server answered "conflict"\.$|^conflict$/.test(reason);
  return { status: conflict ? "conflict" : "invalid", errors: reason.split("; ") };
}
