// Pilots-per-district bar chart on the programme overview (vendored ECharts, no CDN).
(function () {
  "use strict";
  var el = document.getElementById("pilots-chart");
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var zh = document.documentElement.lang.indexOf("zh") === 0;
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [zh ? "已确定试点" : "Confirmed", zh ? "候选试点" : "Candidates"] },
    grid: { left: 36, right: 12, bottom: 56, top: 40 },
    xAxis: { type: "category", data: data.districts, axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: zh ? "已确定试点" : "Confirmed", type: "bar", stack: "p", data: data.confirmed, itemStyle: { color: "#1f7a4d" } },
      { name: zh ? "候选试点" : "Candidates", type: "bar", stack: "p", data: data.candidates, itemStyle: { color: "#8fd1ad" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
