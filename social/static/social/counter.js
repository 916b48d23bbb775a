// Live character counter for social posts. Mirrors social/channels.py (compose, length, check):
// the text, then the link (not on Instagram), then the hashtags; X and Mastodon count a link as 23.
(function () {
  "use strict";
  var URL_RE = /(?:https?:\/\/|www\.)[^\s<>"]+/gi;
  var NARROW = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];

  function hashtags(value) {
    var seen = {}, tags = [];
    (value || "").split(/[\s,;]+/).forEach(function (word) {
      word = word.replace(/^#+/, "").replace(/[.!?:]+$/, "");
      if (word && !seen[word.toLowerCase()]) { seen[word.toLowerCase()] = true; tags.push("#" + word); }
    });
    return tags;
  }

  function compose(rule, text, link, tags) {
    var parts = [(text || "").trim()];
    if (link && rule.linkInText && parts[0].indexOf(link) === -1) parts.push(link.trim());
    if (rule.hashtags && tags.length) parts.push(tags.join(" "));
    return parts.filter(Boolean).join("\n\n");
  }

  function weigh(rule, text) {
    var total = 0;
    for (var ch of text) {
      var code = ch.codePointAt(0), narrow = false;
      for (var i = 0; i < NARROW.length; i++) if (code >= NARROW[i][0] && code <= NARROW[i][1]) narrow = true;
      total += narrow ? 1 : rule.wideWeight;
    }
    return total;
  }

  function count(rule, composed) {
    if (!rule.urlWeight) return weigh(rule, composed);
    var total = 0, position = 0, match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(composed)) !== null) {
      total += weigh(rule, composed.slice(position, match.index)) + rule.urlWeight;
      position = match.index + match[0].length;
    }
    return total + weigh(rule, composed.slice(position));
  }

  function setup(textarea) {
    var rules = JSON.parse(textarea.getAttribute("data-social-counter"));
    var form = textarea.form;
    var field = function (name) { return form ? form.querySelector("[name='" + name + "']") : null; };
    var channelField = field("channel"), linkField = field("link"), tagField = field("hashtags");
    var fixedChannel = textarea.getAttribute("data-channel");
    var out = document.createElement("p");
    out.className = "social-counter";
    out.setAttribute("aria-live", "polite");
    out.setAttribute("data-social-counter-output", "");
    textarea.insertAdjacentElement("afterend", out);

    function update() {
      var key = channelField ? channelField.value : fixedChannel;
      var rule = rules[key];
      if (!rule) { out.textContent = ""; return; }
      var tags = hashtags(tagField ? tagField.value : "");
      var used = count(rule, compose(rule, textarea.value, linkField ? linkField.value : "", tags));
      var notes = [];
      if (!rule.linkInText && URL_RE.test(textarea.value)) notes.push(textarea.dataset.msgLink || "Links zijn op Instagram niet klikbaar.");
      URL_RE.lastIndex = 0;
      if (!rule.hashtags && tags.length) notes.push(textarea.dataset.msgNoTags || "Dit kanaal gebruikt geen hashtags.");
      if (rule.hashtags && tags.length > rule.maxHashtags) notes.push((textarea.dataset.msgTags || "Te veel hashtags") + " (" + tags.length + "/" + rule.maxHashtags + ")");
      out.textContent = rule.label + ": " + used + " / " + rule.max + (notes.length ? " · " + notes.join(" · ") : "");
      out.classList.toggle("social-counter--over", used > rule.max || notes.length > 0);
      out.classList.toggle("social-counter--long", used <= rule.max && used > rule.advised);
      out.dataset.used = String(used);
    }
    [textarea, channelField, linkField, tagField].forEach(function (el) {
      if (el) { el.addEventListener("input", update); el.addEventListener("change", update); }
    });
    update();
  }

  function init() {
    document.querySelectorAll("textarea[data-social-counter]").forEach(function (el) {
      if (!el.dataset.counterReady) { el.dataset.counterReady = "1"; setup(el); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
  // Wagtail may render the form after load (e.g. in a dialog).
  document.addEventListener("w-swap:success", init);
})();

// Copy buttons: copy the text of the element named by data-copy-target.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () { button.textContent = button.getAttribute("data-copied") || "Gekopieerd"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { source.select && source.select(); document.execCommand("copy"); done(); });
    } else {
      if (source.select) source.select();
      document.execCommand("copy");
      done();
    }
  });
})();
