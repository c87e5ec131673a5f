#!/usr/bin/env python3
"""Reads a built site back with independent parsers.

Usage: check_output.py PUBLIC_DIR BASE_URL

- every RSS feed parses with feedparser without `bozo`, as RSS 2.0, and each
  entry has a link, guid, date and summary; each entry of the site feed has
  its full content, a topic's, tag's or author's feed at least for its newest
  (the older ones may have their summary only, `feed.term_full_text`);
- every Atom feed (`atom.xml`) likewise, as Atom 1.0;
- every JSON Feed (`feed.json`) read with plain `json` (no released
  feedparser reads JSON Feed; 6.0.x sees XML): the fields JSON Feed 1.1
  requires (version, title, items; each item an id and content_html or
  content_text), its own URL, and each item's absolute url and RFC 3339 dates;
  where feedparser's development version (with its JSON Feed parser) is
  installed, also through feedparser without `bozo`;
- every `<link rel="alternate">` of every page resolves to a file;
- every sitemap parses as XML and every URL in it exists as a file.
Exit status 1 with one line per problem.
"""
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser

import feedparser

public, base = sys.argv[1], sys.argv[2].rstrip("/") + "/"
problems = []


def found(name):
    return sorted(glob.glob(os.path.join(public, "**", name), recursive=True))


def rfc3339(value):
    """Whether `value` is an RFC 3339 date-time with an offset."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


JSON_FEED = "https://jsonfeed.org/version/1.1"
try:
    import feedparser.parsers.json  # noqa: F401

    JSON_PARSER = True
except ImportError:
    JSON_PARSER = False
json_feeds = found("feed.json")
for path in json_feeds:
    rel = os.path.relpath(path, public)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except ValueError as e:
        problems.append(f"{rel}: not JSON: {e}")
        continue
    if doc.get("version") != JSON_FEED:
        problems.append(f"{rel}: version {doc.get('version')!r}, not {JSON_FEED}")
    if not isinstance(doc.get("title"), str) or not doc["title"]:
        problems.append(f"{rel}: no title")
    if doc.get("feed_url") != base + rel.replace(os.sep, "/"):
        problems.append(f"{rel}: feed_url {doc.get('feed_url')!r}")
    items = doc.get("items")
    if not isinstance(items, list) or not items:
        problems.append(f"{rel}: no items")
        items = []
    for item in items:
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{rel}: an item without an id")
        if not any(isinstance(item.get(k), str) for k in ("content_html", "content_text")):
            problems.append(f"{rel}: item {item.get('id')!r} has neither content_html nor content_text")
        if not str(item.get("url", "")).startswith(base):
            problems.append(f"{rel}: item url {item.get('url')!r} is not absolute under {base}")
        for field in ("date_published", "date_modified"):
            if (field in item or field == "date_published") and not rfc3339(item.get(field)):
                problems.append(f"{rel}: item {item.get('id')!r}: {field} {item.get(field)!r} is not RFC 3339")
    # feedparser's development version (not on PyPI yet) has a JSON Feed
    # parser; where it is installed, it must read the feed without `bozo`.
    if JSON_PARSER:
        d = feedparser.parse(path, response_headers={"content-type": "application/feed+json"})
        if d.bozo or d.version != "json11" or len(d.entries) != len(items):
            problems.append(f"{rel}: feedparser: version {d.version!r}, bozo {d.get('bozo_exception')!r}, {len(d.entries)} entries")

feeds = found("feed.xml") + found("atom.xml")
versions = {"feed.xml": "rss20", "atom.xml": "atom10"}
for path in feeds:
    version = versions[os.path.basename(path)]
    d = feedparser.parse(path)
    rel = os.path.relpath(path, public)
    if d.bozo:
        problems.append(f"{rel}: bozo: {d.bozo_exception}")
    if d.version != version:
        problems.append(f"{rel}: version {d.version!r}, not {version}")
    if len(d.entries) == 0:
        problems.append(f"{rel}: no entries")
    term_feed = os.path.dirname(rel) != ""
    for e in d.entries:
        for field in ("link", "id", "published", "summary"):
            if not e.get(field):
                problems.append(f"{rel}: entry {e.get('title')!r} has no {field}")
        # Term feeds carry bodies in their newest feed.term_full_text items
        # only (default 10, 0 for none);
        # every item has its summary, checked above.
        if not e.get("content") and not term_feed:
            problems.append(f"{rel}: entry {e.get('title')!r} has no content")
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

class Alternates(HTMLParser):
    """The hrefs of a page's `<link rel="alternate">` elements."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "alternate" in (a.get("rel") or "").split():
            self.hrefs.append((a.get("type"), a.get("href") or ""))


types = {"feed.xml": "application/rss+xml", "atom.xml": "application/atom+xml", "feed.json": "application/feed+json"}
base_path = re.sub(r"^[a-z]+://[^/]+", "", base)
alternates = 0
for path in found("*.html"):
    rel = os.path.relpath(path, public)
    parser = Alternates()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    for kind, href in parser.hrefs:
        alternates += 1
        if href.startswith(base):
            target = href[len(base):]
        elif href.startswith(base_path):
            target = href[len(base_path):]
        else:
            problems.append(f"{rel}: alternate link {href!r} leaves the site")
            continue
        if not os.path.isfile(os.path.join(public, target)):
            problems.append(f"{rel}: alternate link {href!r} does not exist")
        elif types.get(os.path.basename(target)) != kind:
            problems.append(f"{rel}: alternate link {href!r} has type {kind!r}")

for p in problems:
    print(p)
print(f"checked {len(feeds)} RSS and Atom feeds, {len(json_feeds)} JSON Feeds{' (also with feedparser)' if JSON_PARSER else ''}, {urls} sitemap URLs and {alternates} feed links: {len(problems)} problems")
sys.exit(1 if problems else 0)
