/* Request map: the courtyard's uploaded site plan under Leaflet CRS.Simple (no tile server).
 * Plan pixels (x from the left, y from the top) become LatLng [height - y, x].
 * Buildings are circles: red = has overdue requests, orange = open requests, green = none.
 * Staff who may edit click "Place on the plan" / "Move" in the table, then the plan: the point is
 * POSTed to the building-position service and the pin moves. */
(function () {
  "use strict";
  var el = document.getElementById("req-map");
  var dataEl = document.getElementById("map-data");
  if (!el || !dataEl || !window.L) return;
  var data = JSON.parse(dataEl.textContent);
  var w = data.plan.width, h = data.plan.height;
  var bounds = [[0, 0], [h, w]];
  var map = L.map(el, { crs: L.CRS.Simple, minZoom: -3, maxZoom: 2, zoomSnap: 0.25, attributionControl: false });
  L.imageOverlay(data.plan.url, bounds, { alt: el.getAttribute("aria-label") }).addTo(map);
  map.fitBounds(bounds);
  map.setMaxBounds(L.latLngBounds(bounds).pad(0.25));
  var status = document.getElementById("map-status");
  var markers = {};

  function say(text) { if (status) status.textContent = text; }

  function popup(b) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = b.name;
    box.appendChild(title);
    var list = document.createElement("ul");
    list.className = "list-unstyled mb-0 mt-1";
    b.requests.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = "#" + r.id + " " + r.title + " · " + r.state;
      if (r.overdue) a.className = "text-danger";
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function draw(b) {
    if (markers[b.id]) { map.removeLayer(markers[b.id]); delete markers[b.id]; }
    if (b.x === null || b.y === null) return;
    var tone = b.overdue ? "overdue" : (b.count ? "open" : "none");
    var icon = L.divIcon({ className: "", iconSize: [28, 28], iconAnchor: [14, 14],
      html: '<span class="pin pin--' + tone + '">' + (b.count || "") + "</span>" });
    var m = L.marker([h - b.y, b.x], { icon: icon, title: b.name, keyboard: true, alt: b.name });
    m.bindTooltip(b.name, { permanent: true, direction: "right", offset: [14, 0], className: "pin-label" });
    if (b.requests.length) m.bindPopup(popup(b));
    m.addTo(map);
    markers[b.id] = m;
  }

  var byId = {};
  data.buildings.forEach(function (b) { byId[b.id] = b; draw(b); });

  if (!data.placeUrl) return;
  var placing = null;
  document.querySelectorAll(".js-place").forEach(function (btn) {
    btn.addEventListener("click", function () {
      placing = byId[btn.dataset.id];
      el.classList.add("is-placing");
      say(btn.dataset.name + ": " + el.dataset.msgPick);
      el.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });
  map.on("click", function (e) {
    if (!placing) return;
    var b = placing;
    placing = null;
    el.classList.remove("is-placing");
    var x = Math.round(e.latlng.lng * 10) / 10, y = Math.round((h - e.latlng.lat) * 10) / 10;
    var body = new URLSearchParams({ x: String(x), y: String(y) });
    fetch(data.placeUrl.replace(/\/0\/position\/$/, "/" + b.id + "/position/"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": el.dataset.csrf, "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        if (!res.ok) { say(res.j.error || el.dataset.msgFailed); return; }
        b.x = res.j.x; b.y = res.j.y;
        draw(b);
        say(b.name + ": " + el.dataset.msgSaved);
      })
      .catch(function () { say(el.dataset.msgFailed); });
  });
})();
