// Results as the user types: fetch the server-rendered results (already escaped) after a short pause.
// Without JavaScript the form still works as a plain GET form.
(function () {
  "use strict";
  var form = document.querySelector("[data-crm-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var target = document.getElementById("crm-search-results");
  var url = form.getAttribute("data-results-url");
  var timer = null;
  var controller = null;

  function run() {
    var query = input.value.trim();
    if (controller) controller.abort();
    controller = new AbortController();
    var address = url + "?q=" + encodeURIComponent(query);
    fetch(address, { signal: controller.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        target.innerHTML = html;
        target.setAttribute("data-query", query);
        // Keep the address shareable and the back button meaningful.
        window.history.replaceState(null, "", form.action + (query ? "?q=" + encodeURIComponent(query) : ""));
      })
      .catch(function (error) {
        if (error.name !== "AbortError") target.setAttribute("data-error", String(error));
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 200);
  });
})();
