#!/usr/bin/env python3
"""Random edits on a large site; after each, the output rebuilt in place must
equal a build of the same content into an empty folder.

The integration test `incremental` checks this on sites of a few dozen
articles, where no limit of the edit path is ever reached: the articles an
edit may show, how far a date edit may move one, the search ids a new
article pushes on, the chunks a search update rewrites. This runs the same
comparison at the sizes where those limits decide the path, on a copy of a
bench corpus (equal_clean.sh makes it).

    bench/equal_clean.py SITE CLEAN SEED STEPS [BLATT]

SITE is a built blatt site whose content/ this script edits (use a copy);
CLEAN a folder for the clean builds (emptied each step). Prints one line per
step: the edits, the wall time of the rebuild in place, why it took the
ordinary rebuild (or "edit path"), and how many files differ. KINDS (in
the environment, comma-separated) takes only those kinds of edit, e.g.
KINDS=draft,delete to try the path that takes articles out. A difference
is any file that is not byte for byte the same, except redirect pages of
the rebuilt output whose target page the clean build has: a clean build
cannot know the addresses an article had before. Exits 1 when any step
differs or a build fails.
"""
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import time

SITE, CLEAN, SEED, STEPS = sys.argv[1], sys.argv[2].rstrip("/"), int(sys.argv[3]), int(sys.argv[4])
BLATT = sys.argv[5] if len(sys.argv) > 5 else "target/release/blatt"
BLATT = os.path.abspath(BLATT) if os.sep in BLATT else BLATT
rng = random.Random(SEED)
content = os.path.join(SITE, "content")
public = os.path.join(SITE, "public")
files = sorted(glob.glob(os.path.join(content, "**", "*.md"), recursive=True))
# The articles set to draft by this run, for "publish".
drafts = []

# Every kind of edit a newsroom makes to an archive, each as likely.
KINDS = [
    "body",  # a sentence with a word the archive never had
    "title",
    "summary",
    "tag",  # an existing or a new tag
    "untag",  # every tag taken off
    "topic",
    "author",
    "date_in",  # a few days within the month
    "date_out",  # into the next month (the address changes)
    "new",  # a new article anywhere in the archive's ten years
    "delete",
    "draft",  # taken off the site
    "publish",  # a draft published (one set to draft in an earlier step)
    "rename",  # the file renamed, its slug kept
]
if os.environ.get("KINDS"):
    wanted = os.environ["KINDS"].split(",")
    unknown = set(wanted) - set(KINDS)
    if unknown:
        sys.exit(f"KINDS: no such kind of edit: {', '.join(sorted(unknown))} (kinds: {', '.join(KINDS)})")
    KINDS = [k for k in KINDS if k in wanted]


def front_and_body(text):
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return m.group(1), text[m.end():]


def with_key(front, key, value):
    if re.search(rf"^{key}:", front, re.M):
        return re.sub(rf"^{key}:.*$", lambda _: f"{key}: {value}", front, count=1, flags=re.M)
    return f"{front}\n{key}: {value}"


def with_item(front, key, item):
    if re.search(rf"^{key}:\n", front, re.M):
        return re.sub(rf"^{key}:\n", lambda _: f"{key}:\n- {item}\n", front, count=1, flags=re.M)
    return f"{front}\n{key}:\n- {item}"


def without_list(front, key):
    return re.sub(rf"^{key}:\n(- .*\n?)+", "", front, flags=re.M)


