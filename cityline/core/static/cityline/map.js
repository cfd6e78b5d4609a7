/*
 * Small maps, added to pages that work without them.
 *
 * Every element with `data-map`, `data-lat` and `data-lon` gets a small Leaflet map with a pin
 * above its own content, which stays: without JavaScript (or when Leaflet did not load) that
 * content (the address, the coordinates) is all a reader sees, and with it a screen reader still
 * reads it, while the map itself is a picture of the same place.
 *
 * The base under the pin is `data-tiles-url` (a tile server, with `data-tiles-attribution`) when
 * the city has one, else the GeoJSON at `data-base-layer` (the city's own boundary outlines), so
 * a map works on a network that reaches nothing outside the city.
 *
 * The pin's pictures come from `data-marker-icon`, `data-marker-icon-2x` and
 * `data-marker-shadow` (`{% map_data %}` writes them all).
 *
 * Optional: `data-zoom` (default 16 on tiles, 14 on the city's outlines, which need more of the
 * city in view to say where the pin is), `data-interactive` (zoom buttons and dragging; their
 * labels from `data-zoom-in-label` and `data-zoom-out-label`).
 */
(function () {
  "use strict";

  var TILE_ZOOM = 16;
  var OUTLINE_ZOOM = 14;
  var OUTLINE_STYLE = { color: "#4a5568", weight: 1.5, opacity: 0.8, fill: false };

  function number(value) {
    var parsed = parseFloat(value);
    return isFinite(parsed) ? parsed : null;
  }

  function drawOutlines(map, url) {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("base layer: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (geojson) {
        window.L.geoJSON(geojson, { style: OUTLINE_STYLE, interactive: false }).addTo(map);
      })
      .catch(function () {
        // The pin alone still says where the place is; the page's own text says it in words.
        map.getContainer().classList.add("map-canvas--no-base");
      });
  }

  function mapFor(element) {
    var L = window.L;
    var data = element.dataset;
    var lat = number(data.lat);
    var lon = number(data.lon);
    if (!L || lat === null || lon === null || data.mapReady) {
      return null;
    }
    data.mapReady = "true";
    var tiles = data.tilesUrl || "";
    var interactive = data.interactive === "true";
    var zoom = number(data.zoom) || (tiles ? TILE_ZOOM : OUTLINE_ZOOM);

    var canvas = document.createElement("div");
    canvas.className = "map-canvas";
    // The element's own words describe the place; the picture adds nothing a reader can use.
    canvas.setAttribute("aria-hidden", "true");
    element.insertBefore(canvas, element.firstChild);
    element.classList.add("map--ready");

    var map = L.map(canvas, {
      center: [lat, lon],
      zoom: zoom,
      zoomControl: false,
      attributionControl: Boolean(tiles),
      dragging: interactive,
      touchZoom: interactive,
      scrollWheelZoom: false,
      doubleClickZoom: interactive,
      boxZoom: false,
      keyboard: false,
    });
    if (interactive) {
      L.control
        .zoom({
          zoomInTitle: data.zoomInLabel || "+",
          zoomOutTitle: data.zoomOutLabel || "-",
        })
        .addTo(map);
    }
    if (tiles) {
      L.tileLayer(tiles, { attribution: data.tilesAttribution || "", maxZoom: 19 }).addTo(map);
    } else if (data.baseLayer) {
      drawOutlines(map, data.baseLayer);
    }
    var icon = data.markerIcon
      ? L.icon({
          iconUrl: data.markerIcon,
          iconRetinaUrl: data.markerIcon2x || data.markerIcon,
          shadowUrl: data.markerShadow || null,
          iconSize: [25, 41],
          iconAnchor: [12, 41],
          shadowSize: [41, 41],
        })
      : new L.Icon.Default();
    L.marker([lat, lon], { icon: icon, interactive: false, keyboard: false, alt: "" }).addTo(map);
    return map;
  }

  function enhance(root) {
    var elements = (root || document).querySelectorAll("[data-map]");
    Array.prototype.forEach.call(elements, mapFor);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
  // Content htmx swaps in gets its maps too.
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
  window.citylineMaps = { enhance: enhance };
})();
