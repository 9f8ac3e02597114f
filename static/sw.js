// CoreSteady's service worker: the app shell by revision, pages network-first, the user's offline
// package, and the outbox drained by Background Sync. Served at /sw.js with the precache list filled in,
// and registered as a module worker: it drains with the page's own modules, so there is one set of rules.
import { drainOutbox } from "/static/js/drain.js";
import { logger } from "/static/js/log.js";
import { readMeta } from "/static/js/outbox.js";
import { PAGE_SHELL, PARTS_ASKED, isPart, pageFromPart } from "/static/js/pageshell.js";

// [{url, revision}]: every app-shell file with a content hash, written in by the server at /sw.js.
const PRECACHE = /* precache */ [];

const SHELL_CACHE = "coresteady-shell";
const STATIC_CACHE = "coresteady-static";
const PACKAGE_PREFIX = "coresteady-offline-";
// Written last into a package cache, so a package cut short (the phone went offline) never counts as ready.
const PACKAGE_MARKER = "/__offline-package__";
const OFFLINE_PAGE = "/offline";
const PLAN = "/api/v1/plan";
// On a weak signal a page already on the phone beats a long wait for the network.
const NETWORK_TIMEOUT = 6000;
const PARALLEL_DOWNLOADS = 6;
const SYNC_ANSWER_TIMEOUT = 30000;

const log = logger("worker");

const revisioned = (entry) => `${entry.url}?v=${entry.revision}`;
// The precached copy of each shell URL at this worker's revision.
const SHELL = new Map(PRECACHE.map((entry) => [entry.url, revisioned(entry)]));
const absolute = (path) => new URL(path, self.location.origin).href;

self.addEventListener("install", (event) => {
  // No skipWaiting here: the page asks for it once the user has tapped "Reload".
  event.waitUntil(precache());
});

async function precache() {
  const cache = await caches.open(SHELL_CACHE);
  await Promise.all(
    PRECACHE.map(async (entry) => {
      const key = revisioned(entry);
      // A file whose revision is already cached has not changed: a deploy downloads only what did.
      if (await cache.match(key)) return;
      const response = await fetch(key, { credentials: "same-origin", cache: "no-cache" });
      if (!response.ok || response.redirected) throw new Error(`could not precache ${entry.url} (${response.status})`);
      await cache.put(key, response);
    }),
  );
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const wanted = new Set([...SHELL.values()].map(absolute));
      const shell = await caches.open(SHELL_CACHE);
      for (const request of await shell.keys()) {
        if (!wanted.has(request.url)) await shell.delete(request);
      }
      for (const name of await caches.keys()) {
        // The current package stays: its pages still work, and the page re-caches it if its version moved.
        if (name === SHELL_CACHE || name.startsWith(PACKAGE_PREFIX)) continue;
        await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The plan is part of the offline package: fresh from the network, else the copy on the phone
  // (today's page redraws itself from it when opened from the cache on a later day).
  if (url.pathname === PLAN) {
    event.respondWith(networkFirst(event, request));
    return;
  }
  // Other live data and the worker itself always come from the network.
  if (url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromStatic(request, url));
    return;
  }
  event.respondWith(networkFirst(event, request));
});

function cacheable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

async function fromStatic(request, url) {
  const revision = url.searchParams.get("v");
  const shellKey = SHELL.get(url.pathname);
  // A shell file answers both its revisioned URL and a bare module import ("./outbox.js").
  if (shellKey && (!revision || shellKey === `${url.pathname}?v=${revision}`)) {
    const hit = await caches.match(shellKey);
    if (hit) return hit;
  }
  if (revision) {
    const hit = await caches.match(request, { ignoreVary: true });
    if (hit) return hit;
  }
  try {
    const response = await fetch(request);
    // A revisioned URL never changes content, so it can be kept as it is.
    if (revision && cacheable(response)) {
      const copy = response.clone();
      caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    // Offline: an older revision of a drawing beats a broken image.
    const older = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
    log.warn(`fetching ${url.pathname} (offline?); ${older ? "an older copy answers" : "nothing on the phone answers"}`, error);
    if (older) return older;
    throw error;
  }
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A copy of a page on the phone, ready to show: a page of the offline package is kept as its parts and put
// back together with the app's shell kept beside it (static/js/pageshell.js). null if that cannot be done.
async function shown(request, copy) {
  if (!isPart(copy)) return copy;
  const page = await pageFromPart(copy, await shellBeside(request));
  if (!page) log.fault(`putting ${request.url} together from the offline package`);
  return page;
}

// The shell of the package the page's part came from. Cache Storage answers a match from the first cache, in the
// order they were made, that holds it; while a newer package is being written beside the one in use (a new plan,
// a deploy), the part and its shell must come from the same one.
async function shellBeside(request) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PACKAGE_PREFIX)) continue;
    const cache = await caches.open(name);
    if (await cache.match(request, { ignoreVary: true })) return cache.match(PAGE_SHELL, { ignoreVary: true });
  }
  return undefined;
}

