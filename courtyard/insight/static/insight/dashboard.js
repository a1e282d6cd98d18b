/* Insight dashboard charts (ECharts, vendored). Data comes from the json_script element
   #insight-data; no inline script (CSP). The tables on the page carry the same figures. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var source = document.getElementById("insight-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var pick = document.getElementById("insight-pick");
    var trendEl = document.getElementById("insight-trend");
    var kidsEl = document.getElementById("insight-children");
    var trend = trendEl ? window.echarts.init(trendEl) : null;
    var kids = kidsEl ? window.echarts.init(kidsEl) : null;
    function draw() {
      var i = pick ? parseInt(pick.value, 10) || 0 : 0;
      var ind = data.series.indicators[i];
      if (trend && ind) {
        trend.setOption({
          grid: { left: 48, right: 16, top: 24, bottom: 32 },
          tooltip: { trigger: "axis", formatter: function (p) { var k = p[0].dataIndex; return p[0].axisValue + "<br>" + (p[0].value === null ? "—" : p[0].value + (ind.score ? "" : " %")) + " (" + ind.fractions[k] + ")"; } },
          xAxis: { type: "category", data: data.series.months },
          yAxis: { type: "value", min: 0, max: ind.score ? 100 : function (v) { return Math.max(100, Math.ceil(v.max)); } },
          series: [{ type: "line", name: ind.label, data: ind.values, connectNulls: false, symbolSize: 8 }]
        }, true);
      }
      if (kids && data.children.rows.length) {
        kids.setOption({
          grid: { left: 48, right: 16, top: 24, bottom: 64 },
          tooltip: { trigger: "axis" },
          xAxis: { type: "category", data: data.children.rows.map(function (r) { return r.name; }), axisLabel: { rotate: 30 } },
          yAxis: { type: "value", min: 0, max: 100 },
          series: [{ type: "bar", name: data.children.labels[i], data: data.children.rows.map(function (r) { return r.values[i]; }) }]
        }, true);
      }
    }
    if (pick) { pick.addEventListener("change", draw); }
    draw();
    window.addEventListener("resize", function () { if (trend) { trend.resize(); } if (kids) { kids.resize(); } });
  });
}());
