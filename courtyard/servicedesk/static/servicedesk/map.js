/* Leaflet CRS.Simple over a plain site plan (no tile server): 1 unit = 1 plan unit, 1000 x 700. */
(function () {
  var el = document.getElementById("req-map");
  if (!el || !window.L) return;
  var bounds = [[0, 0], [700, 1000]];
  var map = L.map(el, { crs: L.CRS.Simple, minZoom: -2, maxZoom: 2, attributionControl: false });
  L.rectangle(bounds, { color: "#888", weight: 1, fill: true, fillColor: "#f4f1e8", fillOpacity: 1 }).addTo(map);
  map.fitBounds(bounds);
  fetch(el.dataset.src, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var list = document.getElementById("req-list");
    data.requests.forEach(function (r) {
      var m = L.circleMarker([r.y, r.x], { radius: 7, color: r.overdue ? "#b3261e" : "#075a2d", fillOpacity: 0.8 }).addTo(map);
      var a = document.createElement("a"); a.href = r.url; a.textContent = "#" + r.id + " " + r.title + " (" + r.state + ")";
      m.bindPopup(a.cloneNode(true));
      var li = document.createElement("li"); li.appendChild(a); list.appendChild(li);
    });
  });
})();
