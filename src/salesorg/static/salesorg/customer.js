// The customer page: draw the sales / gross-margin trend and the satisfaction trend with
// ECharts from the page's json_script data (no inline scripts; the tables below the charts
// carry the same numbers for screen readers and printing).
(function () {
  "use strict";

  function numbers(values) {
    return (values || []).map((value) => Number(value));
  }

  function sized(element) {
    element.style.height = (element.dataset.height || 280) + "px";
    return element;
  }

  function draw() {
    const source = document.getElementById("customer-chart-data");
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    const lang = document.documentElement.lang || undefined;
    const numbers = window.SalesOrgNumbers;
    const charts = [];
    const trend = document.getElementById("customer-trend-chart");
    if (trend) {
      const chart = window.echarts.init(sized(trend));
      chart.setOption({
        tooltip: { trigger: "axis", valueFormatter: (v) => numbers.money(v, lang) },
        legend: { data: [data.labels.sales, data.labels.margin] },
        grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", axisLabel: { formatter: (v) => numbers.moneyShort(v, lang) } },
        series: [
          { name: data.labels.sales, type: "bar", data: numbers(data.sales) },
          { name: data.labels.margin, type: "line", data: numbers(data.margin) },
        ],
      });
      charts.push(chart);
    }
    const satisfaction = document.getElementById("customer-satisfaction-chart");
    if (satisfaction && data.surveys.length) {
      const chart = window.echarts.init(sized(satisfaction));
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
        xAxis: { type: "category", data: data.surveys.map((p) => p.month) },
        yAxis: { type: "value", min: 1, max: 5 },
        series: [
          {
            name: data.labels.satisfaction,
            type: "line",
            data: data.surveys.map((p) => p.score),
          },
        ],
      });
      charts.push(chart);
    }
    window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
