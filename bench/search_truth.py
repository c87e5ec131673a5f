#!/usr/bin/env python3
"""Chooses five typical search queries from a blatt content folder by fixed
rules, and computes for each the articles a good search should show first.

    search_truth.py CONTENT_DIR > truth.json

Queries (rules, so that any corpus gives comparable ones):
  name      the most frequent second word of a mid-sentence pair of
            capitalised words ("Anna Flängpüt"): a person's surname
  compound  the word of 16 or more letters found in the most articles
  prefix    the first 6 letters of the most frequent word of 10 or more
            letters that does not start like the compound (typed halfway)
  two words the most frequent adjacent pair of words of 6 or more letters
            where neither is in more than a fifth of the articles
  (name, compound and the prefix's word: among words in at most 5 % of
  the articles, since a typical query finds a subject, not every article)
  rare      the first (alphabetically) word of 8 or more letters in
            exactly 3 articles

Ground truth: an article matches when it has every query word (the prefix:
any word starting with it). Matches are ranked by tf-idf: per query word,
(occurrences in the body, kicker and summary + 3 x in the title) x
log(N / articles with the word). "relevant" is the top 10 of that ranking
(more when tied); precision@5 of a tool = share of its first 5 results that
are relevant. Words are normalised as blatt and Pagefind both do:
lowercase, split at every character that is not a letter or a digit.
"""
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict

WORD = re.compile(r"[^\W_]+", re.UNICODE)
FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def norm(w):
    return w.lower().translate(FOLD)


def read(path):
    text = open(path, encoding="utf-8").read()
    front, body = {}, text
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        head, body = text[4:end], text[end + 5:]
        for line in head.splitlines():
            m = re.match(r"^(title|kicker|summary|slug): (.*)$", line)
            if m:
                v = m.group(2).strip()
                if v[:1] in "'\"" and v[-1:] == v[:1]:
                    v = v[1:-1]
                front[m.group(1)] = v
    return front, body


def main():
    root = sys.argv[1]
    docs = []  # (slug, title words, other words, raw text)
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith(".md"):
                continue
            front, body = read(os.path.join(d, f))
            slug = front.get("slug") or f[:-3]
            title = [norm(w) for w in WORD.findall(front.get("title", ""))]
            raw = " ".join([front.get("kicker", ""), front.get("summary", ""), body])
            other = [norm(w) for w in WORD.findall(raw)]
            docs.append((slug, title, other, raw))
    docs.sort()
    n = len(docs)
    df = Counter()
    for _, t, o, _ in docs:
        df.update(set(t) | set(o))
    # The form a reader types: the most frequent spelling of a word.
    forms = Counter(w for _, _, _, raw in docs for w in WORD.findall(raw))
    surface = {}
    for w, c in forms.most_common():
        surface.setdefault(norm(w), w)

    surnames = Counter()
    pairs = Counter()
    for _, _, _, raw in docs:
        for sentence in re.split(r"[.!?:]\s+|\n", raw):
            ws = WORD.findall(sentence)
            for a, b in zip(ws[1:], ws[2:]):  # mid-sentence: skip the first word
                if a[:1].isupper() and b[:1].isupper() and len(b) >= 4:
                    surnames[b] += 1
            for a, b in zip(ws, ws[1:]):
                a, b = norm(a), norm(b)
                if len(a) >= 6 and len(b) >= 6 and df[a] <= n / 5 and df[b] <= n / 5 and a != b:
                    pairs[(a, b)] += 1
    # A query finds some articles, not all: words in at most 5 % of them.
    few = n / 20
    name = norm(max(((s, c) for s, c in surnames.items() if df[norm(s)] <= few), key=lambda kv: (kv[1], kv[0]))[0])
    compound = max((w for w in df if len(w) >= 16 and w.isalpha() and df[w] <= few), key=lambda w: (df[w], w))
    long_words = [w for w in df if len(w) >= 10 and w.isalpha() and w[:6] != compound[:6] and df[w] <= few]
    prefix = max(long_words, key=lambda w: (df[w], w))
    prefix = surface.get(prefix, prefix)[:6]
    prefix_norm = norm(prefix)
    two = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
    rare = min(w for w in df if df[w] == 3 and len(w) >= 8 and w.isalpha())
    queries = [
        ("name", [name], False),
        ("compound", [compound], False),
        ("prefix", [prefix_norm], True),
        ("two words", list(two), False),
        ("rare", [rare], False),
    ]

    out = []
    for kind, words, is_prefix in queries:
        qdf = {}
        for q in words:
            if is_prefix:
                qdf[q] = sum(1 for _, t, o, _ in docs if any(w.startswith(q) for w in set(t) | set(o)))
            else:
                qdf[q] = df[q]
        scored = []
        for slug, title, other, _ in docs:
            tc, oc = Counter(title), Counter(other)
            score, ok = 0.0, True
            for q in words:
                if is_prefix:
                    hits = [w for w in set(tc) | set(oc) if w.startswith(q)]
                    tf = sum(3 * tc[w] + oc[w] for w in hits)
                else:
                    tf = 3 * tc[q] + oc[q]
                if tf == 0:
                    ok = False
                    break
                score += tf * math.log(n / qdf[q])
            if ok:
                scored.append((score, slug))
        scored.sort(key=lambda s: -s[0])
        cut = scored[9][0] if len(scored) >= 10 else 0
        relevant = [slug for s, slug in scored if s >= cut] if scored else []
        out.append({
            "kind": kind,
            "query": " ".join(prefix if is_prefix else surface.get(w, w) for w in words),
            "matching": len(scored),
            "relevant": relevant,
            "matching_slugs": [slug for _, slug in scored],
        })
    json.dump({"articles": n, "queries": out}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
