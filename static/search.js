// blatt search: reads the index the build wrote (src/render/search.rs explains the
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
  var VERSION = 1;
  var MAX_RESULTS = 50;
  var indexUrl = new URL(form.dataset.index, location.href);
  var cache = new Map();
  var current = 0;
  var timer = 0;

  // The same rules as `normalize` and `words` in src/render/search.rs.
  function normalize(text) {
    return text.normalize('NFKC').toLowerCase()
      .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');
  }
  function words(text) {
    var found = normalize(text).match(/[\p{Alphabetic}\p{N}]+/gu) || [];
    var seen = new Set();
    return found.filter(function (w) {
      if (Array.from(w).length < 2 || seen.has(w)) return false;
      seen.add(w);
      return true;
    });
  }
  function shardName(word) {
    var key = Array.from(word).slice(0, 2).join('');
    if (/^[a-z0-9]{2}$/.test(key)) return key;
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

  // Articles (id → whether the word is in their title) of every indexed
  // word that starts with `word`.
  function matches(meta, word) {
    var name = shardName(word);
    if (meta.shards.indexOf(name) < 0) return Promise.resolve(new Map());
    return load('shards/' + name + '.json').then(function (shard) {
      var lo = 0, hi = shard.w.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (shard.w[mid] < word) lo = mid + 1; else hi = mid;
      }
      var hits = new Map();
      for (var i = lo; i < shard.w.length && shard.w[i].startsWith(word); i++) {
        var v = 0;
        shard.p[i].forEach(function (delta) {
          v += delta;
          var id = v >> 1;
          hits.set(id, (hits.get(id) || 0) | (v & 1));
        });
      }
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

  function show(docs) {
    var items = docs.map(function (d) {
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
    });
    results.replaceChildren.apply(results, items);
  }

  function search(query) {
    var run = ++current;
    var ws = words(query);
    if (!ws.length) {
      results.replaceChildren();
      if (query.trim()) say('short', 0, 0); else status.textContent = '';
      return;
    }
    say('loading', 0, 0);
    load(indexUrl.href).then(function (meta) {
      if (meta.version !== VERSION) throw new Error('index version ' + meta.version);
      return Promise.all(ws.map(function (w) { return matches(meta, w); })).then(function (lists) {
        // Every word must match (AND); score = words matched in the title.
        lists.sort(function (a, b) { return a.size - b.size; });
        var found = [];
        lists[0].forEach(function (title, id) {
          var score = title;
          for (var k = 1; k < lists.length; k++) {
            var t = lists[k].get(id);
            if (t === undefined) return;
            score += t;
          }
          found.push([score, id]);
        });
        // More title matches first, then newest (ids count from the oldest).
        found.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1]; });
        var top = found.slice(0, MAX_RESULTS);
        var per = meta.docs_per_file;
        return Promise.all(top.map(function (f) {
          return load('docs/' + Math.floor(f[1] / per) + '.json').then(function (docs) {
            return docs[f[1] % per];
          });
        })).then(function (docs) {
          if (run !== current) return;
          show(docs.filter(function (d) { return Array.isArray(d) && safePath(d[0]); }));
          var n = found.length;
          if (n === 0) say('none', 0, 0);
          else if (n === 1) say('one', 1, 1);
          else if (n > top.length) say('shown', n, top.length);
          else say('many', n, n);
        });
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
  status.textContent = '';
  var q = new URLSearchParams(location.search).get('q');
  if (q) {
    input.value = q;
    search(q);
  }
})();
