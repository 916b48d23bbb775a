// Progress of a newsletter draft made in the worker: polls drafting's job URL until done or failed.
(function () {
  "use strict";
  var box = document.querySelector(".ai-job[data-job-url]");
  if (!box) return;
  var url = box.getAttribute("data-job-url");
  var message = box.querySelector("[data-role=message]");
  var progress = box.querySelector("[data-role=progress]");
  var delay = 1000;

  function show(status) {
    box.setAttribute("data-state", status.state);
    var working = box.querySelector("[data-role=working]");
    if (working) working.hidden = status.state === "done" || status.state === "failed";
    message.textContent = status.message || "";
    if (status.state === "done") {
      progress.hidden = true;
      var done = box.querySelector("[data-role=done]");
      var open = box.querySelector("[data-role=open]");
      if (status.result && status.result.edit_url) open.href = status.result.edit_url;
      done.hidden = false;
      return true;
    }
    if (status.state === "failed") {
      progress.hidden = true;
      message.setAttribute("role", "alert");
      message.classList.add("ai-job-error");
      box.querySelector("[data-role=failed]").hidden = false;
      var submit = document.querySelector(".ai-draft-form [data-role=submit]");
      if (submit) submit.textContent = submit.getAttribute("data-retry") || submit.textContent;
      return true;
    }
    return false;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (status) {
        if (!show(status)) {
          delay = Math.min(delay * 1.3, 4000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 4000);
      });
  }
  poll();
})();
