/* Courtyard → building → entrance (ADR 0012): each list shows only what lies in the choice before it.
   Without this script the lists still work: buildings are grouped by courtyard, entrances by building. */
(function () {
  "use strict";
  function narrow(select, parentValue) {
    var keep = false;
    Array.prototype.forEach.call(select.options, function (o) {
      var parent = o.getAttribute("data-parent");
      if (parent === null) { return; } // the "choose…" option
      var show = !parentValue || parent === parentValue;
      o.hidden = !show;
      o.disabled = !show;
      if (show && o.selected) { keep = true; }
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) {
      g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
    });
    if (!keep && select.value) { select.value = ""; }
  }
  function setup(box) {
    var courtyard = box.querySelector("[data-location=courtyard]");
    var building = box.querySelector("[data-location=building]");
    var entrance = box.querySelector("[data-location=entrance]");
    if (!building || !entrance) { return; }
    function fromCourtyard() { if (courtyard) { narrow(building, courtyard.value); } fromBuilding(); }
    function fromBuilding() {
      narrow(entrance, building.value);
      if (courtyard && building.value && !courtyard.value) {
        var opt = building.options[building.selectedIndex];
        if (opt && opt.getAttribute("data-parent")) { courtyard.value = opt.getAttribute("data-parent"); }
      }
    }
    if (courtyard) { courtyard.addEventListener("change", fromCourtyard); }
    building.addEventListener("change", fromBuilding);
    fromCourtyard();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-location-picker]");
    if (boxes.length) { Array.prototype.forEach.call(boxes, setup); } else { setup(document); }
  });
})();