async function networkFirst(event, request) {
  const cached = caches.match(request, { ignoreVary: true });
  const network = fetch(request).then((response) => {
    if (cacheable(response)) event.waitUntil(keepFresh(request, response.clone()));
    return response;
  });
  // Let a slow answer finish (and refresh the cache) even after the cached copy was shown.
  const settled = network.catch((error) => {
    log.warn(`fetching ${request.url} (offline, or the server is away); answering from the phone`, error);
    return null;
  });
  event.waitUntil(settled);
  const slow = cached.then((copy) =>
    copy ? delay(NETWORK_TIMEOUT).then(() => shown(request, copy)) : new Promise(() => {}),
  );
  // A network failure was reported just above; here it only means "use the copy".
  const response = await Promise.race([settled, slow]);
  if (response && response.status < 500) return response;
  // Unreachable, or the server is failing: the copy on the phone, else the offline page.
  const copy = await cached;
  const page = copy && (await shown(request, copy));
  if (page) return page;
  if (response) return response;
  if (request.mode === "navigate" && SHELL.has(OFFLINE_PAGE)) {
    const offline = await caches.match(SHELL.get(OFFLINE_PAGE));
    if (offline) return offline;
  }
  return Response.error();
}

// A page of the offline package fetched again online replaces its cached copy, if it is the same
// user's page (an expired login answers with the visitor's version, which must not replace it).
async function keepFresh(request, response) {
  const current = await readyPackage();
  if (!current) return;
  const cache = await caches.open(current.name);
  if (!(await cache.match(request, { ignoreVary: true }))) return;
  const html = await response.clone().text();
  const owner = /<meta name="user-id" content="(\d+)">/.exec(html);
  if (owner && Number(owner[1]) === current.user_id) await cache.put(request, response);
}

// The complete package on this phone: {name, version, user_id}, or null.
async function readyPackage(userId) {
  for (const name of (await caches.keys()).reverse()) {
    if (!name.startsWith(PACKAGE_PREFIX)) continue;
    const marker = await (await caches.open(name)).match(PACKAGE_MARKER);
    if (!marker) continue;
    const about = await marker.json();
    if (userId === undefined || about.user_id === userId) return { name, ...about };
  }
  return null;
}

async function dropPackages(keep) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PACKAGE_PREFIX) && name !== keep) await caches.delete(name);
  }
}

// Runs work over items with at most `width` at a time, failing as soon as one fails.
async function inParallel(items, width, work) {
  const queue = [...items];
  const runners = Array.from({ length: Math.min(width, queue.length) }, async () => {
    while (queue.length) await work(queue.shift());
  });
  await Promise.all(runners);
}

const building = new Map();

