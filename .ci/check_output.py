#!/usr/bin/env python3
"""Reads a built site back with independent parsers.

Usage: check_output.py PUBLIC_DIR BASE_URL

- every RSS feed parses with feedparser without `bozo`, as RSS 2.0, and each
  entry has a link, guid, date, summary and full content;
- every sitemap parses as XML and every URL in it exists as a file.
Exit status 1 with one line per problem.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

import feedparser

public, base = sys.argv[1], sys.argv[2].rstrip("/") + "/"
problems = []
feeds = sorted(glob.glob(os.path.join(public, "**", "feed.xml"), recursive=True))
for path in feeds:
    d = feedparser.parse(path)
    rel = os.path.relpath(path, public)
    if d.bozo:
        problems.append(f"{rel}: bozo: {d.bozo_exception}")
    if d.version != "rss20":
        problems.append(f"{rel}: version {d.version!r}, not rss20")
    for e in d.entries:
        for field in ("link", "id", "published", "summary", "content"):
            if not e.get(field):
                problems.append(f"{rel}: entry {e.get('title')!r} has no {field}")
        if not e.get("link", "").startswith(base):
            problems.append(f"{rel}: entry link {e.get('link')!r} is not absolute under {base}")

ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
urls = 0
for path in sorted(glob.glob(os.path.join(public, "sitemap*.xml"))):
    root = ET.parse(path).getroot()
    for loc in root.iterfind(".//s:loc", ns):
        url = loc.text
        if not url.startswith(base):
            problems.append(f"{path}: {url} is not under {base}")
            continue
        rel = url[len(base):]
        if os.path.basename(path) == "sitemap.xml" and root.tag.endswith("sitemapindex"):
            target = os.path.join(public, rel)
        else:
            urls += 1
            target = os.path.join(public, rel, "index.html") if rel.endswith("/") or rel == "" else os.path.join(public, rel)
        if not os.path.isfile(target):
            problems.append(f"{path}: {url} does not exist ({target})")

for p in problems:
    print(p)
print(f"checked {len(feeds)} feeds and {urls} sitemap URLs: {len(problems)} problems")
sys.exit(1 if problems else 0)
