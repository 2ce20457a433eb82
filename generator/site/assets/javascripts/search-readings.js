/* Japanese search in any script, and guides instead of nothing.
 *
 * guidegen indexes each Japanese word also by its reading in katakana and
 * writes those readings to search/readings.json (generator/search.py). Here,
 * the kana of a query sent to the search worker (Material's or Zensical's)
 * become katakana and are cut, longest reading first, into those words, added
 * to the query: 「へんしんをかくにん」 also searches ヘンシン カクニン. Messages
 * wait for the readings, in order, so the first query is read the same way.
 *
 * When a query finds nothing, the result list offers the guides of the
 * navigation instead (in both languages). */
(function () {
  "use strict";

  var japanese = (document.documentElement.lang || "").slice(0, 2) === "ja";

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try {
      base = JSON.parse(config.textContent).base || ".";
    } catch (error) {
      base = ".";
    }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  /* When the result list stays empty for a query, the guides of the
   * navigation, as links under the "no result" line (once per query). */
  function offerGuides() {
    var meta = document.querySelector(".md-search-result__meta");
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input, input[data-md-component=search-query]");
    if (!meta || !list || !input) return;
    var offered = document.getElementById("guidegen-search-offer");
    var empty = input.value.trim() !== "" && list.children.length === 0;
    if (!empty) {
      if (offered) offered.remove();
      return;
    }
    if (offered) return;
    var seen = {};
    var links = [];
    document.querySelectorAll(".md-nav a.md-nav__link[href]").forEach(function (link) {
      var href = link.href.split("#")[0];
      if (href.indexOf("/guides/") < 0 || seen[href]) return;
      seen[href] = true;
      links.push({ href: href, text: link.textContent.trim() });
    });
    if (!links.length) return;
    offered = document.createElement("nav");
    offered.id = "guidegen-search-offer";
    offered.className = "md-search-result__meta";
    var label = japanese ? "こちらのガイドもご覧ください" : "These guides may help";
    offered.setAttribute("aria-label", label);
    var heading = document.createElement("p");
    heading.textContent = label + ":";
    var items = document.createElement("ul");
    links.slice(0, 6).forEach(function (found) {
      var item = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = found.href;
      anchor.textContent = found.text;
      item.appendChild(anchor);
      items.appendChild(item);
    });
    offered.appendChild(heading);
    offered.appendChild(items);
    meta.insertAdjacentElement("afterend", offered);
  }

  var results = document.querySelector(".md-search-result");
  if (results && typeof MutationObserver !== "undefined") {
    new MutationObserver(offerGuides).observe(results, { childList: true, subtree: true, characterData: true });
  }

  if (!japanese || typeof Worker === "undefined") return;

  var loaded = fetch(new URL("search/readings.json", siteRoot()))
    .then(function (response) {
      return response.ok ? response.json() : [];
    })
    .catch(function () {
      return [];
    })
    .then(function (words) {
      var byFirst = {};
      words.forEach(function (word) {
        (byFirst[word[0]] = byFirst[word[0]] || []).push(word);
      });
      return byFirst;
    });

  /* The readings found in the kana of a query (hiragana as katakana). */
  function spoken(query, byFirst) {
    var kana = query.replace(/[\u3041-\u3096]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 0x60);
    });
    var found = [];
    var i = 0;
    while (i < kana.length) {
      var match = (byFirst[kana[i]] || []).find(function (word) {
        return kana.startsWith(word, i);
      });
      if (match) {
        if (found.indexOf(match) < 0) found.push(match);
        i += match.length;
      } else {
        i += 1;
      }
    }
    return found;
  }

  function withReadings(message, byFirst) {
    if (!message || message.type !== 2) return message;
    var query = typeof message.data === "string" ? message.data : message.data && message.data.input;
    if (typeof query !== "string" || !/[\u3041-\u30fa\u30fc]/.test(query)) return message;
    var words = spoken(query, byFirst).join(" ");
    if (!words) return message;
    var data = typeof message.data === "string" ? query + " " + words : Object.assign({}, message.data, { input: query + " " + words });
    return Object.assign({}, message, { data: data });
  }

  var post = Worker.prototype.postMessage;
  var queue = Promise.resolve();
  Worker.prototype.postMessage = function (message) {
    var worker = this;
    var rest = Array.prototype.slice.call(arguments, 1);
    queue = queue.then(function () {
      return loaded.then(function (byFirst) {
        post.apply(worker, [withReadings(message, byFirst)].concat(rest));
      });
    });
  };
})();
