// SalesOrg's service worker (#18): the rep's pages open without a connection, and visits saved
// offline are sent by Background Sync when the connection returns. Served at /sw.js (root scope).
// Pages: the network first, the last copy when offline. Static files: the cached copy at once,
// refreshed in the background (their names are not hashed). Only GETs of our own origin; never
// the API, the admin, log-in pages or anything else not listed in PAGE_PATHS.
/* global SalesOrgVisitQueue */
importScripts("/static/salesorg/visit_queue.js");

const VERSION = "1";
const PAGES = "salesorg-pages-v" + VERSION;
const STATIC = "salesorg-static-v" + VERSION;
// Opened once online, these are there offline even if the rep never opened them before.
const START_PAGES = ["/", "/sales/visits/log/", "/customers/", "/sales/visits/"];
// The rep's home, the visit form and its pickers, their visits, customers and contacts.
const PAGE_PATHS = [
  /^\/$/,
  /^\/sales\/visits\/(log\/|customers\/|customer\/|checklist\/)?$/,
  /^\/sales\/visits\/\d+\/$/,
  /^\/customers\/(\d+\/)?$/,
  /^\/customers\/contacts\/\d+\/$/,
  /^\/org\/people\/\d+\/$/,
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(PAGES)
      .then((cache) =>
        Promise.all(
          START_PAGES.map((url) =>
            fetch(url, { credentials: "same-origin" })
              .then((response) => (keep(response) ? cache.put(url, response) : null))
              .catch(() => null),
          ),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("salesorg-") && key !== PAGES && key !== STATIC)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// A page worth keeping: a full answer of ours, not a redirect (to the log-in page, say).
function keep(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

const ANY_QUERY = { ignoreSearch: true, ignoreVary: true };

function networkFirst(request) {
  // A page opened with other parameters falls back to the page itself; a picker's answer does not.
  const loose = request.mode === "navigate";
  return fetch(request)
    .then((response) => {
      if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login")) {
        caches.delete(PAGES); // logged out: no one else sees this rep's pages offline
      } else if (keep(response)) {
        const copy = response.clone();
        caches.open(PAGES).then((cache) => cache.put(request, copy));
      }
      return response;
    })
    .catch(() =>
      caches.open(PAGES).then((cache) =>
        cache
          .match(request, { ignoreVary: true }) // pages vary by cookie: this cache is the rep's
          .then((hit) => hit || (loose && cache.match(request, ANY_QUERY)))
          .then((hit) => hit || Response.error()),
      ),
    );
}

function staleWhileRevalidate(event) {
  return caches.open(STATIC).then((cache) =>
    cache.match(event.request).then((hit) => {
      const fresh = fetch(event.request).then((response) => {
        if (keep(response)) cache.put(event.request, response.clone());
        return response;
      });
      if (hit) {
        event.waitUntil(fresh.catch(() => null));
        return hit;
      }
      return fresh;
    }),
  );
}

// The visit form posted while the connection fails: the visit is kept in the queue, not lost.
function postOrQueue(request) {
  const copy = request.clone();
  return fetch(request).catch(() =>
    copy.formData().then((form) => {
      const fields = Array.from(form.entries()).filter(([, value]) => typeof value === "string");
      const key = form.get("client_key") || SalesOrgVisitQueue.newKey();
      return SalesOrgVisitQueue.add(key, fields).then(() =>
        Response.redirect("/sales/visits/log/?queued=1", 303),
      );
    }),
  );
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (event.request.method === "POST" && url.pathname === "/sales/visits/log/") {
    if (event.request.mode === "navigate") event.respondWith(postOrQueue(event.request));
    return;
  }
  if (event.request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staleWhileRevalidate(event));
  } else if (PAGE_PATHS.some((path) => path.test(url.pathname))) {
    event.respondWith(networkFirst(event.request));
  }
});

// Background Sync: the queue is sent even if no SalesOrg page is open.
self.addEventListener("sync", (event) => {
  if (event.tag === SalesOrgVisitQueue.SYNC_TAG) {
    event.waitUntil(
      SalesOrgVisitQueue.flush().then(() =>
        self.clients.matchAll().then((clients) =>
          clients.forEach((client) => client.postMessage({ type: "visit-queue-changed" })),
        ),
      ),
    );
  }
});
