// Joint-visit rubric chart: one line per criterion (1–5) and the average, over review dates.
// Data comes from the page's json_script element; no inline scripts.
(function () {
  "use strict";

  function draw(element) {
    const source = document.getElementById(element.dataset.chartSource);
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    element.style.height = "340px";
    const chart = window.echarts.init(element);
    chart.setOption({
      tooltip: {
        trigger: "axis",
        // an average score reads 3.67, never 3.6666666666666665
        valueFormatter: (value) =>
          window.SalesOrgNumbers.plain(value, "ratio", document.documentElement.lang),
      },
      legend: { type: "scroll", top: 0 },
      grid: { left: 32, right: 16, top: 48, bottom: 32 },
      xAxis: { type: "category", data: data.dates },
      yAxis: { type: "value", min: 1, max: 5, interval: 1 },
      series: data.series.map(function (series, index) {
        const isAverage = index === data.series.length - 1;
        return {
          name: series.name,
          type: "line",
          data: series.data,
          connectNulls: true,
          lineStyle: isAverage ? { width: 4 } : { width: 1.5 },
          symbolSize: isAverage ? 8 : 5,
        };
      }),
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-source]#rubric-chart").forEach(draw);
  });
})();
