// The AI editor inside Wagtail's page editor: rewrite a text or heading block as a suggestion beside
// the original (accept, reject, undo), alt text for images, the AI draft's subject lines to choose
// from, and the state of a draft being written in the background. Nothing is overwritten unasked.
//
// Rich text blocks are Draftail editors: Wagtail binds the editor to its hidden input
// (input.draftailEditor, with getEditorState/onChange) and exposes Draftail's helpers as
// window.Draftail (createEditorStateFromRaw, serialiseEditorStateToRaw). A suggestion is applied with
// EditorState.push, so it also lands on the editor's own undo stack.
(function () {
  "use strict";
  var script = document.currentScript;
  var configUrl = script && script.getAttribute("data-config-url");
  if (!configUrl) return;

  var editMatch = window.location.pathname.match(/\/pages\/(\d+)\/edit\//);
  var addMatch = window.location.pathname.match(/\/pages\/add\/newsletter\/newsletterpage\/(\d+)\//);
  var query = editMatch ? "?pagina=" + editMatch[1] : addMatch ? "?nieuw=" + addMatch[1] : "";
  var config = null;

  function csrfToken() {
    if (window.wagtailConfig && window.wagtailConfig.CSRF_TOKEN) return window.wagtailConfig.CSRF_TOKEN;
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return { error: config.labels.error };
        })
        .then(function (data) {
          if (!response.ok || data.error) throw new Error(data.error || config.labels.error);
          return data;
        });
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function form() {
    // The page editor's own form (Wagtail's header holds other forms before it).
    return document.querySelector("form[data-edit-form]") || document.getElementById("page-edit-form");
  }

  // -- Rewrites ------------------------------------------------------------------------------

  function headingInputs(root) {
    return Array.prototype.filter.call(root.querySelectorAll("input[name$='-value-text']"), function (input) {
      var prefix = input.name.slice(0, -"-value-text".length);
      var type = root.querySelector("input[name='" + prefix + "-type']");
      return type && type.value === "heading";
    });
  }

  function richTextInputs(root) {
    return Array.prototype.filter.call(root.querySelectorAll("input[type=hidden]"), function (input) {
      return Boolean(input.draftailEditor);
    });
  }

  function currentRaw(input) {
    var state = input.draftailEditor.getEditorState();
    return window.Draftail.serialiseEditorStateToRaw(state) || { blocks: [], entityMap: {} };
  }

  function setRaw(input, raw) {
    var editor = input.draftailEditor;
    var current = editor.getEditorState();
    var next = window.Draftail.createEditorStateFromRaw(raw);
    editor.onChange(current.constructor.push(current, next.getCurrentContent(), "insert-fragment"));
  }

  function setHeading(input, text) {
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function addRewriteTools(input, kind) {
    if (input.dataset.aiEnhanced) return;
    input.dataset.aiEnhanced = "1";
    var tools = el("div", { class: "ai-tools", "data-ai-kind": kind });
    var details = el("details", { class: "ai-rewrite" });
    details.appendChild(el("summary", { class: "button button-small button-secondary" }, config.labels.menu));
    var menu = el("div", { class: "ai-menu", role: "group", "aria-label": config.labels.menu });
    config.actions.forEach(function (action) {
      var button = el("button", { type: "button", class: "button button-small button-secondary", "data-action": action.name }, action.label);
      button.addEventListener("click", function () {
        details.open = false;
        rewrite(input, kind, action, tools);
      });
      menu.appendChild(button);
    });
    details.appendChild(menu);
    tools.appendChild(details);
    var anchor = kind === "rich" ? input.parentNode : input;
    if (kind === "rich") anchor.appendChild(tools);
    else anchor.insertAdjacentElement("afterend", tools);
  }

  function suggestionBox(tools) {
    var old = tools.querySelector(".ai-suggestion");
    if (old) old.remove();
    var box = el("div", { class: "ai-suggestion", role: "region", "aria-live": "polite" });
    tools.appendChild(box);
    return box;
  }

  function rewrite(input, kind, action, tools) {
    var box = suggestionBox(tools);
    box.appendChild(el("p", { class: "ai-working" }, config.labels.working));
    var body = { action: action.name };
    if (kind === "rich") body.contentstate = currentRaw(input);
    else body.text = input.value;
    post(config.rewrite_url, body)
      .then(function (answer) {
        showSuggestion(input, kind, action, tools, answer);
      })
      .catch(function (error) {
        box.innerHTML = "";
        box.classList.add("ai-suggestion-error");
        box.appendChild(el("p", { role: "alert" }, error.message));
        var again = el("button", { type: "button", class: "button button-small" }, config.labels.retry || action.label);
        again.addEventListener("click", function () {
          rewrite(input, kind, action, tools);
        });
        box.appendChild(again);
      });
  }

  function showSuggestion(input, kind, action, tools, answer) {
    var box = suggestionBox(tools);
    box.appendChild(el("p", { class: "ai-suggestion-title" }, config.labels.suggestion + ": " + action.label));
    if (answer.template) box.appendChild(el("p", { class: "help ai-template" }, config.labels.template));
    var text = el("div", { class: "ai-suggestion-text", "data-role": "suggestion" });
    // The server cleaned this HTML with the project's allow-list (stadshart.html.clean_html).
    if (kind === "rich") text.innerHTML = answer.html;
    else text.textContent = answer.text;
    box.appendChild(text);
    var accept = el("button", { type: "button", class: "button button-small" }, config.labels.accept);
    var reject = el("button", { type: "button", class: "button button-small button-secondary" }, config.labels.reject);
    box.appendChild(accept);
    box.appendChild(reject);
    reject.addEventListener("click", function () {
      box.remove();
    });
    accept.addEventListener("click", function () {
      var original = kind === "rich" ? currentRaw(input) : input.value;
      if (kind === "rich") setRaw(input, answer.contentstate);
      else setHeading(input, answer.text);
      box.innerHTML = "";
      box.classList.add("ai-accepted");
      box.appendChild(el("span", {}, config.labels.accepted + " "));
      var undo = el("button", { type: "button", class: "button button-small button-secondary" }, config.labels.undo);
      undo.addEventListener("click", function () {
        if (kind === "rich") setRaw(input, original);
        else setHeading(input, original);
        box.remove();
      });
      box.appendChild(undo);
      if (config.page_id) {
        post(config.accepted_url, {
          page_id: config.page_id,
          action: action.name,
          html: answer.html || "",
          text: answer.text || "",
          heading: kind !== "rich",
          model: answer.model,
          call_id: answer.call_id,
          prompt_version: answer.prompt_version,
        }).catch(function () {});
      }
    });
  }

  // -- Alt text ------------------------------------------------------------------------------

  function imageInputs(root) {
    return root.querySelectorAll("input[type=hidden][name$='-value-image'], input[type=hidden][name=image]");
  }

  function addAltTools(input) {
    if (input.dataset.aiEnhanced) return;
    input.dataset.aiEnhanced = "1";
    var tools = el("div", { class: "ai-tools ai-alt" });
    var button = el("button", { type: "button", class: "button button-small button-secondary" }, config.labels.alt);
    tools.appendChild(button);
    button.addEventListener("click", function () {
      if (!input.value) return;
      var url = config.alt_url.replace(/\/0\/$/, "/" + input.value + "/");
      var box = suggestionBox(tools);
      box.appendChild(el("p", { class: "ai-working" }, config.labels.working));
      post(url, {})
        .then(function (answer) {
          box.innerHTML = "";
          var field = el("input", { type: "text", class: "ai-alt-text", maxlength: "250", "aria-label": config.labels.alt });
          field.value = answer.alt;
          box.appendChild(field);
          var save = el("button", { type: "button", class: "button button-small" }, config.labels.alt_save);
          save.addEventListener("click", function () {
            post(url, { save: field.value }).then(function () {
              box.innerHTML = "";
              box.appendChild(el("p", { class: "ai-accepted" }, config.labels.alt_saved));
            }).catch(function (error) {
              box.appendChild(el("p", { role: "alert" }, error.message));
            });
          });
          box.appendChild(save);
        })
        .catch(function (error) {
          box.innerHTML = "";
          box.appendChild(el("p", { role: "alert" }, error.message));
        });
    });
    var chooser = input.closest("[data-chooser-url], .chooser") || input.parentNode;
    chooser.insertAdjacentElement("afterend", tools);
  }

  // -- The page: subject lines, a draft in the background, the AI check ------------------------

  function notice(html) {
    var target = form();
    if (!target) return null;
    var box = el("div", { class: "help-block help-info ai-notice", role: "status" });
    box.innerHTML = html;
    target.insertAdjacentElement("afterbegin", box);
    return box;
  }

  function link(href, text) {
    var a = el("a", { href: href }, text);
    return a.outerHTML;
  }

  function choices(field, values, label) {
    if (!field || !values || !values.length) return;
    var box = el("div", { class: "ai-choices" });
    box.appendChild(el("span", { class: "help" }, label + " "));
    values.forEach(function (value) {
      var chip = el("button", { type: "button", class: "button button-small button-secondary ai-choice" }, value);
      chip.addEventListener("click", function () {
        field.value = value;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
      box.appendChild(chip);
    });
    field.insertAdjacentElement("afterend", box);
  }

  function pollJob(url) {
    var box = notice(config.labels.pending);
    if (!box) return;
    box.setAttribute("data-ai-job", url);
    (function poll() {
      fetch(url, { credentials: "same-origin" })
        .then(function (r) {
          return r.json();
        })
        .then(function (status) {
          if (status.state === "done") {
            box.innerHTML = config.labels.done + " " + link((status.result && status.result.edit_url) || window.location.href, config.labels.open);
          } else if (status.state === "failed") {
            box.className = "help-block help-critical ai-notice";
            box.setAttribute("role", "alert");
            box.textContent = status.message;
          } else {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(function () {
          window.setTimeout(poll, 5000);
        });
    })();
  }

  function scan() {
    var root = form() || document;
    richTextInputs(root).forEach(function (input) {
      addRewriteTools(input, "rich");
    });
    headingInputs(root).forEach(function (input) {
      addRewriteTools(input, "heading");
    });
    if (config.images) {
      Array.prototype.forEach.call(imageInputs(root), addAltTools);
    }
  }

  function start(data) {
    config = data;
    if (!config.rewrite) return;
    var css = script.getAttribute("data-css-url");
    if (css && !document.querySelector("link[href='" + css + "']")) {
      document.head.appendChild(el("link", { rel: "stylesheet", href: css }));
    }
    config.labels.retry = config.labels.retry || config.labels.menu;
    if (config.review_url) notice(config.labels.review + " " + link(config.review_url, config.labels.review_link));
    var drafting = config.draft_url || config.new_draft_url;
    if (drafting) {
      var bar = notice("");
      if (bar) {
        bar.className = "ai-bar";
        bar.removeAttribute("role");
        var write = el("a", { href: drafting, class: "button button-small button-secondary ai-write" }, config.labels.write);
        bar.appendChild(write);
        bar.appendChild(el("span", { class: "help" }, " " + config.labels.write_help));
      }
    }
    if (config.job_url) pollJob(config.job_url);
    choices(document.getElementById("id_subject"), config.subject_lines, config.labels.subject_choices);
    if (config.preheader) choices(document.getElementById("id_preheader"), [config.preheader], config.labels.preheader_choice);
    scan();
    var timer = null;
    new MutationObserver(function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(scan, 250);
    }).observe(document.body, { childList: true, subtree: true });
  }

  function load() {
    fetch(configUrl + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (data) {
        if (data) start(data);
      })
      .catch(function () {});
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
