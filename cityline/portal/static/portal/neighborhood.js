/*
 * The neighborhood page's map, added to a page whose table already lists the same requests.
 *
 * The element with `data-neighborhood-map` names the map's data (`data-data-url`, the page's
 * filters already in its query string) and where to look first: `data-bounds`
 * ("west,south,east,north", a district, whose outline is the GeoJSON in the element `data-outline`
 * names), `data-center` ("lat,lon", an address) or, given neither, the whole city as its base
 * layer outlines it. The base is `data-tiles-url` when the city has a
 * tile server, else the city's own outlines at `data-base-layer`.
 *
 * The server counts the requests per H3 cell for the zoom level (clusters: a number in a circle,
 * which zooms in when chosen) and, close up, sends each request (a dot whose popup links to its
 * tracking page). Each move asks again for what is in view; an answer to an older move is dropped.
 */
(function () {
  "use strict";

  var CITY_ZOOM = 12;
  var ADDRESS_ZOOM = 16;
  var OUTLINE_STYLE = { color: "#4a5568", weight: 1.5, opacity: 0.8, fill: false };
  var AREA_STYLE = {
    color: "#005ea2",
    weight: 3,
    opacity: 0.9,
    fillOpacity: 0.04,
    interactive: false,
  };
  var STATUS_COLOURS = {
    closed: "#565c65",
    new: "#005ea2",
    acknowledged: "#005ea2",
    in_progress: "#8a5a00",
  };

  function numbers(text) {
    return (text || "").split(",").map(parseFloat).filter(isFinite);
  }

  function clusterSize(count) {
    return count < 10 ? "small" : count < 100 ? "medium" : "large";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function popup(properties, labels) {
    var box = element("div", "map-popup");
    var link = element("a", "", properties.number);
    link.href = properties.url;
    box.appendChild(link);
    box.appendChild(element("p", "", properties.service));
    box.appendChild(element("p", "", properties.status_words));
    box.appendChild(element("p", "meta", labels.received + ": " + properties.received));
    return box;
  }

  function start(root) {
    var L = window.L;
    var data = root.dataset;
    if (!L || data.mapReady) {
      return;
    }
    data.mapReady = "true";
    var labels = {
      received: data.labelReceived || "",
      count: data.labelCount || "",
      more: data.labelMore || "",
    };
    var status = root.querySelector(".map__status");
    var canvas = element("div", "map-canvas neighborhood-map__canvas");
    root.insertBefore(canvas, root.firstChild);
    root.classList.add("map--ready");

    var map = L.map(canvas, { zoomControl: false, scrollWheelZoom: false });
    L.control
      .zoom({ zoomInTitle: data.zoomInLabel || "+", zoomOutTitle: data.zoomOutLabel || "-" })
      .addTo(map);
    var bounds = numbers(data.bounds);
    var center = numbers(data.center);
    var placed = false;
    if (bounds.length === 4) {
      map.fitBounds([
        [bounds[1], bounds[0]],
        [bounds[3], bounds[2]],
      ]);
      placed = true;
    } else if (center.length === 2) {
      map.setView(center, ADDRESS_ZOOM);
      placed = true;
    }

    if (data.tilesUrl) {
      L.tileLayer(data.tilesUrl, { attribution: data.tilesAttribution || "", maxZoom: 19 }).addTo(
        map
      );
    }
    if (data.baseLayer) {
      window
        .fetch(data.baseLayer, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (geojson) {
          if (!geojson) {
            return;
          }
          var outlines = L.geoJSON(geojson, { style: OUTLINE_STYLE, interactive: false }).addTo(map);
          if (!placed && outlines.getLayers().length) {
            map.fitBounds(outlines.getBounds());
            placed = true;
            load();
          }
        })
        .catch(function () {
          root.classList.add("map-canvas--no-base");
        });
    }
    var outline = data.outline ? document.getElementById(data.outline) : null;
    if (outline) {
      L.geoJSON(JSON.parse(outline.textContent), { style: AREA_STYLE }).addTo(map);
    }

    var layer = L.layerGroup().addTo(map);
    var asked = 0;

    function draw(geojson) {
      layer.clearLayers();
      geojson.features.forEach(function (feature) {
        var lonLat = feature.geometry.coordinates;
        var where = [lonLat[1], lonLat[0]];
        var properties = feature.properties;
        if (geojson.kind === "clusters") {
          var count = properties.count;
          var icon = L.divIcon({
            className: "map-cluster map-cluster--" + clusterSize(count),
            html: "<span>" + String(count) + "</span>",
            iconSize: null,
          });
          L.marker(where, { icon: icon, title: count + " " + labels.count, alt: "" })
            .on("click", function () {
              map.setView(where, Math.min(map.getZoom() + 2, 18));
            })
            .addTo(layer);
        } else {
          L.circleMarker(where, {
            radius: 7,
            color: "#ffffff",
            weight: 2,
            fillColor: STATUS_COLOURS[properties.status] || "#1a4480",
            fillOpacity: 1,
          })
            .bindPopup(popup(properties, labels))
            .addTo(layer);
        }
      });
      status.textContent = geojson.truncated ? labels.more : "";
    }

    function load() {
      if (!placed) {
        return;
      }
      var view = map.getBounds();
      var url =
        data.dataUrl +
        "&bbox=" +
        [view.getWest(), view.getSouth(), view.getEast(), view.getNorth()]
          .map(function (value, index) {
            var limit = index % 2 ? 90 : 180;
            return Math.max(-limit, Math.min(limit, value)).toFixed(5);
          })
          .join(",") +
        "&zoom=" +
        map.getZoom();
      var ticket = ++asked;
      window
        .fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("map data: HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (geojson) {
          if (ticket === asked) {
            draw(geojson);
          }
        })
        .catch(function () {
          layer.clearLayers();
        });
    }

    map.on("moveend", load);
    if (!placed && !data.baseLayer) {
      map.setView([0, 0], CITY_ZOOM);
      placed = true;
    }
    load();
  }

  function enhance() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-neighborhood-map]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
