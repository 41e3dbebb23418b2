// Station map: one marker per station, shape + colour + text label (never colour alone).
(function () {
  var el = document.getElementById("station-map");
  var data = document.getElementById("station-points");
  if (!el || !data || typeof L === "undefined") return;
  var points = JSON.parse(data.textContent);
  if (!points.length) { el.hidden = true; return; }
  // No tile layer: the platform loads nothing from outside; stations are drawn on plain ground.
  var map = L.map(el, { keyboard: true, zoomSnap: 0.25 });
  var cls = { empty_risk: "risk-empty", full_risk: "risk-full", ok: "risk-ok" };
  var bounds = [];
  points.forEach(function (p) {
    var icon = L.divIcon({ className: "risk-marker " + cls[p.risk], html: p.shape, iconSize: [18, 18] });
    var label = p.no + ". " + p.name + " — " + p.label + " (" +
      (p.stock === null ? "?" : p.stock) + " / [" + p.band.join(", ") + "])";
    var m = L.marker([p.lat, p.lon], { icon: icon, title: label, alt: label, keyboard: p.risk !== "ok" });
    m.bindPopup('<a href="stations/' + encodeURIComponent(p.no) + '/">' + label.replace(/</g, "&lt;") + "</a>");
    m.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [20, 20] });
  L.control.scale({ imperial: false }).addTo(map);
})();
