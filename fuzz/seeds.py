#!/usr/bin/env python3
"""Writes the small seed corpora in fuzz/corpus/<target>/ from the repository's test data.

Run from the repository root: python3 fuzz/seeds.py. Seeds are named by content hash,
so re-running adds nothing new; the fuzzer's own finds go to fuzz/corpus-work (not kept).
"""
import hashlib, os, csv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # fuzz/.. = repository
DATA = os.path.join(ROOT, "tests", "data")
# Format::ALL order; index len(FORMATS) means auto-detection.
FORMATS = ["wxr", "disqus", "wpcom-html", "reddit", "hackernews", "commento", "remark42",
           "isso", "activitystreams", "jsonl", "csv", "wpcom-text", "lines"]
SAMPLES = {
    "wxr": ["hostile/samples/wxr.xml"],
    "disqus": ["hostile/samples/disqus.xml"],
    "wpcom-html": ["wpcom/nested.html"],
    "reddit": ["hostile/samples/reddit.json"],
    "hackernews": ["json/hn-items.json", "json/hn-algolia.json"],
    "commento": ["hostile/samples/commento.json"],
    "remark42": ["hostile/samples/remark42.json", "json/remark42-backup.ndjson"],
    "isso": ["hostile/samples/isso.json"],
    "activitystreams": ["json/as2-collection.json"],
    "jsonl": ["hostile/samples/comments.jsonl"],
    "csv": ["hostile/samples/comments.csv"],
    "wpcom-text": ["wpcom/tabs_nbsp.txt", "wpcom/pagination.txt"],
    "lines": ["hostile/samples/lines.txt"],
}
TEXTS = [
    "You are a S.C.U.M!", "Ѕсυм like you, n1gg@", "they are vermin\u200b that breed like rats",
    "f#ck y0u", "s c u m", "calling people \u201cvermin\u201d is dehumanising",
    "a\u0301\u0302\u0303\u0304\u0305\u0306\u0307" * 3, "\u202eevil\u202c \u2066x\u2069",
    "I'll kill you", "Immigrants are rats", "\U0001F600\U0001F4A9 emoji", "ÀÉÎÕÜ ﬁ ＦＵＬＬ",
    "scuuuuuum!!!", "n*gg*r", "\ufeffBOM", "x" * 300, "you're an idiot's idiot'", "",
]


def put(target, data):
    d = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    for fmt, files in SAMPLES.items():
        i = FORMATS.index(fmt)
        for rel in files:
            with open(os.path.join(DATA, rel), "rb") as f:
                data = f.read()
            put("read_auto", data)
            for sel in (i, len(FORMATS)):
                put("read", bytes([sel, 0]) + data)
            put("read", bytes([i, 3]) + data)  # strict, tiny limits
    texts = list(TEXTS)
    with open(os.path.join(DATA, "behaviours.tsv"), encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
        texts += [r[2] for r in rows[1::4] if len(r) > 2]
    for t in texts:
        b = t.encode("utf-8")
        for target in ("normalize", "lexicon", "score"):
            put(target, b)
    put("normalize", b"ok \xff\xfe bad utf-8 \xc3")


if __name__ == "__main__":
    main()
