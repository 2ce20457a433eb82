// The practice of a guide (generator/site/practice.py): its data and pictures are
// fetched only when the reader presses a start button, so a page pays for
// nothing but this script until then. One hotspot at a time, over the element
// the step marks; a tap elsewhere shows a hint and never advances.
(function () {
  "use strict";
  var reduced = matchMedia("(prefers-reduced-motion: reduce)");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function dark() {
    var scheme = document.body.getAttribute("data-md-color-scheme");
    if (scheme) return scheme === "slate";
    return matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function load(button) {
    var inline = document.getElementById("gg-practice-data");
    if (inline) return Promise.resolve(JSON.parse(inline.textContent));
    return fetch(button.getAttribute("data-practice-src")).then(function (response) {
      if (!response.ok) throw new Error(response.url + ": " + response.status);
      return response.json();
    });
  }

  function open(button) {
    if (button.ggPractice) { button.ggPractice.focus(); return; }
    button.disabled = true;
    load(button).then(function (data) {
      button.disabled = false;
      button.ggPractice = build(button, data);
    }, function () { button.disabled = false; });
  }

  function build(button, data) {
    var root = new URL(button.getAttribute("data-practice-root"), location.href);
    var w = data.words;
    var box = el("section", { "data-practice": "", "class": "gg-practice", "tabindex": "-1",
      "aria-label": w.title });
    var bar = el("div", { "class": "gg-practice-bar" });
    var progress = el("span", { "class": "gg-practice-progress" });
    var close = el("button", { type: "button", "class": "gg-practice-close", "aria-label": w.close }, "×");
    bar.append(progress, close);
    var live = el("p", { "class": "gg-practice-text", "aria-live": "polite" });
    var hint = el("p", { "class": "gg-practice-hint", "data-practice-hint": "", role: "alert", hidden: "" });
    var stage = el("div", { "class": "gg-practice-stage" });
    var img = el("img", { alt: "", draggable: "false" });
    var typed = el("span", { "class": "gg-practice-typed", hidden: "" });
    var hot = el("button", { type: "button", "class": "gg-practice-hotspot", "data-practice-hotspot": "" });
    stage.append(img, typed, hot);
    var done = el("div", { "class": "gg-practice-done", "data-practice-done": "", tabindex: "-1", hidden: "" });
    box.append(bar, live, hint, stage, done);
    button.closest(".gg-practice-start").after(box);
    if (reduced.matches) box.classList.add("gg-practice-still");

    var at = 0;
    var total = data.hotspots.length;

    function place(node, b) {
      node.style.left = b[0] * 100 + "%";
      node.style.top = b[1] * 100 + "%";
      node.style.width = b[2] * 100 + "%";
      node.style.height = b[3] * 100 + "%";
    }

    // The hotspot is shown only once its screen's picture is decoded: over the
    // previous picture it would mark the wrong place, and a tap on it would land
    // elsewhere. The stage takes the screen's shape at once, so nothing moves
    // when the picture arrives.
    function show(focus) {
      var spot = data.hotspots[at];
      var screen = data.screens[spot.screen];
      var variants = dark() && screen.dark.length ? screen.dark : screen.light;
      var srcset = variants.map(function (v) { return new URL(v[0], root).href + " " + v[1] + "w"; }).join(", ");
      var shown = at;
      // Focus waits on the practice itself while the hotspot is hidden, so Escape still closes it.
      if (document.activeElement === hot) box.focus({ preventScroll: true });
      hot.hidden = true;
      hint.hidden = true;
      stage.classList.remove("gg-practice-hinted");
      stage.style.maxWidth = screen.width + "px";
      stage.style.aspectRatio = screen.width + " / " + screen.height;
      progress.textContent = w.progress.replace("{step}", spot.step).replace("{steps}", data.steps);
      live.textContent = spot.text;
      var loaded = Promise.resolve();
      if (img.getAttribute("srcset") !== srcset) {
        img.setAttribute("sizes", "(max-width: " + screen.width + "px) 100vw, " + screen.width + "px");
        img.setAttribute("srcset", srcset);
        img.src = new URL(variants[variants.length - 1][0], root).href;
        img.width = screen.width;
        img.height = screen.height;
        img.alt = screen.alt;
        typed.hidden = true;
        loaded = img.decode().catch(function () { return null; });
      }
      loaded.then(function () {
        if (at !== shown || !box.isConnected) return;
        hot.setAttribute("aria-label", spot.name);
        hot.setAttribute("data-position", at + 1 + "/" + total);
        hot.setAttribute("data-kind", spot.kind);
        place(hot, spot.box);
        hot.hidden = false;
        if (focus) hot.focus({ preventScroll: false });
      });
    }

    function advance() {
      var spot = data.hotspots[at];
      if (spot.kind === "fill" || spot.kind === "select") {
        typed.textContent = spot.value;
        place(typed, spot.box);
        typed.hidden = false;
      }
      at += 1;
      if (at < total) {
        var same = data.hotspots[at].screen === spot.screen;
        show(true);
        if (same && spot.value) live.textContent = w.typed.replace("{value}", spot.value) + " " + live.textContent;
        return;
      }
      finish();
    }

    function finish() {
      stage.hidden = true;
      hint.hidden = true;
      bar.hidden = false;
      live.textContent = "";
      done.textContent = "";
      done.append(el("p", { "class": "gg-practice-done-text" }, w.done));
      if (data.related.length) {
        done.append(el("p", { "class": "gg-practice-related" }, w.related));
        var list = el("ul");
        data.related.forEach(function (guide) {
          var item = el("li");
          var link = el("a", { href: new URL(guide.href, root).href }, guide.title);
          if (window.top !== window) link.target = "_top";
          item.append(link);
          list.append(item);
        });
        done.append(list);
      }
      var again = el("button", { type: "button", "class": "md-button" }, w.again);
      again.addEventListener("click", function () {
        at = 0;
        done.hidden = true;
        stage.hidden = false;
        show(true);
      });
      var last = el("p");
      last.append(again);
      done.append(last);
      done.hidden = false;
      done.focus();
    }

    function hintHere() {
      var spot = data.hotspots[at];
      hint.textContent = w.hint + " " + spot.name + " — " + spot.text;
      hint.hidden = false;
      stage.classList.add("gg-practice-hinted");
    }

    function closeIt() {
      box.remove();
      button.ggPractice = null;
      button.focus();
    }

    hot.addEventListener("click", function (event) {
      event.stopPropagation();
      advance();
    });
    stage.addEventListener("click", hintHere);
    close.addEventListener("click", closeIt);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        closeIt();
      }
    });
    show(true);
    return box;
  }

  function ready() {
    document.querySelectorAll("[data-practice-start]").forEach(function (button) {
      button.closest(".gg-practice-start").hidden = false;
      if (button.ggBound) return;
      button.ggBound = true;
      button.addEventListener("click", function () { open(button); });
    });
  }

  // Material's instant navigation swaps pages without reloading this script.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(ready);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  if (document.getElementById("gg-practice-data")) {
    var first = document.querySelector("[data-practice-start]");
    if (first) open(first);
  }
})();
