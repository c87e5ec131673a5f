// blatt search: reads the index the build wrote (src/render/search/mod.rs explains the
// format) and shows the matching articles. Plain script, no dependencies.
// Index data is untrusted text: it is only ever set as textContent or as an
// href that is a same-origin path.
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-input');
  var status = document.getElementById('search-status');
  var results = document.getElementById('search-results');
  if (!form || !input || !status || !results || !window.fetch) return;
  var more = document.getElementById('search-more');
  var VERSION = 4;
  // Results shown at once; the "more" button shows the next ones. Only the
  // docs files of shown results are fetched.
  var PAGE = 10;
  // Index chunks one query word reads at most: a prefix of two or three
  // letters would otherwise fetch a good part of the index.
  var MAX_CHUNKS = 16;
  var indexUrl = new URL(form.dataset.index, location.href);
  var cache = new Map();
  var current = 0;
  var timer = 0;
  var found = [];
  var shown = 0;

  // The same rules as `normalize` and `words` in src/render/search/.
  function normalize(text) {
    return text.normalize('NFKC').toLowerCase()
      .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');
  }
  function words(text) {
    var found = normalize(text).match(/[\p{Alphabetic}\p{N}]+/gu) || [];
    var seen = new Set();
    return found.filter(function (w) {
      var n = Array.from(w).length;
      if (n < 2 || n > 40 || new TextEncoder().encode(w).length > 120 || seen.has(w)) return false;
      seen.add(w);
      return true;
    });
  }
  // The file name of the chunk whose first word is `key` (`shard_name`).
  function shardName(key) {
    if (!key) return '_';
    if (/^[a-z0-9]+$/.test(key)) return key;
    var name = 'x';
    new TextEncoder().encode(key).forEach(function (b) {
      name += (b < 16 ? '0' : '') + b.toString(16);
    });
    return name;
  }

  function load(path) {
    var url = new URL(path, indexUrl).href;
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.json();
      }).catch(function (e) { cache.delete(url); throw e; }));
    }
    return cache.get(url);
  }

  // Articles (id → score) of every indexed word that starts with `word`.
  // A word's score in an article: how rare the word is (idf) times its
  // weight there (1–3 by occurrences, 4 in the title); a longer word the
  // query word is only a prefix of counts half. A word's postings are in
  // its chunk (older articles) and in the recent file of its first
  // character (the newest): the two lists together are its list.
  function matches(meta, word) {
    var keys = meta.keys;
    var lo = 0, hi = keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] <= word) lo = mid + 1; else hi = mid;
    }
    var paths = [];
    for (var c = Math.max(lo - 1, 0); c < keys.length && paths.length < MAX_CHUNKS; c++) {
      if (c > lo - 1 && !keys[c].startsWith(word)) break;
      paths.push('shards/' + shardName(keys[c]) + '.json');
    }
    var recent = shardName(Array.from(word)[0]);
    if (meta.recent.indexOf(recent) >= 0) paths.push('recent/' + recent + '.json');
    return Promise.all(paths.map(load)).then(function (files) {
      var lists = new Map();
      files.forEach(function (file) {
        var lo = 0, hi = file.w.length;
        while (lo < hi) {
          var mid = (lo + hi) >> 1;
          if (file.w[mid] < word) lo = mid + 1; else hi = mid;
        }
        for (var i = lo; i < file.w.length && file.w[i].startsWith(word); i++) {
          if (!lists.has(file.w[i])) lists.set(file.w[i], []);
          lists.get(file.w[i]).push(file.p[i]);
        }
      });
      var hits = new Map();
      lists.forEach(function (parts, w) {
        var n = parts.reduce(function (a, list) { return a + list.length; }, 0);
        var idf = Math.log(1 + meta.articles / n) * (w === word ? 1 : 0.5);
        parts.forEach(function (list) {
          var v = 0;
          list.forEach(function (delta) {
            v += delta;
            var id = Math.floor(v / 4);
            var score = idf * (1 + v % 4);
            if (score > (hits.get(id) || 0)) hits.set(id, score);
          });
        });
      });
      return hits;
    });
  }

  function say(key, n, shown) {
    status.textContent = (form.dataset[key] || '')
      .replace('{n}', String(n)).replace('{shown}', String(shown));
  }

  function safePath(url) {
    return typeof url === 'string' && url.charAt(0) === '/' && url.charAt(1) !== '/' && url.indexOf('\\') < 0;
  }

  function item(d) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = d[0];
    a.textContent = d[1];
    var h = document.createElement('h2');
    h.appendChild(a);
    li.appendChild(h);
    if (d[2]) {
      var time = document.createElement('time');
      time.dateTime = d[2];
      time.textContent = d[3];
      li.appendChild(time);
    }
    if (d[4]) {
      var p = document.createElement('p');
      p.textContent = d[4];
      li.appendChild(p);
    }
    return li;
  }

  // Shows the next PAGE results of `found` (loading their docs files).
  function showMore(meta, run) {
    var next = found.slice(shown, shown + PAGE);
    // A docs file holds the ids from k * span on, each entry after its
    // id's offset in the file.
    var span = meta.docs_span;
    return Promise.all(next.map(function (f) {
      return load('docs/' + Math.floor(f[1] / span) + '.json').then(function (docs) {
        var offset = f[1] % span;
        var entry = docs.find(function (d) { return Array.isArray(d) && d[0] === offset; });
        return entry && entry.slice(1);
      });
    })).then(function (docs) {
      if (run !== current) return;
      var items = docs.filter(function (d) { return Array.isArray(d) && safePath(d[0]); }).map(item);
      if (shown === 0) results.replaceChildren.apply(results, items);
      else items.forEach(function (li) { results.appendChild(li); });
      shown += next.length;
      var n = found.length;
      if (n === 0) say('none', 0, 0);
      else if (n === 1) say('one', 1, 1);
      else if (n > shown) say('shown', n, shown);
      else say('many', n, n);
      if (more) more.hidden = shown >= n;
    });
  }

  function search(query) {
    var run = ++current;
    var ws = words(query);
    found = [];
    shown = 0;
    if (more) more.hidden = true;
    if (!ws.length) {
      results.replaceChildren();
      if (query.trim()) say('short', 0, 0); else status.textContent = '';
      return;
    }
    say('loading', 0, 0);
    load(indexUrl.href).then(function (meta) {
      if (meta.version !== VERSION) throw new Error('index version ' + meta.version);
      return Promise.all(ws.map(function (w) { return matches(meta, w); })).then(function (lists) {
        if (run !== current) return;
        // Every word must match (AND); the scores add up.
        lists.sort(function (a, b) { return a.size - b.size; });
        lists[0].forEach(function (score, id) {
          for (var k = 1; k < lists.length; k++) {
            var s = lists[k].get(id);
            if (s === undefined) return;
            score += s;
          }
          found.push([score, id]);
        });
        // Best first, then newest (ids count from the oldest).
        found.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1]; });
        return showMore(meta, run);
      });
    }).catch(function () {
      if (run === current) say('error', 0, 0);
    });
  }

  function remember(query) {
    var url = new URL(location.href);
    if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
    history.replaceState(null, '', url.href);
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      remember(input.value);
      search(input.value);
    }, 200);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    search(input.value);
  });
  if (more) {
    more.addEventListener('click', function () {
      var run = current;
      load(indexUrl.href).then(function (meta) { return showMore(meta, run); }).catch(function () {
        if (run === current) say('error', 0, 0);
      });
    });
  }
  status.textContent = '';
  var q = new URLSearchParams(location.search).get('q');
  if (q) {
    input.value = q;
    search(q);
  }
})();
