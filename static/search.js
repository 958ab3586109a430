// gazette site search. The index of a language is split into small files
// (layout: README, "Search index"): index.json names them; a query fetches
// the word-form and term files its words fall in, then the cards of the
// results it shows. Words are folded (lower case, ё as е) and cut as the
// build cut them: CJK runs into bigrams, other words of 2+ letters, which the
// form files map to their Snowball stems. No request leaves the site.
(() => {
  "use strict";
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const more = document.getElementById("search-more");
  if (!form || !input || !list || !status) return;
  const base = form.dataset.index.replace(/index\.json$/, "");
  const PAGE = 10;
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
  const fold = (text) => text.normalize("NFKC").toLowerCase().replace(/ё/g, "е");
  const words = (text) => {
    const out = [];
    for (const run of fold(text).split(/[^\p{L}\p{N}]+/u)) {
      for (const part of run.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+/g) || []) {
        if (CJK.test(part)) {
          const chars = Array.from(part);
          if (chars.length === 1) out.push(part);
          for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
        } else if (Array.from(part).length > 1) {
          out.push(part);
        }
      }
    }
    return [...new Set(out)];
  };
  // Keys are ordered by code point, as the build sorted them.
  const cmp = (a, b) => {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  };
  const cache = new Map();
  const get = (path, as) => {
    if (!cache.has(path)) cache.set(path, fetch(base + path).then((r) => (r.ok ? r[as]() : Promise.reject(new Error(`${path}: ${r.status}`)))));
    return cache.get(path);
  };
  let metaPromise = null;
  const meta = () => (metaPromise ??= get("index.json", "json"));
  // A reader of LEB128 numbers and length-prefixed UTF-8 strings.
  const utf8 = new TextDecoder();
  const reader = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let at = 0;
    const number = () => {
      let n = 0, shift = 0, byte;
      do { byte = bytes[at++]; n += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
      return n;
    };
    const string = () => { const len = number(); const s = utf8.decode(bytes.subarray(at, at + len)); at += len; return s; };
    return { number, string, byte: () => bytes[at++], done: () => at >= bytes.length };
  };
  const parsed = new Map();
  // Term file n: key → [[doc, weight], …]; form file n: form → stem.
  const chunk = async (kind, n) => {
    const path = `${kind}/${n}.bin`;
    if (parsed.has(path)) return parsed.get(path);
    const r = reader(await get(path, "arrayBuffer"));
    const records = new Map();
    while (!r.done()) {
      const key = r.string();
      if (kind === "v") { records.set(key, r.string()); continue; }
      const count = r.number();
      const postings = new Array(count);
      let doc = 0;
      for (let i = 0; i < count; i++) { doc += r.number(); postings[i] = [doc, r.byte()]; }
      records.set(key, postings);
    }
    parsed.set(path, records);
    return records;
  };
  // The file whose range holds `key`: the last whose first key is ≤ key.
  const fileOf = (firsts, key) => {
    let lo = 0, hi = firsts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(firsts[mid], key) <= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  };
  // Docs of the stems that start with `prefix` (the file it falls in and the next ones).
  const byPrefix = async (m, prefix, exactOnly) => {
    const found = new Map();
    const stems = [];
    const start = Math.max(0, fileOf(m.terms, prefix));
    for (let n = start; n < Math.min(m.terms.length, start + 4); n++) {
      if (n > 0 && cmp(m.terms[n], prefix) > 0 && !m.terms[n].startsWith(prefix)) break;
      let past = false;
      for (const [key, postings] of await chunk("t", n)) {
        const hit = exactOnly ? key === prefix : key.startsWith(prefix);
        if (hit) {
          stems.push(key);
          const weight = key === prefix ? 1 : 0.5;
          for (const [doc, w] of postings) found.set(doc, Math.max(found.get(doc) || 0, w * weight));
        } else if (cmp(key, prefix) > 0) past = true;
      }
      if (past || exactOnly) break;
    }
    return { docs: found, stems };
  };
  // One query word: its form's stem when the site wrote that form, else the
  // stems it begins (prefix search), else those its first letters begin.
  const lookup = async (m, word) => {
    const f = fileOf(m.forms, word);
    const stem = f >= 0 ? (await chunk("v", f)).get(word) : undefined;
    if (stem) return byPrefix(m, stem, true);
    const cjk = CJK.test(word);
    let hit = await byPrefix(m, word, !cjk && Array.from(word).length < 3);
    // A form the site never wrote: the stems of its longest known beginning.
    const letters = Array.from(word);
    for (let len = letters.length - 1; !hit.docs.size && !cjk && len >= Math.max(4, Math.ceil(letters.length / 2)); len--) {
      hit = await byPrefix(m, letters.slice(0, len).join(""), false);
    }
    return hit;
  };
  const filters = [...document.querySelectorAll("select[data-filter]")];
  const fillFilters = (m) => {
    for (const select of filters) {
      const filter = m.filters.find((f) => f.name === select.dataset.filter);
      if (!filter || select.options.length > 1) continue;
      for (const v of filter.values) select.append(new Option(`${v.label} (${v.count})`, String(v.file)));
    }
  };
  const filterDocs = async () => {
    let allowed = null;
    for (const select of filters.filter((s) => s.value !== "")) {
      const r = reader(await get(`f/${select.value}.bin`, "arrayBuffer"));
      const docs = new Set();
      let doc = 0;
      while (!r.done()) { doc += r.number(); docs.add(doc); }
      allowed = allowed ? new Set([...allowed].filter((d) => docs.has(d))) : docs;
    }
    return allowed;
  };
  const forms = JSON.parse(document.getElementById("search-found").textContent);
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  const counted = (n) => (typeof forms === "string" ? forms : forms[plural.select(n)] ?? forms.other).replace("{count}", n);
  // The excerpt as text nodes, with the query's words and stems marked.
  const marked = (text, needles) => {
    const ranges = [];
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const w = fold(m[0]);
      if (!CJK.test(w) && needles.some((n) => !CJK.test(n) && w.startsWith(n))) ranges.push([m.index, m.index + m[0].length]);
    }
    for (const n of needles.filter((n) => CJK.test(n))) {
      for (let at = text.indexOf(n); at >= 0; at = text.indexOf(n, at + 1)) ranges.push([at, at + n.length]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const nodes = [];
    let at = 0;
    for (const [start, end] of ranges) {
      if (end <= at) continue;
      const from = Math.max(start, at);
      nodes.push(text.slice(at, from));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(from, end);
      nodes.push(mark);
      at = end;
    }
    nodes.push(text.slice(at));
    return nodes;
  };
  let shown = { results: [], needles: [], count: 0 };
  const card = async (m, doc) => (await get(`d/${Math.floor(doc / m.cards_per_file)}.json`, "json"))[doc % m.cards_per_file];
  const showMore = async () => {
    const m = await meta();
    const next = shown.results.slice(shown.count, shown.count + PAGE);
    const cards = await Promise.all(next.map(([doc]) => card(m, doc)));
    for (const entry of cards) {
      const item = document.createElement("li");
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.title;
      heading.append(link);
      const info = document.createElement("p");
      info.className = "search-meta";
      const date = document.createElement("time");
      date.dateTime = entry.date;
      date.textContent = entry.date;
      info.append(date, ` · ${entry.section}`);
      const text = document.createElement("p");
      text.append(...marked(entry.excerpt, shown.needles));
      item.append(heading, info, text);
      list.append(item);
    }
    shown.count += next.length;
    if (more) more.hidden = shown.count >= shown.results.length;
  };
  let generation = 0;
  const search = async () => {
    const mine = ++generation;
    const query = words(input.value);
    if (!query.length) { list.replaceChildren(); status.textContent = ""; if (more) more.hidden = true; return; }
    const m = await meta();
    const hits = await Promise.all(query.map((w) => lookup(m, w)));
    const allowed = await filterDocs();
    if (mine !== generation) return;
    let scores = null;
    for (const { docs } of hits) {
      const next = new Map();
      for (const [doc, w] of docs) if (!scores || scores.has(doc)) next.set(doc, (scores?.get(doc) || 0) + w);
      scores = next;
    }
    const results = [...scores].filter(([doc]) => !allowed || allowed.has(doc)).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    list.replaceChildren();
    shown = { results, needles: [...query, ...hits.flatMap((h) => h.stems)], count: 0 };
    await showMore();
    if (mine !== generation) return;
    status.textContent = results.length ? counted(results.length) : form.dataset.none;
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
  for (const select of filters) select.addEventListener("change", search);
  if (more) more.addEventListener("click", () => { showMore(); });
  meta().then(fillFilters, () => { status.textContent = form.dataset.none; });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(); }
})();
