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

  // Tooltips give the exact figure (¥65,508,983.64), axes the short one (¥6,550.90万):
  // numbers.js, loaded by every page, holds the glossary's rules.
  function formatterFor(kind, lang, place) {
    return window.SalesOrgNumbers.formatter(kind, lang, place);
  }

  function valueAxes(option) {
    return ["xAxis", "yAxis"]
      .map((name) => option[name])
      .filter((axis) => axis && axis.type === "value");
  }

  // The running month (payload.partial, its index) is not a whole month: its bar is
  // drawn lighter and hatched, and its point on a line hollow, so it never reads as full.
  function markPartial(series, index) {
    if (index === null || index === undefined) return;
    series.forEach((item) => {
      const value = item.data[index];
      if (value === null || value === undefined || typeof value === "object") return;
      if (item.type === "bar") {
        item.data[index] = {
          value: value,
          itemStyle: {
            opacity: 0.5,
            decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -0.8 },
          },
        };
      } else if (item.type === "line") {
        item.data[index] = { value: value, symbol: "emptyCircle", symbolSize: 8 };
      }
    });
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
    markPartial(series, payload.partial);
    const lang = document.documentElement.lang;
    const format = formatterFor(payload.kind, lang, "tooltip");
    option.tooltip = Object.assign({ valueFormatter: format }, option.tooltip || {});
    valueAxes(option).forEach((axis) => {
      const label = formatterFor(payload.kind, lang, "axis");
      axis.axisLabel = Object.assign({ formatter: label }, axis.axisLabel || {});
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
