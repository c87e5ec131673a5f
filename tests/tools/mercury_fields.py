"""Pages for `BLATT_FIELD_PAGES` (tests/it/import_score.rs) from the
custom-extractor tests of the Postlight (Mercury) parser: each fixture's HTML
run through trafilatura (JSON with metadata, the input blatt imports), with
the title, author and publication date that parser's test for the site
expects, as `truth_title`, `truth_author` and `truth_date`. Those are a
parser's expectations written by hand per site, not blatt's conventions: a
title the page prints differently from its metadata, a date in UTC that is
the next day in the site's zone, count as misses, so compare runs, not
absolute figures.

    git clone https://github.com/postlight/parser
    python3 -m venv v && v/bin/pip install trafilatura lxml_html_clean
    v/bin/python tests/tools/mercury_fields.py parser > /tmp/fields.jsonl
    BLATT_FIELD_PAGES=/tmp/fields.jsonl cargo test --release --test it \\
        import_score::fields -- --ignored --nocapture
"""

import json
import pathlib
import re
import sys

import trafilatura

STRING = r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`([^`]*)`|(null|undefined))"""


def expected(test: str, field: str):
    """The value the test asserts for `field`, or None."""
    m = re.search(r"assert\.(?:equal|strictEqual)\(\s*" + field + r"\s*," + STRING, test)
    if not m:
        return None
    value = next((g for g in m.groups() if g is not None), None)
    if value in ("null", "undefined"):
        return None
    return value.replace("\\'", "'").replace('\\"', '"')


def main(repo: pathlib.Path) -> None:
    for test_file in sorted((repo / "src/extractors/custom").glob("*/index.test.js")):
        test = test_file.read_text("utf-8", "replace")
        url = re.search(r"url\s*=\s*'([^']+)'", test)
        fixture = re.search(r"readFileSync\(\s*'\./([^']+)'", test)
        if not url or not fixture or not (repo / fixture.group(1)).exists():
            continue
        html = (repo / fixture.group(1)).read_text("utf-8", "replace")
        extracted = trafilatura.extract(html, output_format="json", with_metadata=True, url=url.group(1))
        if not extracted:
            continue
        record = json.loads(extracted)
        record.pop("raw_text", None)
        record.update(source_path=fixture.group(1), url=url.group(1),
                      truth_title=expected(test, "title"), truth_author=expected(test, "author"),
                      truth_date=expected(test, "date_published"))
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
