"""Pages for `BLATT_EXTRA_PAGES` (tests/it/import_score.rs) from Mozilla
Readability's test pages: each page's `source.html` run through trafilatura
(JSON with metadata, the input blatt imports) and the text of its
`expected.html` as the ground truth. Readability's expected text keeps the
headline and some credits that blatt moves out of the body, so a page's
recall there is a little below the raw text's by convention; the figures
compare blatt with the raw extraction on pages nobody tuned for.

    git clone https://github.com/mozilla/readability
    python3 -m venv v && v/bin/pip install trafilatura lxml_html_clean
    v/bin/python tests/tools/extra_pages.py readability/test/test-pages > /tmp/extra.jsonl
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


def main(pages: pathlib.Path) -> None:
    for page in sorted(p for p in pages.iterdir() if p.is_dir()):
        source, expected = page / "source.html", page / "expected.html"
        if not source.exists() or not expected.exists():
            continue
        extracted = trafilatura.extract(source.read_text("utf-8", "replace"),
                                        output_format="json", with_metadata=True)
        if not extracted:
            continue
        record = json.loads(extracted)
        record["source_path"] = page.name
        record["ground_truth"] = truth(expected.read_text("utf-8", "replace"))
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
