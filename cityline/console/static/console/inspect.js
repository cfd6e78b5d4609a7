// Fill the inspector's coordinates from the device, when it has a location and the inspector
// allows it; the address field stays for everyone else.
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var latitude = document.getElementById("id_lat");
  var longitude = document.getElementById("id_long");
  var status = document.getElementById("location-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.finding;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.found;
      },
      function () {
        status.textContent = button.dataset.failed;
        document.getElementById("id_address").focus();
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
