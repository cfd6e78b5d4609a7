/*
 * The report form's map and the home page's "requests near you", added to pages that work
 * without them.
 *
 * `[data-place-picker]` gets a Leaflet map over the city's own outlines (or a tile server, when
 * `data-tiles-url` names one) with a draggable pin; the pin, a tap on the map, "use my location"
 * and a chosen address all write the form's latitude and longitude, and then the open requests
 * of the same service near the pin are fetched (`data-nearby-url`) into `#nearby` and drawn on
 * the map. Typing an address offers the city's addresses (`data-addresses-url`).
 *
 * `[data-photo-place]` sends each photo the resident attaches to `data-url`, which reads only
 * where it was taken (its EXIF GPS) and keeps nothing; a photo taken inside the city offers "Use
 * where this photo was taken", which moves the pin there (or, without the map, fills the
 * coordinates).
 *
 * `.near-you` (the home page) asks for the device's location when the resident presses its
 * button, and lists the open requests near it.
 */
(function () {
  "use strict";

  var OUTLINE_STYLE = { color: "#4a5568", weight: 1.5, opacity: 0.8, fill: false };
  var NEARBY_STYLE = { radius: 7, color: "#7a2e00", weight: 2, fillColor: "#ffb37a", fillOpacity: 0.9 };

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fn.apply(null, args);
      }, wait);
    };
  }

  function getText(url) {
    return window.fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } }).then(
      function (response) {
        return response.text();
      }
    );
  }

  function number(value) {
    var parsed = parseFloat(value);
    return isFinite(parsed) ? parsed : null;
  }

  function placePicker(picker) {
    var L = window.L;
    if (!L) {
      return;
    }
    var data = picker.dataset;
    var latInput = document.getElementById("id_lat");
    var lonInput = document.getElementById("id_long");
    var addressInput = document.getElementById("id_address");
    var status = picker.querySelector(".place-picker__status");
    var locate = picker.querySelector(".place-picker__locate");
    var suggestions = picker.querySelector(".address-suggestions");
    var nearby = document.getElementById("nearby");
    var look = picker.querySelector("button[name='look']");
    var coordinates = picker.querySelector(".coordinates-entry");

    var canvas = document.createElement("div");
    canvas.className = "map-canvas place-picker__map";
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-label", data.mapLabel || "");
    picker.insertBefore(canvas, picker.firstChild);
    picker.classList.add("place-picker--ready");
    if (look) {
      look.hidden = true;
    }
    if (coordinates && !coordinates.open) {
      coordinates.hidden = true;
    }

    var map = L.map(canvas, { zoomControl: true, scrollWheelZoom: false });
    var icon = L.icon({
      iconUrl: data.markerIcon,
      iconRetinaUrl: data.markerIcon2x || data.markerIcon,
      shadowUrl: data.markerShadow || null,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      shadowSize: [41, 41],
    });
    var marker = null;
    var others = L.layerGroup().addTo(map);

    function showNearby(html) {
      nearby.innerHTML = html;
      nearby.hidden = false;
      if (window.htmx) {
        window.htmx.process(nearby);
      }
      others.clearLayers();
      Array.prototype.forEach.call(nearby.querySelectorAll("[data-lat]"), function (item) {
        var lat = number(item.dataset.lat);
        var lon = number(item.dataset.lon);
        if (lat !== null && lon !== null) {
          L.circleMarker([lat, lon], NEARBY_STYLE).bindTooltip(item.dataset.number).addTo(others);
        }
      });
    }

    function placed(lat, lon, words) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      if (!marker) {
        marker = L.marker([lat, lon], { icon: icon, draggable: true, autoPan: true, alt: "" }).addTo(map);
        marker.on("dragend", function () {
          var where = marker.getLatLng();
          placed(where.lat, where.lng, data.moved);
        });
      } else {
        marker.setLatLng([lat, lon]);
      }
      if (words) {
        status.textContent = words;
      }
      var query = "?lat=" + lat.toFixed(6) + "&long=" + lon.toFixed(6) + "&service=" + encodeURIComponent(data.service);
      getText(data.nearbyUrl + query).then(showNearby);
    }

    picker.citylinePlace = function (lat, lon, words) {
      map.setView([lat, lon], 17);
      placed(lat, lon, words);
    };

    map.on("click", function (event) {
      // A tap on the whole city's outline is a first guess: come close enough to adjust it.
      if (map.getZoom() < 16) {
        map.setView(event.latlng, 16);
      }
      placed(event.latlng.lat, event.latlng.lng, data.moved);
    });

    var startLat = number(latInput.value);
    var startLon = number(lonInput.value);
    if (data.tilesUrl) {
      L.tileLayer(data.tilesUrl, { attribution: data.tilesAttribution || "", maxZoom: 19 }).addTo(map);
    }
    if (startLat !== null && startLon !== null) {
      map.setView([startLat, startLon], 16);
      placed(startLat, startLon, "");
    } else {
      map.setView([0, 0], 2);
    }
    if (data.baseLayer) {
      window
        .fetch(data.baseLayer, { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (geojson) {
          var outlines = L.geoJSON(geojson, { style: OUTLINE_STYLE, interactive: false }).addTo(map);
          if (startLat === null && outlines.getBounds().isValid()) {
            map.fitBounds(outlines.getBounds());
          }
        })
        .catch(function () {
          canvas.classList.add("map-canvas--no-base");
        });
    }

    if (locate && "geolocation" in navigator) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        status.textContent = data.finding;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            map.setView([position.coords.latitude, position.coords.longitude], 17);
            placed(position.coords.latitude, position.coords.longitude, data.found);
          },
          function () {
            status.textContent = data.failed;
            addressInput.focus();
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }

    var lookUp = debounce(function (text) {
      if (text.length < 2) {
        suggestions.hidden = true;
        return;
      }
      window
        .fetch(data.addressesUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (found) {
          suggestions.innerHTML = "";
          found.addresses.forEach(function (address) {
            var item = document.createElement("li");
            var choose = document.createElement("button");
            choose.type = "button";
            choose.className = "address-suggestion";
            choose.textContent = address.address;
            choose.addEventListener("click", function () {
              addressInput.value = address.address;
              suggestions.hidden = true;
              map.setView([address.lat, address.lon], 17);
              placed(address.lat, address.lon, address.address);
            });
            item.appendChild(choose);
            suggestions.appendChild(item);
          });
          suggestions.hidden = found.addresses.length === 0;
        });
    }, 250);
    addressInput.addEventListener("input", function () {
      lookUp(addressInput.value.trim());
    });
  }

  function nearYou(section) {
    var button = section.querySelector(".near-you__locate");
    var status = section.querySelector("[role='status']");
    var list = section.querySelector("#near-list");
    if (!button || !("geolocation" in navigator)) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.finding;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var query = "?lat=" + position.coords.latitude.toFixed(6) + "&long=" + position.coords.longitude.toFixed(6);
          getText(section.dataset.nearbyUrl + query).then(function (html) {
            list.innerHTML = html;
            status.textContent = "";
            button.hidden = true;
          });
        },
        function () {
          status.textContent = button.dataset.failed;
        },
        { timeout: 15000, maximumAge: 300000 }
      );
    });
  }

  function photoPlace(offer, form) {
    var input = document.getElementById("id_photos");
    var use = offer.querySelector(".photo-place__use");
    var status = offer.querySelector(".photo-place__status");
    var token = form.querySelector("input[name='csrfmiddlewaretoken']");
    var found = null;
    if (!input || !use || !token || !window.FormData) {
      return;
    }

    // The first of the photos (at most three are taken) that says where it was taken.
    function ask(files, index) {
      if (index >= Math.min(files.length, 3)) {
        return Promise.resolve(null);
      }
      var body = new window.FormData();
      body.append("csrfmiddlewaretoken", token.value);
      body.append("photo", files[index]);
      return window
        .fetch(offer.dataset.url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (answer) {
          if (answer.error) {
            status.textContent = answer.error;
            return null;
          }
          return answer.place || ask(files, index + 1);
        });
    }

    input.addEventListener("change", function () {
      use.hidden = true;
      status.textContent = "";
      found = null;
      ask(input.files, 0)
        .then(function (place) {
          if (!place) {
            return;
          }
          if (!place.inside) {
            status.textContent = offer.dataset.outside;
            return;
          }
          found = place;
          use.hidden = false;
        })
        .catch(function () {
          // The offer is a shortcut: without it the resident places the pin as before.
          use.hidden = true;
        });
    });

    use.addEventListener("click", function () {
      if (!found) {
        return;
      }
      var picker = document.querySelector("[data-place-picker]");
      if (picker && picker.citylinePlace) {
        picker.citylinePlace(found.lat, found.lon, offer.dataset.moved);
      } else {
        document.getElementById("id_lat").value = found.lat.toFixed(6);
        document.getElementById("id_long").value = found.lon.toFixed(6);
      }
      use.hidden = true;
      status.textContent = offer.dataset.moved;
    });
  }

  function sendOnce(form) {
    // The server files a form sent twice once; this only spares the resident a second wait.
    form.addEventListener("submit", function (event) {
      var send = form.querySelector(".report-send");
      if (event.submitter === send && send) {
        window.setTimeout(function () {
          send.disabled = true;
          send.textContent = send.dataset.sending;
        }, 0);
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-place-picker]"), placePicker);
    Array.prototype.forEach.call(document.querySelectorAll(".near-you"), nearYou);
    var form = document.getElementById("report-form");
    if (form) {
      sendOnce(form);
      Array.prototype.forEach.call(form.querySelectorAll("[data-photo-place]"), function (offer) {
        photoPlace(offer, form);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
