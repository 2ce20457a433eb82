/* global __md_get */
/* The help site's own behaviour: a language switcher that stays on the same
 * page, a lightbox for step images, and step pictures that follow the
 * light/dark palette. Plain DOM, no framework, so it also
 * works with Zensical; every feature degrades to an ordinary link. */
(function () {
  "use strict";

  /* The site's root URL, from the relative "base" Material writes into every page. */
  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    if (config) {
      try {
        base = JSON.parse(config.textContent).base || ".";
      } catch (error) {
        base = ".";
      }
    }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  /* Each language is built from the same file names, so the page at the same
   * path under the other language's root is this page in that language. */
  function pointLanguageLinksHere() {
    var root = siteRoot();
    if (location.href.indexOf(root.href) !== 0) return;
    var path = location.pathname.slice(root.pathname.length) + location.hash;
    var links = document.querySelectorAll("a.md-select__link[hreflang], link[rel=alternate][hreflang]");
    links.forEach(function (link) {
      var other = new URL(link.getAttribute("href"), location.href);
      link.setAttribute("href", new URL(path, other).href);
      if (link.tagName === "A" && link.hreflang === document.documentElement.lang) {
        link.setAttribute("aria-current", "true");
      }
    });
  }

  /* Material also intercepts clicks on language links and sends the reader to
   * the other language's home page unless a sitemap with absolute URLs says
   * otherwise; our links already point at the right page, so keep them ours. */
  document.addEventListener(
    "click",
    function (event) {
      if (event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]")) {
        event.stopPropagation();
      }
    },
    true
  );

  /* The lightbox: a step picture at full size over the page. A modal dialog,
   * so focus stays inside it and Esc closes it; arrow keys (and the buttons
   * beside the picture, and a sideways swipe) go to the previous or next
   * picture of the same tab; a click on the picture zooms it to its natural
   * size; a tap beside the picture or a vertical swipe closes it, and focus
   * goes back to the picture it was opened from. The alt text is its caption. */
  var box = null;

  function button(name, text, label) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "gg-lightbox__" + name;
    element.textContent = text;
    element.setAttribute("aria-label", label);
    return element;
  }

  function lightbox() {
    if (box) return box;
    var ja = document.documentElement.lang === "ja";
    var dialog = document.createElement("dialog");
    dialog.className = "gg-lightbox";
    var figure = document.createElement("figure");
    var image = document.createElement("img");
    var caption = document.createElement("figcaption");
    /* The image's alt says the same; a screen reader need not hear it twice. */
    caption.setAttribute("aria-hidden", "true");
    figure.append(image, caption);
    var close = button("close", "×", ja ? "閉じる" : "Close");
    var previous = button("previous", "‹", ja ? "前の画像" : "Previous picture");
    var next = button("next", "›", ja ? "次の画像" : "Next picture");
    close.autofocus = true;
    dialog.append(close, figure, previous, next);
    box = { dialog: dialog, image: image, caption: caption, previous: previous, next: next };
    box.links = [];
    box.index = 0;
    box.opener = null;

    close.addEventListener("click", function () {
      dialog.close();
    });
    previous.addEventListener("click", function () {
      show(box.index - 1);
    });
    next.addEventListener("click", function () {
      show(box.index + 1);
    });
    /* A click on the backdrop lands on the dialog itself and closes it. A
     * click on the picture (a double tap on a touch screen, whose single tap
     * may start a swipe or a pinch) zooms it to its natural size, where the
     * figure scrolls, and back. */
    var pointer = "mouse";
    image.addEventListener("pointerdown", function (event) {
      pointer = event.pointerType;
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === figure) {
        dialog.close();
      } else if (event.target === image && pointer !== "touch") {
        zoom(!dialog.classList.contains("gg-lightbox--zoomed"));
      }
    });
    image.addEventListener("dblclick", function () {
      if (pointer === "touch") zoom(!dialog.classList.contains("gg-lightbox--zoomed"));
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        show(box.index + (event.key === "ArrowRight" ? 1 : -1));
      } else if (event.key === "Tab") {
        /* A modal dialog lets Tab leave for the browser's own controls; keep
         * it going round the lightbox's buttons instead. */
        var buttons = Array.prototype.filter.call(dialog.querySelectorAll("button"), function (b) {
          return !b.disabled;
        });
        var at = buttons.indexOf(document.activeElement);
        var to = (at + (event.shiftKey ? -1 : 1) + buttons.length) % buttons.length;
        event.preventDefault();
        buttons[to].focus();
      }
    });
    var start = null;
    dialog.addEventListener("touchstart", function (event) {
      if (event.touches.length === 1) start = event.touches[0];
    }, { passive: true });
    dialog.addEventListener("touchend", function (event) {
      if (!start || event.changedTouches.length !== 1) return;
      var dx = event.changedTouches[0].clientX - start.clientX;
      var dy = event.changedTouches[0].clientY - start.clientY;
      start = null;
      if (Math.max(Math.abs(dx), Math.abs(dy)) < 50) return;
      if (dialog.classList.contains("gg-lightbox--zoomed")) return; /* that was panning */
      if (Math.abs(dy) > Math.abs(dx)) dialog.close();
      else show(box.index + (dx < 0 ? 1 : -1));
    });
    dialog.addEventListener("close", function () {
      if (box.opener && document.contains(box.opener)) box.opener.focus();
      box.opener = null;
    });
    document.body.append(dialog);
    return box;
  }

  /* Zoomed, the picture is as many CSS pixels wide as it has pixels. */
  function zoom(on) {
    box.dialog.classList.toggle("gg-lightbox--zoomed", on);
    box.image.style.width = on ? box.image.naturalWidth + "px" : "";
  }

  function show(index) {
    if (index < 0 || index >= box.links.length) return;
    zoom(false);
    box.index = index;
    var link = box.links[index];
    var thumbnail = link.querySelector("img");
    box.image.src = link.href;
    box.image.alt = thumbnail.alt;
    box.caption.textContent = thumbnail.alt;
    box.previous.disabled = index === 0;
    box.next.disabled = index === box.links.length - 1;
    box.opener = link;
  }

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element) || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest("a.gg-zoom");
    if (!link || !link.querySelector("img") || typeof HTMLDialogElement === "undefined") return;
    event.preventDefault();
    var open = lightbox();
    var tab = link.closest(".tabbed-block") || document;
    open.links = Array.prototype.slice.call(tab.querySelectorAll("a.gg-zoom"));
    show(open.links.indexOf(link));
    open.dialog.showModal();
  });

  /* The pictures follow the palette toggle without a reload (the function
   * comes from the guide page, generator/site/figure.py). */
  function followPalette() {
    if (typeof window.ggShowScheme !== "function") return;
    new MutationObserver(function () {
      window.ggShowScheme(document);
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  /* Material's search overlay is a dialog without a name; screen readers
   * announce it by the search field's own label. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder);
    }
  }

  /* A first-time reader sees the tab of the device they are reading on; once
   * they pick a tab, Material remembers it and shows it on every page. Runs
   * before the first layout, so the other tabs' lazy images never load. The
   * platforms' tab labels and user-agent patterns are data that guidegen render
   * writes into every page with platform tabs (window.ggPlatforms). */
  function showThisDevicesTab() {
    var platforms = window.ggPlatforms;
    if (!platforms || (typeof __md_get === "function" && __md_get("__tabs"))) return;
    var agents = platforms.agents;
    var device = agents[agents.length - 1][1];
    for (var i = 0; i < agents.length - 1; i++) {
      if (new RegExp(agents[i][0]).test(navigator.userAgent)) { device = agents[i][1]; break; }
    }
    document.querySelectorAll(".tabbed-set > .tabbed-labels > label").forEach(function (label) {
      var input = document.getElementById(label.htmlFor);
      if (input && label.textContent.trim() === platforms.labels[device]) input.checked = true;
    });
  }

  /* Readers type in any width: ﾒｯｾｰｼﾞ and ＡＢＣ search as メッセージ and ABC
   * (NFKC), in either engine's search box. Left alone while an input method
   * is composing; once the text is committed, the engines are told again. */
  function normaliseSearch(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "search" && !input.closest(".md-search")) return;
    if (event.isComposing) return;
    var value = input.value.normalize("NFKC");
    if (value === input.value) return;
    input.value = value;
    input.setSelectionRange(value.length, value.length);
    if (event.type === "compositionend") input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("input", normaliseSearch, true);
  document.addEventListener("compositionend", normaliseSearch, true);

  function ready() {
    pointLanguageLinksHere();
    nameSearchDialog();
    followPalette();
  }

  showThisDevicesTab();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
