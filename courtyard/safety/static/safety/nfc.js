/* Web NFC on patrol pages (ADR 0030), progressive enhancement: where the browser has NDEFReader
   (Chrome on Android) a "tap the tag" button appears. On a point's page, tapping that point's tag
   records the check-in as an NFC tap; a tag of another point opens that point. Without Web NFC the
   pages work as before: the QR code, or the tag opening its address, or the list with a reason. */
(function () {
  "use strict";
  if (!("NDEFReader" in window)) { return; }
  function urlOf(record) {
    if (record.recordType !== "url" && record.recordType !== "absolute-url") { return null; }
    try { return new TextDecoder(record.encoding || "utf-8").decode(record.data); } catch (e) { return null; }
  }
  function setup(button) {
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    var prefix = button.getAttribute("data-scan-prefix");
    var expected = button.getAttribute("data-point") || "";
    var say = function (key) { if (status) { status.textContent = button.getAttribute("data-say-" + key) || ""; } };
    button.hidden = false;
    button.addEventListener("click", function () {
      var reader = new window.NDEFReader();
      var stop = new AbortController();
      say("waiting");
      reader.onreadingerror = function () { say("error"); };
      reader.onreading = function (event) {
        var code = null;
        event.message.records.forEach(function (r) {
          var url = urlOf(r);
          var at = url ? url.indexOf(prefix) : -1;
          if (at >= 0 && code === null) { code = url.slice(at + prefix.length).split(/[/?#]/)[0]; }
        });
        if (!code) { say("unknown"); return; }
        stop.abort();
        if (expected && code === expected) {
          var field = document.getElementById("id_arrival");
          if (field) { field.value = "nfc"; }
          Array.prototype.forEach.call(document.querySelectorAll("[data-manual-only]"), function (el) { el.hidden = true; });
          var reason = document.getElementById("id_manual_reason");
          if (reason) { reason.hidden = true; reason.value = ""; var label = document.querySelector("label[for=id_manual_reason]"); if (label) { label.hidden = true; } }
          say("ok");
        } else {
          window.location.href = prefix + encodeURIComponent(code) + "/?via=nfc";
        }
      };
      reader.scan({ signal: stop.signal }).catch(function () { say("error"); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-nfc]"), setup);
  });
}());
