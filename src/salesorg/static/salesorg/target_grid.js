/* The targets grid: sums per quarter, per year and of the units below, updated as you type.
 *
 * It mirrors the server's check (salesorg.targets.selectors): in whole units (cents, or 1
 * for counts), a row's months must add up to its year, and the units below must add up to
 * the whole for the year and every month, realistic and ideal each; a blank ideal counts as
 * the realistic value, a blank cell as zero, or as the sum of the units below when the
 * unit has no target of its own (data-derived, what the dashboards show). The server
 * computes the same flags on save.
 *
 * Money inputs show grouping while not focused (¥76,650,000.00) and the plain digits while
 * being edited; the server reads either form back exactly.
 */
(function () {
  "use strict";

  function parseUnits(text, count) {
    var cleaned = (text || "").replace(/[,\s¥￥，]/g, "");
    if (cleaned === "") return null;
    var match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(cleaned);
    if (!match) return 0;
    if (count) return Number(match[1]);
    return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
  }

  function format(units, count) {
    if (count) return units.toLocaleString("en-US");
    var whole = Math.floor(units / 100);
    var cents = units % 100;
    return "¥" + whole.toLocaleString("en-US") + "." + String(cents).padStart(2, "0");
  }

  /* The plain digits of a grouped value ("¥1,200.50" → "1200.50"), for editing. */
  function plain(text) {
    return (text || "").replace(/[,\s¥￥，]/g, "");
  }

  /* A typed value grouped for reading, or unchanged when it is not a plain amount. */
  function grouped(text, count) {
    var cleaned = plain(text);
    var valid = count ? /^\d+$/ : /^\d+(?:\.\d{0,2})?$/;
    if (cleaned === "" || !valid.test(cleaned)) return text;
    return format(parseUnits(cleaned, count), count);
  }

  function element(row, month, kind) {
    return row.querySelector('[data-month="' + month + '"][data-kind="' + kind + '"]');
  }

  function cellText(row, month, kind) {
    var found = element(row, month, kind);
    if (!found) return "";
    return found.tagName === "INPUT" ? found.value : found.getAttribute("data-value");
  }

  function derivedText(row, month, kind) {
    var found = element(row, month, kind);
    return found ? found.getAttribute("data-derived") || "" : "";
  }

  /* [realistic, ideal] of a cell, or null when it is blank (and nothing is summed below). */
  function pair(row, month, count) {
    var realistic = parseUnits(cellText(row, month, "r"), count);
    var ideal = parseUnits(cellText(row, month, "i"), count);
    if (realistic === null && ideal === null) {
      realistic = parseUnits(derivedText(row, month, "r"), count);
      ideal = parseUnits(derivedText(row, month, "i"), count);
    }
    if (realistic === null && ideal === null) return null;
    if (realistic === null) realistic = 0;
    if (ideal === null) ideal = realistic;
    return [realistic, ideal];
  }

  function add(total, value) {
    return value ? [total[0] + value[0], total[1] + value[1]] : total;
  }

  function differs(expected, actual) {
    expected = expected || [0, 0];
    return expected[0] !== actual[0] || expected[1] !== actual[1];
  }

  function show(cell, values, count) {
    if (!cell) return;
    cell.querySelector('[data-kind="r"]').textContent = format(values[0], count);
    cell.querySelector('[data-kind="i"]').textContent = format(values[1], count);
  }

  function flag(cell, on) {
    if (!cell) return;
    cell.classList.toggle("table-danger", on);
    if (on) cell.setAttribute("data-mismatch", "");
    else cell.removeAttribute("data-mismatch");
  }

  function recompute(table, config) {
    var count = Boolean(config.count);
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-grid-row]"));
    var values = rows.map(function (row) {
      var cells = [];
      for (var month = 0; month <= 12; month++) cells.push(pair(row, month, count));
      return cells;
    });
    var mismatches = 0;
    rows.forEach(function (row, index) {
      var cells = values[index];
      var months = [0, 0];
      for (var quarter = 1; quarter <= 4; quarter++) {
        var sum = [0, 0];
        for (var m = quarter * 3 - 2; m <= quarter * 3; m++) sum = add(sum, cells[m]);
        months = add(months, sum);
        show(row.querySelector('[data-quarter="' + quarter + '"]'), sum, count);
      }
      var sumCell = row.querySelector("[data-months-sum]");
      show(sumCell, months, count);
      var hasAny = cells.some(function (value) { return value !== null; });
      var off = hasAny && differs(cells[0], months);
      flag(sumCell, off);
      if (off) mismatches++;
    });
    var footer = table.querySelector("tfoot");
    var parentIndex = rows.findIndex(function (row) { return row.hasAttribute("data-parent"); });
    if (footer && config.complete && rows.length > 1 && parentIndex >= 0) {
      var parent = values[parentIndex];
      var children = values.filter(function (cells, index) { return index !== parentIndex; });
      var checked = children.concat([parent]).some(function (cells) {
        return cells.some(function (value) { return value !== null; });
      });
      for (var month = 0; month <= 12; month++) {
        var total = [0, 0];
        children.forEach(function (cells) { total = add(total, cells[month]); });
        var cell = footer.querySelector('[data-children-sum="' + month + '"]');
        show(cell, total, count);
        var wrong = checked && differs(parent[month], total);
        flag(cell, wrong);
        flag(rows[parentIndex].querySelector('[data-cell-month="' + month + '"]'), wrong);
        if (wrong) mismatches++;
      }
    }
    var alert = document.getElementById("grid-mismatches");
    if (alert) alert.classList.toggle("d-none", mismatches === 0);
    table.setAttribute("data-mismatches", String(mismatches));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("[data-target-grid]");
    var configElement = document.getElementById("target-grid-config");
    if (!table || !configElement) return;
    var config = JSON.parse(configElement.textContent);
    var count = Boolean(config.count);
    table.addEventListener("focusin", function (event) {
      var input = event.target;
      if (input.classList.contains("grid-input")) {
        // The digits come selected, as in a spreadsheet: typing replaces the value.
        var digits = plain(input.value);
        if (digits !== input.value) {
          input.value = digits;
          input.select();
        }
      }
    });
    table.addEventListener("focusout", function (event) {
      if (event.target.classList.contains("grid-input")) {
        event.target.value = grouped(event.target.value, count);
      }
    });
    recompute(table, config);
    table.addEventListener("input", function () {
      var stale = document.querySelector("[data-server-mismatches]");
      if (stale) stale.classList.add("d-none");
      recompute(table, config);
    });
  });
})();
