/* The indicator table: a column chooser remembered per user in this browser.
 *
 * The server renders the columns of ?cols= (or the groups' defaults) and marks the others
 * d-none. Here the stored choice is applied on load, the group headers' spans follow the
 * shown columns, and the downloads, sort links and the period form carry ?cols= so that
 * an export is what is on screen.
 */
(function () {
  "use strict";

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function withColumns(href, columns) {
    var url = new URL(href, window.location.href);
    url.searchParams.set("cols", columns.join(","));
    return url.pathname + url.search;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var chooser = document.getElementById("kpi-column-chooser");
    var table = document.getElementById("kpi-table");
    if (!chooser || !table) return;
    var key = chooser.getAttribute("data-storage-key");
    var boxes = all(chooser, "[data-column-toggle]");
    var groups = all(chooser, "[data-group-toggle]");

    function chosen() {
      return boxes.filter(function (box) { return box.checked; }).map(function (box) {
        return box.value;
      });
    }

    function apply() {
      var shown = {};
      chosen().forEach(function (name) { shown[name] = true; });
      all(table, "[data-column]").forEach(function (cell) {
        cell.classList.toggle("d-none", !shown[cell.getAttribute("data-column")]);
      });
      groups.forEach(function (toggle) {
        var name = toggle.getAttribute("data-group-toggle");
        var members = boxes.filter(function (box) { return box.getAttribute("data-group") === name; });
        var count = members.filter(function (box) { return box.checked; }).length;
        toggle.checked = count === members.length;
        toggle.indeterminate = count > 0 && count < members.length;
        var header = table.querySelector('[data-group-header="' + name + '"]');
        if (header) {
          header.colSpan = Math.max(count, 1);
          header.classList.toggle("d-none", count === 0);
        }
      });
      var columns = chosen();
      all(document, "[data-kpi-export], #kpi-table thead a").forEach(function (link) {
        link.setAttribute("href", withColumns(link.getAttribute("href"), columns));
      });
      var form = document.querySelector('form[method="get"][action$="/kpi/"]');
      if (form) {
        var input = form.querySelector("[data-kpi-cols]");
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = "cols";
          input.setAttribute("data-kpi-cols", "");
          form.appendChild(input);
        }
        input.value = columns.join(",");
      }
    }

    function save() {
      try {
        window.localStorage.setItem(key, JSON.stringify(chosen()));
      } catch (error) { /* private mode: the choice lasts for this page only */ }
    }

    function select(test) {
      boxes.forEach(function (box) { box.checked = test(box); });
    }

    var fromUrl = new URLSearchParams(window.location.search).get("cols");
    var stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) { stored = null; }
    if (!fromUrl && Array.isArray(stored) && stored.length) {
      select(function (box) { return stored.indexOf(box.value) !== -1; });
    }
    apply();

    chooser.addEventListener("change", function (event) {
      var target = event.target;
      if (target.hasAttribute("data-group-toggle")) {
        var name = target.getAttribute("data-group-toggle");
        boxes.forEach(function (box) {
          if (box.getAttribute("data-group") === name) box.checked = target.checked;
        });
      }
      if (chosen().length === 0) target.checked = true; // keep at least one column
      apply();
      save();
    });
    chooser.querySelector("[data-columns-default]").addEventListener("click", function () {
      select(function (box) { return box.hasAttribute("data-default"); });
      apply();
      save();
    });
    chooser.querySelector("[data-columns-all]").addEventListener("click", function () {
      select(function () { return true; });
      apply();
      save();
    });
  });
})();
