/* The help site's own behaviour: a language switcher that stays on the same
 * page, and a lightbox for step images. Plain DOM, no framework, so it also
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

  var dialog = null;

  function lightbox() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "gg-lightbox";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "gg-lightbox__close";
    close.textContent = "×";
    close.setAttribute("aria-label", document.documentElement.lang === "ja" ? "閉じる" : "Close");
    var image = document.createElement("img");
    dialog.append(close, image);
    /* A click anywhere closes it: on the image, the backdrop or the button. */
    dialog.addEventListener("click", function () {
      dialog.close();
    });
    document.body.append(dialog);
    return dialog;
  }

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element) || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest("a.gg-zoom");
    if (!link) return;
    var thumbnail = link.querySelector("img");
    if (!thumbnail || typeof HTMLDialogElement === "undefined") return;
    event.preventDefault();
    var box = lightbox();
    var image = box.querySelector("img");
    image.src = link.href;
    image.alt = thumbnail.alt;
    box.showModal();
  });

  /* Material's search overlay is a dialog without a name; screen readers
   * announce it by the search field's own label. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder);
    }
  }

  /* Tab labels per platform, as generator/config.py names them. */
  var PLATFORM_TABS = {
    ja: { ios: "iPhone", android: "Android", web: "パソコン" },
    en: { ios: "iPhone", android: "Android", web: "Computer" }
  };

  /* A first-time reader sees the tab of the device they are reading on; once
   * they pick a tab, Material remembers it and shows it on every page. Runs
   * before the first layout, so the other tabs' lazy images never load. */
  function showThisDevicesTab() {
    if (typeof __md_get === "function" && __md_get("__tabs")) return;
    var labels = PLATFORM_TABS[document.documentElement.lang] || PLATFORM_TABS.en;
    var agent = navigator.userAgent;
    var platform = /Android/.test(agent) ? "android" : /iPhone|iPad|iPod/.test(agent) ? "ios" : "web";
    document.querySelectorAll(".tabbed-set > .tabbed-labels > label").forEach(function (label) {
      var input = document.getElementById(label.htmlFor);
      if (input && label.textContent.trim() === labels[platform]) input.checked = true;
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
  }

  showThisDevicesTab();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
