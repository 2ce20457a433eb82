/* Japanese search in any script, and guides instead of nothing.
 *
 * guidegen indexes each Japanese word also by its reading in katakana and
 * writes those readings to search/readings.json (generator/search.py). Here,
 * the kana of a query sent to the search worker (Material's or Zensical's)
 * become katakana and are cut, longest reading first, into those words, added
 * to the query: 「へんしんをかくにん」 also searches ヘンシン カクニン. Messages
 * wait for the readings, in order, so the first query is read the same way.
 *
 * When a query finds nothing, the result list offers the site's guides. */
(function () {
  "use strict";

  if ((document.documentElement.lang || "").slice(0, 2) !== "ja") return;
  if (typeof Worker === "undefined") return;

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
