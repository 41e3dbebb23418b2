/* Siting map: offline base (district and 행정동 polygons), demand heat, existing coverage,
   recommended sites; tiles only when the server configures SITING_TILE_URL. */
(function () {
  "use strict";
  var el = document.getElementById("siting-map");
  if (!el || typeof L === "undefined") { return; }
  var t = function (key) { return el.dataset["label" + key] || key; };
  var COLORS = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
  function colour(score) { return COLORS[Math.min(4, Math.floor(score / 20))]; }
  var TYPE_STYLE = {
    residential: { color: "#2c4f8f", dashArray: null },
    commercial: { color: "#8f2c2c", dashArray: "10 5" },
    business: { color: "#5b2c8f", dashArray: "3 5" },
    mixed: { color: "#444444", dashArray: "10 4 2 4" }
  };

  fetch(el.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(draw)
    .catch(function (err) { el.textContent = String(err); });

  function draw(d) {
    var map = L.map(el, { preferCanvas: true, keyboard: true });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    var canvas = L.canvas({ padding: 0.3 });
    var boundary = L.geoJSON(d.boundary, { style: { color: "#000", weight: 2.5, fill: false } }).addTo(map);

    var dongs = L.geoJSON(d.dongs, {
      style: function (f) {
        var s = TYPE_STYLE[f.properties.area_type] || TYPE_STYLE.mixed;
        return { color: s.color, dashArray: s.dashArray, weight: 1.5, fillOpacity: 0.02 };
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.name + " · " + f.properties.area_type_label);
      }
    }).addTo(map);

    var heat = L.layerGroup();
    var half = (d.cell_size || 100) / 2;
    d.heat.forEach(function (c) {
      var dLat = half / 111320, dLon = half / (111320 * Math.cos(c[0] * Math.PI / 180));
      L.rectangle([[c[0] - dLat, c[1] - dLon], [c[0] + dLat, c[1] + dLon]],
        { renderer: canvas, stroke: false, fillColor: colour(c[2]), fillOpacity: 0.6, interactive: false }).addTo(heat);
    });
    heat.addTo(map);

    var existing = L.layerGroup();
    d.existing.forEach(function (e) {
      L.circle([e[0], e[1]], { renderer: canvas, radius: e[2], color: "#1f5fbf", weight: 1,
        fillColor: "#1f5fbf", fillOpacity: 0.12, interactive: false }).addTo(existing);
    });
    existing.addTo(map);

    var sites = L.layerGroup();
    d.sites.forEach(function (s) {
      L.circle([s.lat, s.lon], { renderer: canvas, radius: d.radius, color: "#0a7d2c", weight: 2,
        fillOpacity: 0.1, interactive: false }).addTo(sites);
      var text = t("Rank") + " " + s.rank + ": " + s.why;
      var marker = s.rank <= 150
        ? L.marker([s.lat, s.lon], { title: text, alt: text, keyboard: true,
            icon: L.divIcon({ className: "site-label", html: String(s.rank), iconSize: [26, 26] }) })
        : L.circleMarker([s.lat, s.lon], { renderer: canvas, radius: 4, color: "#0a7d2c", fillOpacity: 0.9 });
      marker.bindPopup(text).addTo(sites);
    });
    sites.addTo(map);

    var overlays = {};
    overlays[t("Heat")] = heat;
    overlays[t("Existing")] = existing;
    overlays[t("Sites")] = sites;
    overlays[t("Dongs")] = dongs;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);

    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      var html = "<strong>" + t("Score") + "</strong><br>";
      for (var i = 0; i < 5; i++) {
        html += '<span class="swatch" style="background:' + COLORS[i] + '"></span>' + (i * 20) + "–" + (i * 20 + 20) +
          (i === 0 ? " (" + t("Low") + ")" : i === 4 ? " (" + t("High") + ")" : "") + "<br>";
      }
      html += "<strong>" + t("Types") + "</strong><br>";
      ["residential", "commercial", "business", "mixed"].forEach(function (k) {
        html += t("Type" + k.charAt(0).toUpperCase() + k.slice(1)) + "<br>";
      });
      div.innerHTML = html;
      return div;
    };
    legend.addTo(map);
    map.fitBounds(boundary.getBounds());

    var chartEl = document.getElementById("curve-chart");
    if (chartEl && typeof Chart !== "undefined" && d.curve && d.curve.length) {
      new Chart(chartEl, {
        type: "line",
        data: {
          labels: d.curve.map(function (p) { return p[0]; }),
          datasets: [{ label: chartEl.dataset.labelY, data: d.curve.map(function (p) { return (100 * p[1]).toFixed(1); }),
            borderColor: "#1f5fbf", pointRadius: 0, borderWidth: 2 }]
        },
        options: {
          animation: false,
          scales: { x: { title: { display: true, text: chartEl.dataset.labelX } },
                    y: { title: { display: true, text: chartEl.dataset.labelY } } },
          plugins: { legend: { display: false } }
        }
      });
    }
  }
})();
