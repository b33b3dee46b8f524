// Quota chart on the programme overview (vendored ECharts, no CDN): for each district, each quota
// category's confirmed pilots (dark, in the legend) and candidates (light, stacked on top),
// against the category's target (dashed line; one line when every category has the same target).
(function () {
  "use strict";
  var el = document.getElementById("pilots-chart");
  var source = document.getElementById("chart-data");
  if (!el || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = [["#1f7a4d", "#8fd1ad"], ["#1d5f9e", "#9cc3ea"], ["#8a5a00", "#e7c27d"], ["#6b3fa0", "#c7b1e4"]];
  var series = [];
  var legend = [];
  var targets = data.categories.map(function (c) { return c.target; });
  var oneTarget = targets.every(function (t) { return t === targets[0]; });
  data.categories.forEach(function (category, index) {
    var colours = palette[index % palette.length];
    var confirmed = {
      name: category.name, type: "bar", stack: "c" + index, data: category.confirmed,
      itemStyle: { color: colours[0] }
    };
    if (!oneTarget || index === 0) {
      confirmed.markLine = {
        symbol: "none", silent: true,
        lineStyle: { color: oneTarget ? "#b02a37" : colours[0], type: "dashed" },
        label: {
          formatter: (oneTarget ? "" : category.name + " ") + data.labels.target + " " + category.target,
          position: "insideEndTop"
        },
        data: [{ yAxis: category.target }]
      };
    }
    legend.push(category.name);
    series.push(confirmed);
    series.push({
      name: category.name + " · " + data.labels.candidates, type: "bar", stack: "c" + index,
      data: category.candidates, itemStyle: { color: colours[1] }
    });
  });
  var chart = echarts.init(el, null, { renderer: "svg" });
  var narrow = el.clientWidth < 520;
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    // On a phone (issue 19 item 2, UI-25) the legend scrolls and long district names are cut
    // short (the table above names them in full); the labels stay inside the chart's box.
    legend: { top: 0, type: narrow ? "scroll" : "plain", data: legend },
    grid: { left: 20, right: 12, bottom: 8, top: narrow ? 56 : 48, containLabel: true },
    xAxis: {
      type: "category", data: data.districts,
      axisLabel: { rotate: narrow ? 45 : 30, interval: 0, width: narrow ? 84 : 140, overflow: "truncate" }
    },
    yAxis: { type: "value", minInterval: 1 },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
