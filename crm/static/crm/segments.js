// The live count of the segment form: after each change, ask the server how many organisations and
// people the filters select, and show the first organisations. Names are set as text, never as HTML.
(function () {
  "use strict";
  var panel = document.querySelector("[data-crm-segment-count]");
  var form = document.getElementById("w-editor-form");
  if (!panel || !form) return;
  var url = panel.getAttribute("data-count-url");
  var preview = panel.querySelector("[data-count-preview]");
  var none = panel.querySelector("[data-count-none]");
  var error = panel.querySelector("[data-count-error]");
  var timer = null;
  var controller = null;
  var skip = ["csrfmiddlewaretoken", "name", "description"];

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (skip.indexOf(key) === -1 && typeof value === "string") params.append(key, value);
    });
    return params.toString();
  }

  function show(data) {
    panel.querySelector("[data-count=organisations]").textContent = data.organisations.toLocaleString("nl-NL");
    panel.querySelector("[data-count=people]").textContent = data.people.toLocaleString("nl-NL");
    preview.replaceChildren();
    data.preview.forEach(function (organisation) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = organisation.url;
      link.textContent = organisation.name;
      item.appendChild(link);
      if (organisation.street) item.appendChild(document.createTextNode(" · " + organisation.street));
      preview.appendChild(item);
    });
    none.hidden = data.preview.length > 0;
    error.hidden = true;
  }

  function refresh() {
    if (controller) controller.abort();
    controller = new AbortController();
    panel.setAttribute("aria-busy", "true");
    fetch(url + "?" + query(), { signal: controller.signal, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        panel.setAttribute("aria-busy", "false");
        if (result.ok) show(result.data);
        else error.hidden = false;
      })
      .catch(function (problem) {
        if (problem.name !== "AbortError") { panel.setAttribute("aria-busy", "false"); error.hidden = false; }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  refresh();
})();
