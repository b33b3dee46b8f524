// Pilots-per-district bar chart on the programme overview (vendored ECharts, no CDN).
(function () {
  "use strict";
  var el = document.getElementById("pilots-chart");
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [data.labels.confirmed, data.labels.candidates] },
    grid: { left: 36, right: 12, bottom: 56, top: 40 },
    xAxis: { type: "category", data: data.districts, axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.confirmed, type: "bar", stack: "p", data: data.confirmed, itemStyle: { color: "#1f7a4d" } },
      { name: data.labels.candidates, type: "bar", stack: "p", data: data.candidates, itemStyle: { color: "#8fd1ad" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
