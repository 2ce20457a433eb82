/* Japanese search in any script, and guides instead of nothing.
 *
 * guidegen indexes each Japanese word also by its reading in katakana and
 * writes those readings to search/readings.json (generator/site/search.py). Here,
 * the kana of a query sent to the search worker (Material's or Zensical's)
 * become katakana and are cut, longest reading first, into those words, added
 * to the query: 「へんしんをかくにん」 also searches ヘンシン カクニン. A phrase of
 * the synonyms table that the query says (search/phrases.json), in its words
 * or, typed in kana, in its reading, adds the one key the index has for it
 * (「連絡がつかない」: 〆連絡ガツカナイ_); a run of kanji that no page has whole
 * adds the parts of it that pages have (search/runs.json). Messages
 * wait for the readings, in order, so the first query is read the same way.
 * English queries lose their function words and keep their words' stems,
 * an irregular verb form as its base, as the index has it (search/forms.json:
 * bought as buy); a phrase of the synonyms table in them (search/phrases.json)
 * also becomes the one word the index has for it.
 * On Zensical, which requires every word of a query in one item and ranks
 * by field and word position only, the query is sent as a query tree whose
 * words are alternatives (the words found nowhere in its index,
 * search/words.json, left out; the readings one alternative), and its
 * results are ranked again as lunr ranks Material's: rare words, titles and
 * guides first.
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

  /* The words guidegen added to the last Material query (readings, phrase
   * keys), and the runs of it that it cut into parts. Material lists the
   * words of a query that a result lacks
   * (「検索に含まれない: ガツ」) and passes them on in its links (?h=, the words
   * to mark on the page): a reader should meet only the words they typed. */
  var added = [];

  function hideAddedTerms(root) {
    if (!added.length) return;
    root.querySelectorAll(".md-search-result__terms del").forEach(function (word) {
      if (added.indexOf(word.textContent) < 0) return;
      var terms = word.parentNode;
      var comma = word.previousSibling || word.nextSibling;
      if (comma && comma.nodeType === 3 && /^,\s*$/.test(comma.textContent)) comma.remove();
      word.remove();
      if (!terms.querySelector("del")) terms.remove();
    });
    root.querySelectorAll("a.md-search-result__link[href*='h=']").forEach(function (link) {
      var url = new URL(link.href);
      var words = (url.searchParams.get("h") || "").split(" ");
      var kept = words.filter(function (word) {
        return added.indexOf(word) < 0;
      });
      if (kept.length === words.length) return;
      if (kept.length) url.searchParams.set("h", kept.join(" "));
      else url.searchParams.delete("h");
      link.href = url.href;
    });
  }

  function watch(root) {
    new MutationObserver(function () {
      hideAddedTerms(root);
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

  /* Readings by their first kana (each list longest first, as written), in
   * English the synonyms table's phrases, and on Zensical its index's words:
   * loaded once, at the first query. */
  var loaded = null;
  function found(zensical) {
    loaded =
      loaded ||
      Promise.all([
        japanese ? load("readings.json") : null,
        zensical ? load("words.json") : null,
        japanese ? null : load("forms.json"),
        load("phrases.json"),
        japanese ? load("runs.json") : null,
      ]).then(function (all) {
        var byFirst = {};
        (all[0] || []).forEach(function (word) {
          (byFirst[word[0]] = byFirst[word[0]] || []).push(word);
        });
        forms = all[2] || {};
        return {
          byFirst: byFirst,
          phrases: japanese ? [] : all[3] || [],
          japanesePhrases: japanese ? all[3] || [] : [],
          known: all[1],
          // Every run on its own line: a part of a run is a substring of this text.
          runs: all[4] && {
            separator: new RegExp(all[4].separator, "u"),
            text: "\n" + all[4].runs.join("\n") + "\n",
          },
        };
      });
    return loaded;
  }

  /* The table's phrases a query says, each as the one word the index also has
   * for it (generator/search.py phrase_word): "i don't want it" says
   * dontwant, which "want" alone does not mean. */
  function phraseWords(words, phrases) {
    var said = " " + words.join(" ") + " ";
    return phrases
      .filter(function (phrase) {
        return said.indexOf(" " + phrase + " ") >= 0;
      })
      .map(function (phrase) {
        return (phrase.match(/[a-z0-9]+/g) || []).join("");
      });
  }

  /* The keys of the table's Japanese phrases a query says (generator/search.py
   * phrase_key: 〆, the phrase with its kana in katakana, and the index's mark),
   * found in its words or, typed in kana alone, in its reading: 「連絡がつかない」
   * 「れんらくがつかない」 and 「連絡つかない」 all say 〆連絡ガツカナイ_. */
  function katakana(text) {
    return text.replace(/[\u3041-\u3096]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 0x60);
    });
  }

  function japanesePhraseKeys(query, phrases) {
    var said = katakana(query.normalize("NFKC").toLowerCase().replace(/[\s\u3000]+/g, ""));
    return phrases
      .filter(function (phrase) {
        // After its key, the ways a query says the phrase: as written or read,
        // with or without its particles (generator/site/words.py phrase_forms).
        return phrase.slice(1).some(function (form) {
          return said.indexOf(form) >= 0;
        });
      })
      .map(function (phrase) {
        return phrase[0];
      });
  }

  /* The readings found in the kana runs of a query (hiragana as katakana).
   * A run right after a kanji begins with okurigana (確認した): there, only
   * readings of three kana or more count, so that した is not read as 下. */
  function spoken(query, byFirst) {
    var found = [];
    var run = /[\u3041-\u3096\u30a1-\u30fa\u30fc]+/g;
    var match;
    while ((match = run.exec(query))) {
      var kana = katakana(match[0]);
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

  /* A query's run of kanji or katakana that no page has whole finds nothing
   * (「保証申請」, where the pages say 保証を申請): it is cut, from its start,
   * into the longest parts of two characters or more that a page's run has
   * (保証, 申請), which the query asks for as well (search/runs.json, as
   * `found` prepares it). The runs cut are returned too: the search box would
   * list them as missing from every result, whose parts it found. */
  function pieces(query, runs) {
    var cut = { parts: [], runs: [] };
    if (!runs) return cut;
    query
      .normalize("NFKC")
      .toLowerCase()
      .split(runs.separator)
      .forEach(function (run) {
        if (!/[^ -~]/.test(run) || runs.text.indexOf(run) >= 0) return;
        cut.runs.push(run);
        var start = 0;
        while (start < run.length - 1) {
          var end = run.length;
          while (end > start + 1 && runs.text.indexOf(run.slice(start, end)) < 0) end--;
          var part = run.slice(start, end);
          if (end > start + 1 && cut.parts.indexOf(part) < 0) cut.parts.push(part);
          start = end > start + 1 ? end : start + 1;
        }
      });
    return cut;
  }

  /* Irregular verb forms and their base, as the index has them (search/forms.json). */
  var forms = {};

  /* An English word cut to a stem that begins its other forms: both engines
   * match a query word as the beginning of an indexed word, without a
   * stemmer (replied and replies as repl, contacting as contact); an
   * irregular form becomes its base (bought as buy). */
  function stem(word) {
    var cut = word.replace(/['’]s$/, "");
    if (Object.prototype.hasOwnProperty.call(forms, cut)) return forms[cut];
    if (/(ies|ied)$/.test(cut) && cut.length > 5) return cut.slice(0, -3);
    var bare = cut.replace(/(ing|ed|es|s)$/, "");
    if (bare !== cut && bare.length >= 4) {
      return /([b-df-hj-np-tv-z])\1$/.test(bare) ? bare.slice(0, -1) : bare;
    }
    return cut;
  }

  /* Words that say nothing about a page. Material matches each word of a
   * query as the beginning of a word, without its stop-word filter: "i"
   * would find "ignored", "do" "don't" (a rare word, so weighed high), and
   * "not" or "no" the one word of a phrase that begins with it (notanswering,
   * noreply: "not sure I sent it" found the claim guide); a phrase the query
   * says still adds its word (phraseWords). "who" is kept: it asks who sold,
   * shipped or is to be contacted. */
  var STOP = (
    "a an and are as at be been but by can could did do does doing for from had has have " +
    "how i if in into is it its me my no not of on or our so than that the their them then there " +
    "these they this to was we were what when where which whom why will with would you your"
  ).split(" ");

  /* An English query for Material: function words left out (all kept when
   * nothing else is left), the others cut to their stem. */
  function englishWords(query) {
    return query.toLowerCase().replace(/’/g, "'").match(/[a-z0-9][a-z0-9']*/g) || [];
  }

  function englishQuery(query, phrases) {
    var words = englishWords(query);
    var kept = words.filter(function (word) {
      return STOP.indexOf(word) < 0;
    });
    return (kept.length ? kept : words).concat(phraseWords(words, phrases)).map(stem).join(" ") || query;
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

  /* The words of a query that begin words of Zensical's index, each with the
   * positions of those words, and the readings of its kana as one group. */
  function zensicalGroups(query, readings, known, phrases, japaneseKeys) {
    var separator = new RegExp(known.separator, "u");
    var groups = [];
    var words = query.split(separator).filter(Boolean);
    var meaningful = words.filter(function (word) {
      return japanese || STOP.indexOf(word.toLowerCase()) < 0;
    });
    meaningful = meaningful.concat(phraseWords(englishWords(query), phrases));
    (meaningful.length ? meaningful : words).forEach(function (word) {
      var folded = word.normalize("NFKC").toLowerCase();
      folded = japanese ? folded : stem(folded);
      var positions = begun(folded, known);
      if (positions.length) groups.push({ node: term(folded), positions: positions });
    });
    japaneseKeys.forEach(function (key) {
      var positions = begun(key.toLowerCase(), known);
      if (positions.length) groups.push({ node: term(key), positions: positions });
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
    return groups;
  }

  /* Zensical requires every word of a query in one item: a query is sent as
   * its groups of words, each one alternative (as lunr takes Material's), and
   * the results ranked again below. */
  function zensicalQuery(query, groups) {
    if (!groups.length) return query;
    return every("or", nodes(groups));
  }

  function isZensical(message) {
    return typeof message.data === "object" && message.data !== null;
  }

  /* The query as the worker gets it, and on Zensical the groups of its words. */
  function rewritten(message, found) {
    var zensical = isZensical(message);
    var query = zensical ? message.data.input : message.data;
    if (typeof query !== "string") return { message: message, groups: [], added: [] };
    var readings = /[\u3041-\u30fa\u30fc]/.test(query) ? spoken(query, found.byFirst) : [];
    // The keys of the phrases the query says, and the parts of its runs.
    var cut = pieces(query, found.runs);
    var keys = japanesePhraseKeys(query, found.japanesePhrases).concat(cut.parts);
    var groups = [];
    var extra = [];
    if (zensical && found.known) {
      groups = zensicalGroups(query, readings, found.known, found.phrases, keys);
      query = zensicalQuery(query, groups);
    } else if (readings.length || keys.length) {
      extra = readings
        .concat(keys)
        .filter(function (term) {
          return query.indexOf(term) < 0;
        })
        .concat(cut.runs);
      query = [query].concat(readings, keys).join(" ");
    } else if (!japanese) {
      query = englishQuery(query, found.phrases);
    }
    var data = zensical ? Object.assign({}, message.data, { input: query }) : query;
    return { message: Object.assign({}, message, { data: data }), groups: groups, added: extra };
  }

  /* Zensical ranks its results by field (title, path, text) and word position
   * only: the home page, whose title names a query word, came before the
   * guide about the whole query. Its results are ranked again here, as lunr's
   * weights rank Material's (generator/search.py): each word of the query
   * weighs by its rarity in the index, a thousand times more in a title;
   * pages other than guides weigh their boost (search/words.json) as much; a
   * page ranks by its best section, and ties keep Zensical's order. */
  var TITLE_WEIGHT = 1000;

  function asSets(lists) {
    return lists.map(function (positions) {
      var set = {};
      positions.forEach(function (position) {
        set[position] = true;
      });
      return set;
    });
  }

  function holds(set, group) {
    return group.positions.some(function (position) {
      return set[position] === true;
    });
  }

  function ranked(items, groups, known) {
    if (!known.titles || !known.pages || !known.boosts || !groups.length) return items;
    known.sets = known.sets || asSets(known.items);
    known.titleSets = known.titleSets || asSets(known.titles);
    var total = known.sets.length;
    var weights = groups.map(function (group) {
      var holders = known.sets.filter(function (set) {
        return holds(set, group);
      }).length;
      return Math.log(1 + (total - holders + 0.5) / (holders + 0.5));
    });
    var best = {};
    var first = {};
    items.forEach(function (item, place) {
      var score = 0;
      groups.forEach(function (group, number) {
        if (holds(known.titleSets[item.id], group)) score += TITLE_WEIGHT * weights[number];
        else if (holds(known.sets[item.id], group)) score += weights[number];
      });
      score *= known.boosts[item.id];
      var page = known.pages[item.id];
      if (!(page in first)) first[page] = place;
      if (!(page in best) || score > best[page]) best[page] = score;
    });
    var places = items.map(function (item, place) {
      return { item: item, place: place, page: known.pages[item.id] };
    });
    places.sort(function (a, b) {
      return best[b.page] - best[a.page] || first[a.page] - first[b.page] || a.place - b.place;
    });
    return places.map(function (entry) {
      return entry.item;
    });
  }

  /* One page of ranked results, in the form of Zensical's replies. */
  function resultPage(result, wanted) {
    var size = (wanted && wanted.size) || 10;
    var from = (wanted && wanted.from) || 0;
    var total = result.items.length;
    function at(start) {
      return { id: result.id, size: size, from: start };
    }
    return Object.assign({}, result.data, {
      items: result.items.slice(from, from + size),
      pagination: {
        total: total,
        prev: from - size >= 0 ? at(from - size) : undefined,
        next: from + size < total ? at(from + size) : undefined,
      },
    });
  }

  /* To rank them, every result of a Zensical query is needed: the worker is
   * asked for the first page, then for all of them; the page gets neither
   * reply but the ranked results, and its next pages from them. */
  var post = Worker.prototype.postMessage;
  var asking = new WeakMap();
  var results = new WeakMap();
  var screenedEvents = new WeakMap();
  var made = 0;

  function deliver(worker, data) {
    var event = new MessageEvent("message", { data: { type: 3, data: data } });
    screenedEvents.set(event, false);
    worker.dispatchEvent(event);
  }

  /* Whether a reply of the worker answers a query asked for ranking (kept
   * from the page's listeners). */
  function consumed(worker, event) {
    var asked = asking.get(worker);
    var reply = event.data;
    if (!asked || !reply || (reply.type !== 3 && reply.type !== 4)) return false;
    if (reply.type === 4) {
      asking.delete(worker);
      asked.done();
      return false;
    }
    var pagination = reply.data.pagination || {};
    if (!asked.all && pagination.next) {
      asked.all = true;
      var all = { id: pagination.next.id, size: pagination.total, from: 0 };
      var data = Object.assign({}, asked.message.data, { page: all });
      post.call(worker, Object.assign({}, asked.message, { data: data }));
      return true;
    }
    asking.delete(worker);
    made += 1;
    var result = {
      id: "guidegen-" + made,
      data: reply.data,
      items: ranked(reply.data.items, asked.groups, asked.known),
    };
    results.set(worker, result);
    Promise.resolve().then(function () {
      deliver(worker, resultPage(result));
      asked.done();
    });
    return true;
  }

  function screened(worker, event) {
    if (!screenedEvents.has(event)) screenedEvents.set(event, consumed(worker, event));
    return screenedEvents.get(event);
  }

  function screening(listener) {
    return function (event) {
      if (screened(this, event)) return undefined;
      return typeof listener === "function" ? listener.call(this, event) : listener.handleEvent(event);
    };
  }

  /* The page's message listeners, and its onmessage, see a reply only once it
   * is screened; a listener of guidegen's own screens replies when the page
   * has none. */
  var wrappers = new WeakMap();
  var add = Worker.prototype.addEventListener;
  var remove = Worker.prototype.removeEventListener;
  Worker.prototype.addEventListener = function (type, listener) {
    var rest = Array.prototype.slice.call(arguments, 2);
    if (type === "message" && listener) {
      if (!wrappers.has(listener)) wrappers.set(listener, screening(listener));
      listener = wrappers.get(listener);
    }
    return add.apply(this, [type, listener].concat(rest));
  };
  Worker.prototype.removeEventListener = function (type, listener) {
    var rest = Array.prototype.slice.call(arguments, 2);
    if (type === "message" && wrappers.has(listener)) listener = wrappers.get(listener);
    return remove.apply(this, [type, listener].concat(rest));
  };
  var handler = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
  var given = new WeakMap();
  if (handler && handler.set) {
    Object.defineProperty(Worker.prototype, "onmessage", {
      configurable: true,
      enumerable: handler.enumerable,
      get: function () {
        return given.has(this) ? given.get(this) : handler.get.call(this);
      },
      set: function (value) {
        given.delete(this);
        if (typeof value !== "function") {
          handler.set.call(this, value);
          return;
        }
        given.set(this, value);
        handler.set.call(this, screening(value));
      },
    });
  }
  var listened = new WeakMap();
  function listen(worker) {
    if (listened.has(worker)) return;
    listened.set(worker, true);
    add.call(worker, "message", function (event) {
      screened(worker, event);
    });
  }

  function ask(worker, message, rest, found) {
    var asked = rewritten(message, found);
    if (!isZensical(message) || !found.known) {
      added = asked.added;
      post.apply(worker, [asked.message].concat(rest));
      return null;
    }
    var previous = results.get(worker);
    var wanted = message.data.page;
    if (previous && wanted && wanted.id === previous.id) {
      Promise.resolve().then(function () {
        deliver(worker, resultPage(previous, wanted));
      });
      return null;
    }
    return new Promise(function (done) {
      listen(worker);
      asking.set(worker, {
        message: asked.message,
        groups: asked.groups,
        known: found.known,
        all: false,
        done: done,
      });
      post.apply(worker, [asked.message].concat(rest));
    });
  }

  /* Queries (type 2, in both engines' workers) wait for what they need, and
   * on Zensical for the previous query's results; every message keeps its
   * place in the order of its worker's. */
  var queues = new WeakMap();
  Worker.prototype.postMessage = function (message) {
    var worker = this;
    var rest = Array.prototype.slice.call(arguments, 1);
    var queue = (queues.get(worker) || Promise.resolve()).then(function () {
      if (!message || message.type !== 2) {
        post.apply(worker, [message].concat(rest));
        return null;
      }
      return found(isZensical(message)).then(function (what) {
        return ask(worker, message, rest, what);
      });
    });
    queues.set(worker, queue);
  };
})();