def edit(kind):
    """Makes one edit of `kind` to a random article; returns what it did."""
    path = rng.choice(files)
    if kind == "publish":
        if not drafts:
            kind = "draft"
        else:
            path = drafts.pop(rng.randrange(len(drafts)))
    front, body = front_and_body(open(path, encoding="utf-8").read())
    date = re.search(r"^date: (\S+)", front, re.M).group(1)
    n = rng.randrange(10**6)
    if kind == "body":
        body += f"\nNachtrag: Die Sitzung wurde vertagt, sagte Quxwort{n}.\n"
    elif kind == "title":
        front = with_key(front, "title", f"'Neuer Titel {n}'")
    elif kind == "summary":
        front = with_key(front, "summary", f"'Eine neue Zusammenfassung {n}.'")
    elif kind == "tag":
        front = with_item(front, "tags", rng.choice(["Neues Schlagwort", f"Schlagwort {n % 40}"]))
    elif kind == "untag":
        front = without_list(front, "tags")
    elif kind == "topic":
        front = with_item(front, "topics", rng.choice(["Ein neues Thema", f"Thema {n % 3}"]))
    elif kind == "author":
        front = with_item(front, "authors", rng.choice(["Neue Autorin", f"Autor {n % 20}"]))
    elif kind in ("date_in", "date_out"):
        year, month, day = int(date[0:4]), int(date[5:7]), int(date[8:10])
        if kind == "date_in":
            day = max(1, min(28, day + rng.choice([-3, -1, 1, 2, 5])))
        else:
            year, month, day = year + month // 12, month % 12 + 1, min(day, 28)
        front = with_key(front, "date", f"{year:04d}-{month:02d}-{day:02d}{date[10:]}")
    elif kind == "new":
        year, month, day = rng.randrange(2014, 2024), rng.randrange(1, 13), rng.randrange(1, 29)
        when = f"{year:04d}-{month:02d}-{day:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00+01:00"
        front = with_key(with_key(with_key(front, "date", when), "slug", f"neu-{n}"), "title", f"'Neu {n}'")
        path = os.path.join(content, f"{year:04d}", f"{month:02d}", f"neu-{n}.md")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        files.append(path)
    elif kind == "delete":
        os.remove(path)
        files.remove(path)
        if path in drafts:
            drafts.remove(path)
        return f"delete {os.path.relpath(path, content)}"
    elif kind == "draft":
        front = with_key(front, "draft", "true")
        drafts.append(path)
    elif kind == "publish":
        front = re.sub(r"^draft: true\n?", "", front, flags=re.M).rstrip("\n")
    elif kind == "rename":
        if not re.search(r"^slug:", front, re.M):
            front = with_key(front, "slug", os.path.basename(path)[:-3])
        os.remove(path)
        files.remove(path)
        renamed = os.path.join(os.path.dirname(path), f"umbenannt-{n}.md")
        drafts[:] = [renamed if d == path else d for d in drafts]
        path = renamed
        files.append(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"---\n{front}\n---\n{body}")
    return f"{kind} {os.path.relpath(path, content)}"


def redirect_target(page):
    """The site path a redirect page of blatt's leads to, if it is one."""
    try:
        html = open(page, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError):
        return None
    m = re.search(r'<meta http-equiv="refresh" content="0; url=https?://[^/]+/([^"]*)">', html)
    return m and m.group(1)


def differences():
    out = subprocess.run(["diff", "-rq", public, CLEAN], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        if ".blatt-output" in line:
            continue  # the marker names the folder it was written for
        m = re.match(r"Only in (.+): (.+)$", line)
        if m and m.group(1).startswith(public):
            page = os.path.join(m.group(1), m.group(2))
            page = os.path.join(page, "index.html") if os.path.isdir(page) else page
            target = redirect_target(page)
            if target is not None and os.path.exists(os.path.join(CLEAN, target, "index.html")):
                continue
        found.append(line)
    return found


def clean_build():
    parent, name = os.path.split(CLEAN)
    # The clean build's state lies beside its folder (`.NAME.blatt-*`).
    for p in glob.glob(os.path.join(parent, f".{name}.blatt*")) + [CLEAN]:
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    return subprocess.run([BLATT, "build", "--quiet", "--out", CLEAN], cwd=SITE, capture_output=True, text=True)


failed = 0
for step in range(STEPS):
    done = [edit(rng.choice(KINDS)) for _ in range(rng.choice([1, 1, 1, 2]))]
    start = time.monotonic()
    rebuilt = subprocess.run(
        [BLATT, "build"], cwd=SITE, capture_output=True, text=True, env=dict(os.environ, BLATT_TIMINGS="1")
    )
    wall = time.monotonic() - start
    if rebuilt.returncode != 0:
        print(f"step {step}: {done}: the rebuild failed\n{rebuilt.stderr[-3000:]}")
        sys.exit(1)
    why = next((l.strip() for l in rebuilt.stderr.splitlines() if "not the edit path" in l), "edit path")
    clean = clean_build()
    if clean.returncode != 0:
        print(f"step {step}: {done}: the clean build failed\n{clean.stderr[-3000:]}")
        sys.exit(1)
    diff = differences()
    print(f"step {step}: {'; '.join(done)} | {wall:.2f} s, {why} | {len(diff)} files differ", flush=True)
    for line in diff[:20]:
        print("   ", line)
    failed += bool(diff)
print(f"{STEPS - failed} of {STEPS} steps equal to a clean build")
sys.exit(1 if failed else 0)
