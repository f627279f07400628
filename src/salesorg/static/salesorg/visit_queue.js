// The phone's queue of visits saved offline (#18), kept in IndexedDB so that it survives
// closing the browser. Used by the pages (offline.js) and by the service worker (sw.js).
// Each visit carries its idempotency key (client_key, a UUID made here): sending it twice
// saves it once. A visit the server refuses moves to the drafts with the server's message.
(function (root) {
  const DB = "salesorg";
  const QUEUE = "visit-queue";
  const DRAFTS = "visit-drafts";
  const SYNC_TAG = "salesorg-visits";
  const SEND_URL = "/sales/visits/log/";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(QUEUE, { keyPath: "key" });
        request.result.createObjectStore(DRAFTS, { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  // Run `work(stores)` in one transaction; resolves with what its last request gave.
  function transact(names, mode, work) {
    return open().then(
      (db) =>
        new Promise((resolve, reject) => {
          const tx = db.transaction(names, mode);
          const request = work(...names.map((name) => tx.objectStore(name)));
          tx.oncomplete = () => {
            db.close();
            resolve(request ? request.result : undefined);
          };
          tx.onerror = tx.onabort = () => {
            db.close();
            reject(tx.error);
          };
        }),
    );
  }

  function newKey() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    const b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // Ask the service worker to send the queue when the connection returns (Background Sync,
  // where the browser has it; otherwise the pages send it on load and on "online").
  function requestSync() {
    if (root.registration) {
      // In the service worker itself (a visit form post that could not reach the server).
      if (root.registration.sync) root.registration.sync.register(SYNC_TAG).catch(() => null);
      return;
    }
    const workers = root.navigator && root.navigator.serviceWorker;
    if (!workers || !workers.controller) return;
    workers.ready.then((reg) => reg.sync && reg.sync.register(SYNC_TAG)).catch(() => null);
  }

  // fields: [[name, value], ...] as the visit form would post them.
  function add(key, fields) {
    const item = { key: key, fields: fields, savedAt: Date.now() };
    return transact([QUEUE], "readwrite", (queue) => queue.put(item)).then(requestSync);
  }

  const pending = () => transact([QUEUE], "readonly", (queue) => queue.getAll());
  const drafts = () => transact([DRAFTS], "readonly", (store) => store.getAll());
  const dropDraft = (key) => transact([DRAFTS], "readwrite", (store) => store.delete(key));

  // A CSRF token of this session (the cookie is HttpOnly): from the visit form itself.
  function freshToken() {
    return fetch(SEND_URL, { credentials: "same-origin", cache: "no-store" })
      .then((response) => (response.ok && !response.redirected ? response.text() : ""))
      .then((html) => {
        const found = html.match(/name="csrfmiddlewaretoken" value="([^"]+)"/);
        return found ? found[1] : null;
      });
  }

  function send(item, token) {
    const body = new URLSearchParams();
    item.fields.forEach(([name, value]) => {
      if (name !== "csrfmiddlewaretoken" && name !== "client_key") body.append(name, value);
    });
    body.set("client_key", item.key);
    body.set("csrfmiddlewaretoken", token);
    const headers = { "X-Visit-Sync": "1", "X-CSRFToken": token };
    return fetch(SEND_URL, { method: "POST", body: body, credentials: "same-origin", headers })
      .then((response) => {
        const type = response.headers.get("Content-Type") || "";
        if (!type.includes("application/json")) return null; // logged out, server down: later
        return response.json().then((answer) => {
          if (response.ok) {
            return transact([QUEUE], "readwrite", (queue) => queue.delete(item.key));
          }
          // 409: saved here by another user, now logged out; it waits for them.
          if (response.status !== 400 && response.status !== 403) return null;
          const problems = answer.detail || [];
          const message = problems.map((p) => (p.label ? `${p.label}: ` : "") + p.msg).join(" ");
          const draft = Object.assign({}, item, { message: message, refusedAt: Date.now() });
          return transact([QUEUE, DRAFTS], "readwrite", (queue, store) => {
            queue.delete(item.key);
            return store.put(draft);
          });
        });
      });
  }

  // Send every queued visit, one after another; stop at the first that cannot reach the server.
  let flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = pending()
      .then((items) => {
        if (!items.length) return null;
        return freshToken().then((token) => {
          if (!token) return null;
          const sendAll = (chain, item) => chain.then(() => send(item, token));
          return items.reduce(sendAll, Promise.resolve());
        });
      })
      .catch(() => null)
      .finally(() => {
        flushing = null;
      });
    return flushing;
  }

  root.SalesOrgVisitQueue = { SYNC_TAG, newKey, add, pending, drafts, dropDraft, flush };
})(self);
