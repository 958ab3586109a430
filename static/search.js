// gazette site search: loads /search/<lang>.json once and ranks articles by
// title, tags, summary and body matches. Chinese is matched by character
// bigrams, Russian with case and ё/е folding, every language by word prefix.
// No network beyond the site itself; results are built with DOM text nodes.
(() => {
  "use strict";
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !input || !list) return;
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
  const fold = (text) => text.toLowerCase().normalize("NFKC").replace(/ё/g, "е");
  // Words of alphabetic scripts, bigrams (and single characters) of CJK runs.
  const tokens = (text) => {
    const out = [];
    for (const run of fold(text).split(/[^\p{L}\p{N}]+/u)) {
      if (!run) continue;
      if (CJK.test(run)) {
        const chars = Array.from(run);
        if (chars.length === 1) out.push(chars[0]);
        for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else {
        out.push(run);
      }
    }
    return out;
  };
  const FIELDS = [["title", 8], ["tags", 5], ["summary", 3], ["body", 1]];
  let entries = null;
  const load = async () => {
    if (entries) return entries;
    const response = await fetch(form.dataset.index);
    const data = await response.json();
    entries = data.map((entry) => ({
      entry,
      fields: FIELDS.map(([name, weight]) => {
        const value = Array.isArray(entry[name]) ? entry[name].join(" ") : entry[name] || "";
        return { weight, text: fold(value), words: new Set(tokens(value)) };
      }),
    }));
    return entries;
  };
  // A query token matches a field when a word starts with it (prefix match
  // covers Russian endings and English plurals) or a CJK bigram equals it.
  const matches = (field, token) => {
    if (field.words.has(token)) return 2;
    if (token.length >= 3 && !CJK.test(token)) {
      for (const word of field.words) if (word.startsWith(token)) return 1;
    }
    return 0;
  };
  const snippet = (body, query) => {
    const lower = fold(body);
    let at = -1;
    for (const token of query) {
      at = lower.indexOf(token);
      if (at >= 0) return { text: body.slice(Math.max(0, at - 60), at + 140), hit: token, at: Math.min(at, 60) };
    }
    return { text: body.slice(0, 200), hit: "", at: -1 };
  };
  // "N found" in the page's language: a string, or CLDR plural forms, as JSON in the page.
  const forms = JSON.parse(document.getElementById("search-found").textContent);
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  const counted = (n) => {
    const text = typeof forms === "string" ? forms : forms[plural.select(n)] ?? forms.other;
    return text.replace("{count}", n);
  };
  const render = (results, query) => {
    list.replaceChildren();
    status.textContent = results.length ? counted(results.length) : form.dataset.none;
    for (const { entry } of results.slice(0, 50)) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.title;
      const heading = document.createElement("h2");
      heading.append(link);
      const date = document.createElement("time");
      date.dateTime = entry.date;
      date.textContent = entry.date;
      const text = document.createElement("p");
      const cut = snippet(entry.body || entry.summary || "", query);
      if (cut.hit && cut.at >= 0) {
        const start = fold(cut.text).indexOf(cut.hit);
        const mark = document.createElement("mark");
        mark.textContent = cut.text.slice(start, start + cut.hit.length);
        text.append("…" + cut.text.slice(0, start), mark, cut.text.slice(start + cut.hit.length) + "…");
      } else {
        text.textContent = cut.text + "…";
      }
      item.append(heading, date, text);
      list.append(item);
    }
  };
  const search = async () => {
    const query = tokens(input.value);
    if (!query.length) { list.replaceChildren(); status.textContent = ""; return; }
    const all = await load();
    const results = [];
    for (const candidate of all) {
      let score = 0;
      let found = 0;
      for (const token of query) {
        let best = 0;
        for (const field of candidate.fields) best = Math.max(best, matches(field, token) * field.weight);
        if (best > 0) found++;
        score += best;
      }
      if (found === query.length) results.push({ entry: candidate.entry, score });
    }
    results.sort((a, b) => b.score - a.score || (a.entry.date < b.entry.date ? 1 : -1));
    render(results, query);
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(); }
})();
