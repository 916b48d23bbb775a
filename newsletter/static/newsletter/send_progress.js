// The send screen's figures while a send runs: read every 5 seconds and updated in place.
// Reloading the whole page did the same but could reload it under a finger on "Pause". When the
// send changes state (paused elsewhere, finished, cancelled) the page reloads once, so its buttons
// match. Without JavaScript a <noscript> refresh of the page does the work.
(function () {
  "use strict";
  var list = document.querySelector("[data-send-progress]");
  if (!list) return;
  var url = list.getAttribute("data-send-progress");
  var status = list.getAttribute("data-status");
  var INTERVAL = 5000;

  function show(data) {
    Object.keys(data.counts).forEach(function (key) {
      var figure = list.querySelector("[data-count='" + key + "']");
      if (figure) figure.textContent = String(data.counts[key]);
    });
    list.setAttribute("data-updated", String(Date.now()));
  }

  function read() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (data.status !== status) {
          window.location.reload();
          return;
        }
        show(data);
        window.setTimeout(read, INTERVAL);
      })
      .catch(function () {
        // A lost connection or an expired login: try again later; the figures shown stay.
        window.setTimeout(read, INTERVAL * 2);
      });
  }
  window.setTimeout(read, INTERVAL);
})();
