// Survey result charts (ECharts, vendored): one bar chart per question, from the JSON the page
// embeds with json_script (#survey-charts). Values are percentages already rounded on the server.
(function () {
  "use strict";
  var data = document.getElementById("survey-charts");
  if (!data || typeof echarts === "undefined") { return; }
  JSON.parse(data.textContent).forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: c.labels, inverse: true },
      series: [{ type: "bar", data: c.values.map(Number), itemStyle: { color: "#1d6b4a" },
                 label: { show: true, position: "right", formatter: "{c}%" } }],
      aria: { enabled: true }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
