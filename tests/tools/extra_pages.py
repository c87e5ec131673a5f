"""Pages for `BLATT_EXTRA_PAGES` (tests/it/import_score.rs) from the test
pages of other extractors: each page's HTML run through trafilatura (JSON
with metadata, the input blatt imports) beside that project's text of it as
the ground truth. Two layouts are read:

- Mozilla Readability's `test/test-pages`: a folder per page with
  `source.html` and `expected.html` (the text of its blocks is the truth);
- newspaper3k's `tests/data`: `html/<name>.html` and `text/<name>.txt`.

Neither truth is a human one: Readability's keeps the headline and some
credits that blatt moves out of the body, newspaper's keeps datelines, so a
page's recall there is a little below the raw text's by convention; the
figures compare blatt with the raw extraction on pages nobody tuned for.

    git clone https://github.com/mozilla/readability
    python3 -m venv v && v/bin/pip install trafilatura lxml_html_clean
    v/bin/python tests/tools/extra_pages.py readability/test/test-pages > /tmp/extra.jsonl
    git clone https://github.com/codelucas/newspaper
    v/bin/python tests/tools/extra_pages.py newspaper/tests/data > /tmp/newspaper.jsonl
    BLATT_EXTRA_PAGES=/tmp/extra.jsonl cargo test --release --test it \
        import_score:: -- --ignored --nocapture
"""

import json
import pathlib
import sys

import lxml.html
import trafilatura

# Blocks whose text is a line of the ground truth; an element holding
# another of them gives way to it, so no text counts twice.
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "pre",
          "blockquote", "figcaption", "dd", "dt")


def truth(html: str) -> str:
    doc = lxml.html.fromstring(html)
    lines = []
    for el in doc.iter(*BLOCKS):
        if any(True for _ in el.iterdescendants(*BLOCKS)):
            continue
        text = " ".join(el.text_content().split())
        if text:
            lines.append(text)
    return "\n".join(lines)


def pairs(pages: pathlib.Path):
    """(name, html, ground truth) of each page, in name order."""
    if (pages / "html").is_dir() and (pages / "text").is_dir():
        for source in sorted((pages / "html").glob("*.html")):
            expected = pages / "text" / (source.stem + ".txt")
            if expected.exists():
                yield (source.stem, source.read_text("utf-8", "replace"),
                       expected.read_text("utf-8", "replace").strip())
        return
    for page in sorted(p for p in pages.iterdir() if p.is_dir()):
        source, expected = page / "source.html", page / "expected.html"
        if source.exists() and expected.exists():
            yield (page.name, source.read_text("utf-8", "replace"),
                   truth(expected.read_text("utf-8", "replace")))


def main(pages: pathlib.Path) -> None:
    for name, html, ground_truth in pairs(pages):
        extracted = trafilatura.extract(html, output_format="json", with_metadata=True)
        if not extracted or not ground_truth:
            continue
        record = json.loads(extracted)
        record["source_path"] = name
        record["ground_truth"] = ground_truth
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
