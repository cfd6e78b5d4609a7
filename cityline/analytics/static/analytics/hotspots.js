/*
 * The hot spots on the city's map: a choropleth of H3 cells or districts over the vendored
 * Leaflet, added above a page that works without it.
 *
 * An element with `data-hotspots` names the JSON script element holding the places (a GeoJSON
 * FeatureCollection whose features carry `key`, `requests` and `shade`, 1 to 5). The page's own
 * drawing of the same places (an SVG) and its list of counts stay: the map is another picture of
 * them, hidden from screen readers, which read the list. `data-base-layer` is the city's outlines,
 * drawn under the places as the small maps do.
 */
(function () {
  "use strict";

  // Darker for more requests; the tooltip and the list beside say the count in words.
  var SHADES = ["#f7fafc", "#cbd5e0", "#a0aec0", "#718096", "#2d3748"];
  var OUTLINE_STYLE = { color: "#4a5568", weight: 1, opacity: 0.6, fill: false };

  function styleOf(feature) {
    var shade = feature.properties.shade || 1;
    return {
      color: "#1a202c",
      weight: 1,
      fillColor: SHADES[shade - 1],
      fillOpacity: 0.75,
      dashArray: shade >= 4 ? null : "3",
    };
  }

  function mapFor(element) {
    var L = window.L;
    var source = document.getElementById(element.dataset.hotspots || "");
    if (!L || !source || element.dataset.mapReady) {
      return;
    }
    element.dataset.mapReady = "true";
    var places = JSON.parse(source.textContent);
    if (!places.features || !places.features.length) {
      return;
    }
    var canvas = document.createElement("div");
    canvas.className = "hotspot-map__canvas";
    canvas.setAttribute("aria-hidden", "true");
    element.insertBefore(canvas, element.firstChild);
    // Hidden from screen readers, so nothing in it may take the focus: no zoom buttons.
    var map = L.map(canvas, {
      attributionControl: false,
      zoomControl: false,
      scrollWheelZoom: false,
      keyboard: false,
    });
    var layer = L.geoJSON(places, {
      style: styleOf,
      onEachFeature: function (feature, drawn) {
        drawn.bindTooltip(feature.properties.key + ": " + feature.properties.requests);
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    if (element.dataset.baseLayer) {
      window
        .fetch(element.dataset.baseLayer, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (outlines) {
          if (outlines) {
            L.geoJSON(outlines, { style: OUTLINE_STYLE, interactive: false }).addTo(map);
            layer.bringToFront();
          }
        })
        .catch(function () {
          // The places alone still show where the requests are.
        });
    }
  }

  function enhance() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-hotspots]"), mapFor);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
