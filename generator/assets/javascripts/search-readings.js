/* Japanese search in any script, and guides instead of nothing.
 *
 * guidegen indexes each Japanese word also by its reading in katakana and
 * writes those readings to search/readings.json (generator/site/search.py). Here,
 * the kana of a query sent to the search worker (Material's or Zensical's)
 * become katakana and are cut, longest reading first, into those words, added
 * to the query: 「へんしんをかくにん」 also searches ヘンシン カクニン. Messages
 * wait for the readings, in order, so the first query is read the same way.
 * English queries lose their function words and keep their words' stems.
 * On Zensical, which requires every word of a query in one item, the query
 * is sent as its query tree: the words found nowhere in its index
 * (search/words.json) are left out, the readings are one alternative among
 * them rather than each required, and when no item has every word, the
 * items with the most of them are asked for.
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
   * navigation, as links under the "no result" line. Material's search box is
   * in the page; Zensical's in a shadow root, found by its roles. */
  var BOXES = [
    { meta: ".md-search-result__meta", list: ".md-search-result__list", input: "input.md-search__input" },
    { meta: "[role=status]", list: "ol[role=listbox]", input: "input[role=combobox]" },
  ];

  function offerGuides(root) {
    var box = BOXES.find(function (kind) {
      return root.querySelector(kind.list);
    });
    if (!box) return;
    var meta = root.querySelector(box.meta);
    var list = root.querySelector(box.list);
    var input = root.querySelector(box.input) || document.querySelector(box.input);
    if (!meta || !input) return;
    var offered = root.querySelector("#guidegen-search-offer");
    if (!(input.value.trim() !== "" && list.children.length === 0)) {
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
    links.slice(0, 6).forEach(function (guide) {
      var item = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = guide.href;
      anchor.textContent = guide.text;
      item.appendChild(anchor);
      items.appendChild(item);
    });
    offered.appendChild(heading);
    offered.appendChild(items);
    meta.insertAdjacentElement("afterend", offered);
  }

  function watch(root) {
    new MutationObserver(function () {
      offerGuides(root);
    }).observe(root, { childList: true, subtree: true, characterData: true });
  }

  if (typeof MutationObserver !== "undefined") {
    var material = document.querySelector(".md-search-result");
    if (material) {
      watch(material);
    } else {
      /* Zensical draws its search box when first opened. */
      var watched = [];
      new MutationObserver(function () {
        document.querySelectorAll("body > *, .md-search *").forEach(function (host) {
          if (host.shadowRoot && watched.indexOf(host) < 0 && host.shadowRoot.querySelector("dialog")) {
            watched.push(host);
            watch(host.shadowRoot);
          }
        });
      }).observe(document.body, { childList: true, subtree: true });
    }
  }

  if (typeof Worker === "undefined") return;

  function load(name) {
    return fetch(new URL("search/" + name, siteRoot()))
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .catch(function () {
        return null;
      });
  }

  /* Readings by their first kana (each list longest first, as written), and
   * on Zensical its index's words: loaded once, at the first query. */
  var loaded = null;
  function found(zensical) {
    loaded =
      loaded ||
      Promise.all([japanese ? load("readings.json") : null, zensical ? load("words.json") : null]).then(
        function (both) {
          var byFirst = {};
          (both[0] || []).forEach(function (word) {
            (byFirst[word[0]] = byFirst[word[0]] || []).push(word);
          });
          return { byFirst: byFirst, known: both[1] };
        }
      );
    return loaded;
  }

  /* The readings found in the kana runs of a query (hiragana as katakana).
   * A run right after a kanji begins with okurigana (確認した): there, only
   * readings of three kana or more count, so that した is not read as 下. */
  function spoken(query, byFirst) {
    var found = [];
    var run = /[\u3041-\u3096\u30a1-\u30fa\u30fc]+/g;
    var match;
    while ((match = run.exec(query))) {
      var kana = match[0].replace(/[\u3041-\u3096]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) + 0x60);
      });
      var shortest = /[\u3400-\u9fff\u3005]/.test(query.charAt(match.index - 1)) ? 3 : 2;
      var i = 0;
      while (i < kana.length) {
        var word = (byFirst[kana[i]] || []).find(function (reading) {
          return reading.length >= shortest && kana.startsWith(reading, i);
        });
        if (word && found.indexOf(word) < 0) found.push(word);
        i += word ? word.length : 1;
      }
    }
    return found;
  }

  /* An English word cut to a stem that begins its other forms: both engines
   * match a query word as the beginning of an indexed word, without a
   * stemmer (replied and replies as repl, contacting as contact). */
  function stem(word) {
    var cut = word.replace(/['’]s$/, "");
    if (/(ies|ied)$/.test(cut) && cut.length > 5) return cut.slice(0, -3);
    var bare = cut.replace(/(ing|ed|es|s)$/, "");
    if (bare !== cut && bare.length >= 4) {
      return /([b-df-hj-np-tv-z])\1$/.test(bare) ? bare.slice(0, -1) : bare;
    }
    return cut;
  }

  /* Words that say nothing about a page. Material matches each word of a
   * query as the beginning of a word, without its stop-word filter: "i"
   * would find "ignored", "do" "don't" (a rare word, so weighed high). */
  var STOP = (
    "a an and are as at be been but by can could did do does doing for from had has have " +
    "how i if in into is it its me my of on or our so than that the their them then there " +
    "these they this to was we were what when where which who whom why will with would you your"
  ).split(" ");

  /* An English query for Material: function words left out (all kept when
   * nothing else is left), the others cut to their stem. */
  function englishQuery(query) {
    var words = query.toLowerCase().match(/[a-z0-9][a-z0-9'’]*/g) || [];
    var kept = words.filter(function (word) {
      return STOP.indexOf(word) < 0;
    });
    return (kept.length ? kept : words).map(stem).join(" ") || query;
  }

  function term(word) {
    return { type: "value", data: { field: "*", value: { type: "prefix", data: word } } };
  }

  /* The positions, in the index's word list, of the words a query word begins. */
  function begun(word, known) {
    var found = [];
    known.words.forEach(function (indexed, position) {
      if (indexed.startsWith(word)) found.push(position);
    });
    return found;
  }

  /* Zensical's query tree: one node, or an operator over several. */
  function every(operator, operands) {
    if (operands.length === 1) return operands[0];
    return { type: "operator", data: { operator: operator, operands: operands } };
  }

  function nodes(groups) {
    return groups.map(function (group) {
      return group.node;
    });
  }

  /* Zensical requires every word of a query in one item: its words that begin
   * no word of the index are left out, and the readings of its kana are one
   * alternative among them, not each required. When no item has every word
   * (search/words.json lists each item's words), the query asks for the
   * items with the most of them instead of finding nothing. */
  function zensicalQuery(query, readings, known) {
    var separator = new RegExp(known.separator, "u");
    var groups = [];
    var words = query.split(separator).filter(Boolean);
    var meaningful = words.filter(function (word) {
      return japanese || STOP.indexOf(word.toLowerCase()) < 0;
    });
    (meaningful.length ? meaningful : words).forEach(function (word) {
      var folded = word.normalize("NFKC").toLowerCase();
      folded = japanese ? folded : stem(folded);
      var positions = begun(folded, known);
      if (positions.length) groups.push({ node: term(folded), positions: positions });
    });
    if (readings.length) {
      groups.push({
        node: every("or", readings.map(term)),
        positions: [].concat.apply(
          [],
          readings.map(function (reading) {
            return begun(reading.toLowerCase(), known);
          })
        ),
      });
    }
    if (!groups.length) return query;
    var best = [];
    (known.items || []).forEach(function (words) {
      var has = {};
      words.forEach(function (position) {
        has[position] = true;
      });
      var covered = groups.filter(function (group) {
        return group.positions.some(function (position) {
          return has[position];
        });
      });
      if (covered.length > (best[0] || []).length) best = [covered];
      else if (covered.length && covered.length === best[0].length) best.push(covered);
    });
    if (!best.length || best[0].length === groups.length) return every("and", nodes(groups));
    var seen = {};
    var alternatives = [];
    best.forEach(function (covered) {
      var key = covered
        .map(function (group) {
          return groups.indexOf(group);
        })
        .join(",");
      if (seen[key]) return;
      seen[key] = true;
      alternatives.push(every("and", nodes(covered)));
    });
    return every("or", alternatives);
  }

  function isZensical(message) {
    return typeof message.data === "object" && message.data !== null;
  }

  function rewritten(message, found) {
    var zensical = isZensical(message);
    var query = zensical ? message.data.input : message.data;
    if (typeof query !== "string") return message;
    var readings = /[\u3041-\u30fa\u30fc]/.test(query) ? spoken(query, found.byFirst) : [];
    if (zensical && found.known) {
      query = zensicalQuery(query, readings, found.known);
    } else if (readings.length) {
      query = query + " " + readings.join(" ");
    } else if (!japanese) {
      query = englishQuery(query);
    }
    var data = zensical ? Object.assign({}, message.data, { input: query }) : query;
    return Object.assign({}, message, { data: data });
  }

  /* Queries (type 2, in both engines' workers) wait for what they need; every
   * message keeps its place in the order. */
  var post = Worker.prototype.postMessage;
  var queue = Promise.resolve();
  Worker.prototype.postMessage = function (message) {
    var worker = this;
    var rest = Array.prototype.slice.call(arguments, 1);
    queue = queue.then(function () {
      if (!message || message.type !== 2) {
        post.apply(worker, [message].concat(rest));
        return null;
      }
      return found(isZensical(message)).then(function (what) {
        post.apply(worker, [rewritten(message, what)].concat(rest));
      });
    });
  };
})();
