// Runs one query, as a reader's browser would, against blatt's search
// (static/search.js as the build copied it, in a minimal stand-in DOM) or
// Pagefind's (its pagefind.js, loading the index chunks and the fragments of
// the first 5 results, as its default UI does), and prints what was fetched
// and the first results as JSON:
//
//   node search_query.mjs blatt|pagefind BASE_URL SITE_DIR QUERY
//
// BASE_URL serves SITE_DIR (the built site). Bytes are the response bodies as
// served (Pagefind's index files are gzip-compressed on disk; a server that
// compresses JSON would send blatt's in fewer bytes), plus the script itself.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const [tool, base, site, query] = process.argv.slice(2);
const fetched = [];
const realFetch = globalThis.fetch;
async function countingFetch(url, init) {
  const r = await realFetch(url, init);
  const body = await r.clone().arrayBuffer();
  fetched.push([String(url).replace(base, ''), body.byteLength]);
  return r;
}

async function blatt() {
  const page = fs.readFileSync(path.join(site, 'search/index.html'), 'utf8');
  const attr = (name) => (page.match(new RegExp(`${name}="([^"]*)"`)) || [])[1];
  const indexUrl = attr('data-index');
  const scriptRel = (page.match(/<script[^>]*src="([^"]*search[^"]*\.js)"/) || [])[1];
  const script = fs.readFileSync(path.join(site, scriptRel.replace(/^\//, '')), 'utf8');
  fetched.push([scriptRel, Buffer.byteLength(script)]);
  let done;
  const finished = new Promise((resolve) => { done = resolve; });
  const el = (tag) => ({
    tag, children: [], dataset: {}, attrs: {},
    appendChild(c) { this.children.push(c); },
    replaceChildren(...c) { this.children = c; },
    addEventListener() {}, setAttribute(k, v) { this.attrs[k] = v; },
    removeAttribute(k) { delete this.attrs[k]; }, hidden: false,
  });
  const form = el('form');
  form.dataset = { index: indexUrl, loading: 'L', none: '0', one: '1', many: '{n}', shown: '{n}', short: '0', error: 'error' };
  const status = el('p');
  let text = '';
  Object.defineProperty(status, 'textContent', {
    get() { return text; },
    set(v) { text = v; if (v && v !== 'L') setTimeout(() => done(v), 0); },
  });
  const elements = { 'search-form': form, 'search-input': el('input'), 'search-status': status, 'search-results': el('ol'), 'search-more': el('button') };
  const location = new URL(`${base}/search/?q=${encodeURIComponent(query)}`);
  const context = {
    document: { getElementById: (id) => elements[id] || null, createElement: el },
    location, history: { replaceState() {} }, window: {}, fetch: countingFetch,
    URL, URLSearchParams, TextEncoder, setTimeout, clearTimeout, Promise, Map, Set, Math, Array, JSON, Error, String, Number,
  };
  context.window = context;
  context.window.fetch = countingFetch;
  vm.runInNewContext(script, context);
  const outcome = await Promise.race([finished, new Promise((r) => setTimeout(() => r('timeout'), 60000))]);
  const results = elements['search-results'].children.map((li) => {
    const find = (n) => (n.tag === 'a' ? n : n.children.map(find).find(Boolean));
    return find(li)?.href;
  });
  return { outcome, results };
}

async function pagefind() {
  globalThis.fetch = countingFetch;
  const file = path.join(site, 'pagefind/pagefind.js');
  fetched.push(['/pagefind/pagefind.js', fs.statSync(file).size]);
  const pf = await import(file);
  await pf.options({ basePath: `${base}/pagefind/` });
  const search = await pf.search(query);
  const first = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
  return { outcome: `${search.results.length}`, results: first.map((d) => d.url) };
}

const out = tool === 'blatt' ? await blatt() : await pagefind();
const bytes = fetched.reduce((a, [, b]) => a + b, 0);
console.log(JSON.stringify({ tool, query, bytes, files: fetched.length, fetched, ...out }));
process.exit(0);