// Caches the whole package under its version, then drops the older one: all or nothing.
function cachePackage({ version, urls, user_id: userId }) {
  const name = PACKAGE_PREFIX + version;
  if (!building.has(name)) {
    const job = (async () => {
      const done = await readyPackage(userId);
      if (done?.name === name) {
        await dropPackages(name);
        return { ready: true, version };
      }
      const cache = await caches.open(name);
      try {
        await inParallel(urls, PARALLEL_DOWNLOADS, async (url) => {
          // A revisioned file already on the phone is the same file: copy it instead of downloading it.
          const copy = url.includes("?v=") && (await caches.match(url, { ignoreVary: true }));
          if (copy) return cache.put(url, copy);
          // The header tells the server this is the package, not a person opening the page: it answers every
          // player, which locks itself until the safety check is answered (static/js/safety/gate.js).
          const headers = { "X-Offline-Package": "1", ...PARTS_ASKED };
          const response = await fetch(url, { credentials: "same-origin", cache: "no-cache", headers });
          if (!cacheable(response)) throw new Error(`${url} answered ${response.status}`);
          return cache.put(url, response);
        });
        const about = { version, user_id: userId, count: urls.length, cached_at: Date.now() };
        await cache.put(PACKAGE_MARKER, new Response(JSON.stringify(about), { headers: { "Content-Type": "application/json" } }));
      } catch (error) {
        log.warn(`caching the offline package ${version}; the one already on the phone stays`, error);
        await caches.delete(name);
        return { ready: Boolean(done), version: done?.version || null, error: String(error) };
      }
      await dropPackages(name);
      return { ready: true, version };
    })().catch((error) => {
      log.fault(`caching the offline package ${version}`, error);
      return { ready: false, version: null, error: String(error) };
    });
    building.set(name, job);
    job.finally(() => building.delete(name));
  }
  return building.get(name);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const answer = (message) => event.ports[0]?.postMessage(message);
  switch (data.type) {
    case "skip-waiting":
      // Sent only after the user tapped "Reload" in the page's "New version available" banner.
      self.skipWaiting();
      break;
    case "claim":
      // A page whose navigation began before this worker activated missed clients.claim(): take it now.
      event.waitUntil(self.clients.claim());
      break;
    case "cache-package":
      event.waitUntil(cachePackage(data).then(answer));
      break;
    case "package-status":
      event.waitUntil(readyPackage(data.user_id).then((found) => answer({ ready: Boolean(found), version: found?.version || null })));
      break;
    case "forget-package":
      event.waitUntil(dropPackages(null));
      break;
    default:
  }
});

// Web Push: a reminder (or a reply) sent by the server's job worker, encrypted for this browser. The payload is
// {title, body, url, tag}; a newer one with the same tag replaces the one showing.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    log.warn("reading a push that is not JSON; showing a plain notification", error);
  }
  const title = typeof message.title === "string" && message.title ? message.title : "CoreSteady";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof message.body === "string" ? message.body : "",
      tag: typeof message.tag === "string" && message.tag ? message.tag : "coresteady",
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      data: { url: typeof message.url === "string" ? message.url : "/" },
    }),
  );
});

// A tap on the notification: the window already showing that page comes to the front; else an open window of
// the app goes there; else a new one opens. The player is in the offline package, so this works offline too.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const opening = openFromNotification(event.notification.data?.url).catch((error) =>
    log.warn("opening the page a notification points to", error),
  );
  // Only the browser's own events can hold the worker open; the work goes on either way.
  if (event.isTrusted) event.waitUntil(opening);
});

async function openFromNotification(path) {
  let target = new URL(path || "/", self.location.origin);
  // Only pages of this app: a notification never sends the person elsewhere.
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const showing = windows.find((client) => new URL(client.url).pathname === target.pathname);
  if (showing) return bringForward(showing);
  for (const client of windows) {
    try {
      const moved = await client.navigate(target.href);
      if (moved) return bringForward(moved);
    } catch (error) {
      // A window this worker does not control cannot be moved; try the next, or open one.
      log.warn(`moving an open window to ${target.pathname}`, error);
    }
  }
  return self.clients.openWindow(target.href);
}

async function bringForward(client) {
  try {
    return await client.focus();
  } catch (error) {
    // The browser decides when a window may come forward; the page is there either way.
    log.warn("bringing the app's window forward", error);
    return client;
  }
}

// Background Sync: the browser wakes the worker once the phone is online again.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(syncOutbox());
});

async function syncOutbox() {
  const pages = await self.clients.matchAll({ type: "window" });
  if (pages.length) {
    // An open page drains with the same rules and also updates what it shows: ask the one in front.
    const page = pages.find((client) => client.focused) || pages[0];
    const reply = await askPage(page, { type: "drain" });
    if (reply) {
      if (reply.retry) throw new Error("the server could not be reached; the browser will try again");
      return;
    }
    log.warn("an open page did not answer the request to drain; draining here");
  }
  await drainHere();
}

function askPage(page, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), SYNC_ANSWER_TIMEOUT);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    page.postMessage(message, [channel.port2]);
  });
}

// With no page open: the account and token the page last left in the outbox's database. Forced, since
// the browser chose this moment (it is online again); a token the server refuses waits for a page to
// open and read a fresh one.
async function drainHere() {
  const account = await readMeta("account");
  if (!account?.user_id || !account.csrf_token) {
    log.warn("Background Sync with nobody signed in on this phone: the outbox waits for a login");
    return;
  }
  const { outcome } = await drainOutbox({ me: account.user_id, csrfToken: () => account.csrf_token, force: true });
  if (outcome === "retrying") throw new Error("some records could not be sent; the browser will try again");
}
