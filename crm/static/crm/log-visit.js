// Log a visit: find the business, keep the draft on this device until the server has it.
(function () {
  "use strict";
  const form = document.getElementById("log-visit");
  if (!form) return;
  const text = JSON.parse(document.getElementById("log-visit-messages").textContent);
  const key = form.dataset.draftKey;
  const status = form.querySelector(".log-visit__status");
  const hidden = form.querySelector("input[name=organisation]");
  const finder = form.querySelector(".log-visit__finder");
  const chosen = form.querySelector(".log-visit__chosen");
  const search = document.getElementById("organisation-search");
  const results = document.getElementById("organisation-results");
  const attendeesBox = form.querySelector(".log-visit__attendees");
  const attendees = form.querySelector("[data-attendees]");
  const discard = form.querySelector("[data-discard]");

  function say(message, link) {
    status.textContent = message;
    if (link) {
      const a = document.createElement("a");
      a.href = link.href; a.textContent = link.text; a.target = "_blank"; a.rel = "noopener";
      status.append(" ", a);
    }
    status.hidden = false;
  }

  // --- the draft -------------------------------------------------------------------------
  function snapshot() {
    const data = {fields: {}, organisation: null};
    for (const el of form.elements) {
      if (!el.name || el.name === "csrfmiddlewaretoken") continue;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (data.fields[el.name] = data.fields[el.name] || []).push(el.value);
      } else {
        data.fields[el.name] = el.value;
      }
    }
    if (hidden.value) {
      data.organisation = {
        id: hidden.value,
        name: chosen.querySelector("[data-chosen-name]").textContent,
        address: chosen.querySelector("[data-chosen-address]").textContent,
        contacts: [...attendees.querySelectorAll("label")].map((label) => ({
          id: label.querySelector("input").value, name: label.textContent.trim(),
        })),
      };
    }
    return data;
  }
  let timer = null;
  function save() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try { localStorage.setItem(key, JSON.stringify(snapshot())); discard.hidden = false; } catch (e) { /* private mode */ }
    }, 250);
  }
  function restore() {
    let data = null;
    try { data = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { data = null; }
    if (!data) return;
    if (data.organisation) choose(data.organisation, false);
    for (const el of form.elements) {
      if (!el.name || !(el.name in data.fields) || el.name === "organisation") continue;
      const value = data.fields[el.name];
      if (el.type === "checkbox" || el.type === "radio") el.checked = [].concat(value).includes(el.value);
      else el.value = value;
    }
    discard.hidden = false;
    say(text.restored);
  }
  function forget() {
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  // --- finding the business -------------------------------------------------------------
  function choose(org, focusNotes = true) {
    hidden.value = org.id;
    chosen.querySelector("[data-chosen-name]").textContent = org.name;
    chosen.querySelector("[data-chosen-address]").textContent = org.address || "";
    chosen.hidden = false; finder.hidden = true; results.replaceChildren();
    attendees.replaceChildren(...(org.contacts || []).map((contact) => {
      const label = document.createElement("label");
      label.className = "chip";
      const input = document.createElement("input");
      input.type = "checkbox"; input.name = "attendees"; input.value = contact.id;
      label.append(input, " " + contact.name);
      return label;
    }));
    attendeesBox.hidden = !(org.contacts || []).length;
    if (focusNotes) form.querySelector("textarea[name=notes]").focus();
  }
  let lookup = null;
  search.addEventListener("input", () => {
    clearTimeout(lookup);
    const q = search.value.trim();
    if (q.length < 2) { results.replaceChildren(); return; }
    lookup = setTimeout(async () => {
      try {
        const response = await fetch(`${form.dataset.lookupUrl}?q=${encodeURIComponent(q)}`, {credentials: "same-origin", headers: {Accept: "application/json"}});
        if (response.url.includes("/login/")) { say(text.expired, {href: form.dataset.loginUrl, text: text.login}); return; }
        const found = (await response.json()).results;
        results.replaceChildren(...found.map((org) => {
          const li = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button"; button.setAttribute("role", "option");
          const small = document.createElement("small");
          small.textContent = [org.address, org.kvk].filter(Boolean).join(" · ");
          button.append(org.name, small);
          button.addEventListener("click", () => { choose(org); save(); });
          li.append(button);
          return li;
        }));
        if (!found.length) { const li = document.createElement("li"); li.textContent = text.nothing; li.className = "help"; results.append(li); }
      } catch (e) { say(text.offline); }
    }, 200);
  });
  chosen.querySelector("[data-change]").addEventListener("click", () => {
    hidden.value = ""; chosen.hidden = true; finder.hidden = false; attendeesBox.hidden = true; search.focus(); save();
  });

  // --- saving -----------------------------------------------------------------------------
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  discard.addEventListener("click", () => { forget(); window.location.href = window.location.pathname; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    localStorage.setItem(key, JSON.stringify(snapshot()));
    say(text.saving);
    let response;
    try {
      response = await fetch(window.location.pathname, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: {Accept: "application/json", "X-Requested-With": "XMLHttpRequest"},
      });
    } catch (e) {
      say(text.offline);
      return;
    }
    if (response.url.includes("/login/") || response.status === 401 || response.status === 403) {
      say(text.expired, {href: form.dataset.loginUrl, text: text.login});
      return;
    }
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (response.ok && body.ok) {
      forget();
      window.location.href = body.url;
      return;
    }
    form.querySelectorAll(".error-message.js").forEach((el) => el.remove());
    const errors = body.errors || {};
    const messages = [];
    for (const [name, list] of Object.entries(errors)) {
      const message = list.map((error) => error.message).join(" ");
      const field = form.querySelector(`[name=${name}]`);
      if (field && name !== "organisation" && name !== "__all__") {
        const p = document.createElement("p"); p.className = "error-message js"; p.textContent = message;
        field.closest(".log-visit__field, fieldset")?.append(p);
      } else {
        messages.push(message);
      }
    }
    say([text.failed, ...messages].join(" "));
  });

  if (!form.querySelector(".error-message") && !form.querySelector(".help-critical")) restore();
  if (localStorage.getItem(key)) discard.hidden = false;
})();
