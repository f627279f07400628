// The phone app (#18): registers the service worker (pages open offline) and, on the visit form,
// keeps a visit saved without a connection in the phone's queue (visit_queue.js), sends the
// queue when the connection returns and shows what waits ("3 条待同步") and what the server
// refused, as drafts to open again. Texts come translated from the page's data attributes.
(function () {
  const queue = window.SalesOrgVisitQueue;
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => null);
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "visit-queue-changed") render();
    });
  }

  const box = () => document.querySelector("[data-visit-queue]");
  const form = () => document.querySelector("form[data-visit-form]");

  function draftRow(draft, texts) {
    const row = document.createElement("div");
    row.className = "alert alert-warning d-flex flex-wrap gap-2 align-items-center";
    row.setAttribute("data-draft", draft.key);
    row.setAttribute("role", "alert");
    const text = document.createElement("div");
    text.className = "flex-grow-1";
    text.textContent = `${texts.refused} ${draft.message}`;
    const open = document.createElement("button");
    open.type = "button";
    open.className = "btn btn-warning";
    open.textContent = texts.openDraft;
    open.addEventListener("click", () => openDraft(draft));
    row.append(text, open);
    return row;
  }

  function render() {
    const el = box();
    if (!el) return Promise.resolve();
    return Promise.all([queue.pending(), queue.drafts()]).then(([items, drafts]) => {
      const badge = el.querySelector("[data-pending]");
      const text = items.length === 1 ? el.dataset.pendingOne : el.dataset.pendingMany;
      badge.textContent = text.replace("{n}", String(items.length));
      badge.hidden = items.length === 0;
      const list = el.querySelector("[data-drafts]");
      list.replaceChildren(...drafts.map((d) => draftRow(d, el.dataset)));
      list.hidden = drafts.length === 0;
    });
  }

  function sync() {
    return queue.flush().then(render);
  }

  // A refused visit back on the form: its fields as entered (the customer re-picked if still
  // the rep's), the draft dropped once the form is sent.
  function openDraft(draft) {
    const target = form();
    if (!target) {
      window.location.assign(`/sales/visits/log/?draft=${encodeURIComponent(draft.key)}`);
      return;
    }
    const values = new Map();
    draft.fields.forEach(([name, value]) => {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    });
    const own = ["csrfmiddlewaretoken", "client_key", "queued_by", "customer"]; // the form's
    const fill = () => {
      Array.from(target.elements).forEach((el) => {
        if (!el.name || !values.has(el.name) || own.includes(el.name)) return;
        const given = values.get(el.name);
        if (el.type === "checkbox" || el.type === "radio") el.checked = given.includes(el.value);
        else el.value = given[0];
      });
    };
    fill();
    const customer = (values.get("customer") || [""])[0];
    const picked = target.querySelector("input[name=customer]");
    if (customer && (!picked || picked.value !== customer) && window.htmx) {
      const url = `/sales/visits/customer/?customer=${encodeURIComponent(customer)}`;
      window.htmx.ajax("GET", url, { target: "#customer-picked" }).then(fill, () => null);
    }
    target.setAttribute("data-from-draft", draft.key);
    target.scrollIntoView();
  }

  function keep(target) {
    const keyInput = target.querySelector("input[name=client_key]");
    const fields = Array.from(new FormData(target).entries()).filter(
      ([name, value]) => typeof value === "string" && name !== "q",
    );
    return queue.add(keyInput.value, fields).then(() => {
      const fromDraft = target.getAttribute("data-from-draft");
      return fromDraft ? queue.dropDraft(fromDraft) : null;
    }).then(() => {
      target.reset();
      target.removeAttribute("data-from-draft");
      const picked = document.getElementById("customer-picked");
      if (picked) picked.replaceChildren();
      keyInput.value = queue.newKey();
      showSaved();
      return render();
    });
  }

  function showSaved() {
    const note = document.querySelector("[data-saved-offline]");
    if (!note) return;
    note.hidden = false;
    window.scrollTo({ top: 0, behavior: "instant" }); // the note and the badge, at the top
  }

  document.addEventListener("DOMContentLoaded", () => {
    const target = form();
    if (target) {
      const keyInput = document.createElement("input");
      keyInput.type = "hidden";
      keyInput.name = "client_key";
      keyInput.value = queue.newKey();
      target.append(keyInput);
      target.addEventListener("submit", (event) => {
        if (navigator.onLine) {
          const fromDraft = target.getAttribute("data-from-draft");
          if (fromDraft) queue.dropDraft(fromDraft);
          return; // sent as usual; if the connection fails on the way, the service worker keeps it
        }
        event.preventDefault();
        keep(target);
      });
      const params = new URLSearchParams(window.location.search);
      if (params.has("queued")) showSaved();
      if (params.get("draft")) {
        queue.drafts().then((drafts) => {
          const draft = drafts.find((d) => d.key === params.get("draft"));
          if (draft) openDraft(draft);
        });
      }
    }
    render().then(() => (navigator.onLine ? sync() : null));
  });
  window.addEventListener("online", sync);
  // Logging out forgets the pages kept for offline use (the queue stays: it waits for its rep).
  document.addEventListener("submit", (event) => {
    if (!event.target.matches("form[action='/accounts/logout/']") || !window.caches) return;
    caches.keys().then((keys) =>
      keys.filter((k) => k.startsWith("salesorg-pages")).forEach((k) => caches.delete(k)),
    );
  });
})();
