// Dashboards: draw each chart from its json_script data with ECharts; no inline scripts.
// The server sends the ECharts option with translated labels and exact values as text;
// here the values become numbers, axis and tooltip values are formatted for the page's
// language, and every chart follows the window's size.
(function () {
  "use strict";
  const charts = [];

  function toNumber(value) {
    if (Array.isArray(value)) return value.map(toNumber);
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) {
      return Number(value);
    }
    return value;
  }

  function formatterFor(kind, lang) {
    const digits = kind === "count" ? 0 : 2;
    const format = new Intl.NumberFormat(lang || undefined, {
      minimumFractionDigits: kind === "amount" || kind === "count" ? 0 : digits,
      maximumFractionDigits: digits,
    });
    return function (value) {
      if (value === null || value === undefined || value === "-" || Number.isNaN(value)) {
        return "—";
      }
      const number = Array.isArray(value) ? value[value.length - 1] : value;
      const text = format.format(number);
      return kind === "percent" ? text + "%" : text;
    };
  }

  function valueAxes(option) {
    return ["xAxis", "yAxis"]
      .map((name) => option[name])
      .filter((axis) => axis && axis.type === "value");
  }

  let links = null;
  function drillLinks() {
    if (links === null) {
      const source = document.getElementById("dashboard-drill-links");
      links = source ? JSON.parse(source.textContent) : {};
    }
    return links;
  }

  function draw(element) {
    const source = document.getElementById(element.dataset.chartSource);
    if (!source || !window.echarts) return;
    const payload = JSON.parse(source.textContent);
    const option = payload.option;
    const series = Array.isArray(option.series) ? option.series : [option.series];
    series.forEach((item) => {
      item.data = (item.data || []).map(toNumber);
    });
    const format = formatterFor(payload.kind, document.documentElement.lang);
    option.tooltip = Object.assign({ valueFormatter: format }, option.tooltip || {});
    valueAxes(option).forEach((axis) => {
      axis.axisLabel = Object.assign({ formatter: format }, axis.axisLabel || {});
    });
    if (option.calendar) {
      const narrow = element.clientWidth < 576;
      option.calendar.dayLabel = { nameMap: payload.locale, firstDay: 1 };
      option.calendar.monthLabel = { nameMap: payload.locale };
      if (narrow) option.calendar.cellSize = ["auto", 10];
    }
    element.style.height = (payload.height || 320) + "px";
    const chart = window.echarts.init(element, null, { locale: payload.locale });
    chart.setOption(option);
    chart.on("click", (params) => {
      // A bar of a child unit drills down to it, like the drill-down buttons.
      const url = drillLinks()[params.name];
      if (url) window.location.assign(url);
    });
    charts.push(chart);
  }

  let pending = null;
  window.addEventListener("resize", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => charts.forEach((chart) => chart.resize()), 100);
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart]").forEach(draw);
    document.documentElement.dataset.chartsReady = String(charts.length);
  });
})();
