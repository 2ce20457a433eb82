/* global __md_get */
window.ggShowScheme = function (root) {
  var scheme = document.body.getAttribute("data-md-color-scheme");
  var saved = typeof __md_get === "function" && __md_get("__palette");
  if (!(saved && saved.color)) {
    var options = document.querySelectorAll("input[data-md-color-media]");
    for (var i = 0; i < options.length; i++) {
      if (matchMedia(options[i].getAttribute("data-md-color-media")).matches) {
        scheme = options[i].getAttribute("data-md-color-scheme");
        break;
      }
    }
  }
  var key = scheme === "slate" ? "dark" : "light";
  (root || document).querySelectorAll("[data-gg-dark-srcset]").forEach(function (shown) {
    var srcset = shown.getAttribute("data-gg-" + key + "-srcset");
    if (shown.getAttribute("srcset") === srcset) return;
    shown.setAttribute("srcset", srcset);
    if (shown.tagName !== "IMG") return;
    // Hidden (site.css) until the other scheme's picture is in: the old one
    // would stay on screen meanwhile, a bright picture on a dark page.
    shown.setAttribute("data-gg-switching", "");
    var done = function () { shown.removeAttribute("data-gg-switching"); };
    shown.addEventListener("load", done, { once: true });
    shown.addEventListener("error", done, { once: true });
    shown.setAttribute("src", shown.getAttribute("data-gg-" + key + "-src"));
    shown.closest("a").setAttribute("href", shown.getAttribute("data-gg-" + key + "-href"));
  });
  var narrow = matchMedia("NARROW").matches;
  (root || document).querySelectorAll("img[data-gg-narrow-width]").forEach(function (img) {
    var wide = img.getAttribute("width");
    img.setAttribute("data-css-width", narrow ? img.getAttribute("data-gg-narrow-width") : wide);
  });
};
