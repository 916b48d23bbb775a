// Wagtail saves a new page while one types (autosave), and only when that save has answered does
// the form point at the page it created. A click on "Bewaar concept" or "Redactie" before then
// posted the form to "add" a second time: a duplicate page, or a 500 when both took the same slug.
// So a submit waits for the save in flight, then goes to the address that save returned.
(function () {
  "use strict";
  var pending = false;
  var held = null;

  function settle() {
    pending = false;
    if (held) {
      var form = held.form;
      var submitter = held.submitter;
      held = null;
      if (submitter && submitter.form === form) {
        form.requestSubmit(submitter);
      } else {
        form.requestSubmit();
      }
    }
  }

  document.addEventListener("w-autosave:save", function (event) {
    if (!event.defaultPrevented) pending = true;
  });
  ["w-autosave:success", "w-autosave:error", "w-autosave:deactivated"].forEach(function (name) {
    document.addEventListener(name, settle);
  });
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!pending || !(form instanceof HTMLFormElement) || !form.matches("[data-controller~='w-autosave']")) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      held = { form: form, submitter: event.submitter || null };
    },
    true
  );
})();
