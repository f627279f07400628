// How chart numbers read (glossary "Money" and "Rates"): tooltips show the exact amount
// as ¥ with grouping (¥65,508,983.64); value axes show 万 and 亿 in Chinese (¥6,550.90万,
// ¥1.77亿) and K/M/B in English. Loaded before the chart scripts; no inline scripts (CSP).
(function (root) {
  "use strict";

  function isChinese(lang) {
    return String(lang || "").toLowerCase().startsWith("zh");
  }

  function grouped(lang, min, max) {
    // Chinese finance staff group by thousands with a comma too (1,234,567.50).
    return new Intl.NumberFormat(isChinese(lang) ? "en-US" : lang || "en-US", {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
      useGrouping: true,
    });
  }

  function blank(value) {
    return value === null || value === undefined || value === "" || value === "-" ||
      Number.isNaN(Number(value));
  }

  // The exact amount: ¥1,234.50, -¥1,234.50 (as the server's format_money).
  function money(value, lang) {
    if (blank(value)) return "—";
    const number = Number(value);
    const text = "¥" + grouped(lang, 2, 2).format(Math.abs(number));
    return number < 0 ? "-" + text : text;
  }

  // An axis label: ¥6,550.90万 / ¥1.77亿 / ¥6,000万 (Chinese), ¥65.51M (English); small
  // amounts as they are.
  function moneyShort(value, lang) {
    if (blank(value)) return "—";
    const number = Number(value);
    const size = Math.abs(number);
    const steps = isChinese(lang)
      ? [[1e8, "亿"], [1e4, "万"]]
      : [[1e9, "B"], [1e6, "M"], [1e3, "K"]];
    let text = null;
    for (const [step, suffix] of steps) {
      if (size >= step) {
        const scaled = Math.round((size / step) * 100) / 100;
        const digits = Number.isInteger(scaled) ? 0 : 2; // ¥6,000万, ¥6,550.90万
        text = "¥" + grouped(lang, digits, digits).format(scaled) + suffix;
        break;
      }
    }
    if (text === null) text = "¥" + grouped(lang, 0, 2).format(size);
    return number < 0 ? "-" + text : text;
  }

  // A count (25,696), a ratio (2.28) or a percentage (85.47%), grouped; on an axis a
  // round tick drops its zeros (20%, not 20.00%).
  function plain(value, kind, lang, place) {
    if (blank(value)) return "—";
    if (kind === "count") return grouped(lang, 0, 0).format(Number(value));
    const text = grouped(lang, place === "axis" ? 0 : 2, 2).format(Number(value));
    return kind === "percent" ? text + "%" : text;
  }

  // A formatter of chart values of one kind, for the tooltip (exact) or an axis (short).
  function formatter(kind, lang, place) {
    return function (value) {
      const number = Array.isArray(value) ? value[value.length - 1] : value;
      if (kind === "amount") return place === "axis" ? moneyShort(number, lang) : money(number, lang);
      return plain(number, kind, lang, place);
    };
  }

  root.SalesOrgNumbers = { money: money, moneyShort: moneyShort, plain: plain, formatter: formatter };
})(typeof window !== "undefined" ? window : globalThis);
