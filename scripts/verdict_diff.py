#!/usr/bin/env python3
"""Where two scoring set-ups disagree on real text, and whether the corpora's labels agree.

    python3 scripts/verdict_diff.py [--data DIR] [--list] --a "BIN [ARGS]" --b "BIN [ARGS]"

Reads the training splits of five corpora under DIR (default $COMMENTGUARD_DATA): Stormfront
(all but the sampled test), HateXplain (train_derived), ConvAbuse (train, the user turn),
Hatemoji (train) and toxic_spans (SemEval train): 41,012 texts. Test splits are never read.
Each set-up scores every text with `score --format lines --output jsonl -q --no-reasons`
(newlines inside a text are flattened to spaces). Printed: how many texts' scores differ, how
many hateful flags (identity_attack, dehumanising or slur) differ, and of those, how many the
text's label agrees with (Stormfront "hate", HateXplain class 0 and Hatemoji 1 are hateful;
the other classes of those three are not; ConvAbuse and toxic_spans rows have no hateful label
and are counted apart). `--list` prints each flag change with its label and the first 120
characters of its text.

Used in session 10 for the moderator's rules (DESIGN.md, "Homonyms and self-descriptions"):
    --a "target/release/commentguard --no-senses" --b "target/release/commentguard"
"""
import argparse
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile

HATEFUL = {"identity_attack", "dehumanising", "slur"}


def texts(root):
    """(corpus, hateful label or None, text) for every training row of the five corpora."""
    csv.field_size_limit(10**9)

    def rows(path):
        with open(os.path.join(root, path), newline="", encoding="utf-8") as f:
            yield from csv.DictReader(f)

    for r in rows("stormfront_degibert2018/stormfront_sentences.csv"):
        if r["split"] != "sampled_test":
            yield "stormfront", r["label"] == "hate", r["text"]
    for r in rows("hatexplain/hatexplain_train_derived.csv"):
        yield "hatexplain", r["majority_label"] == "0", r["text"]
    for r in rows("convabuse/ConvAbuseEMNLPtrain.csv"):
        yield "convabuse", None, r["user"]
    for r in rows("hatemoji_build/train.csv"):
        yield "hatemoji", r["label_gold"] == "1", r["text"]
    for r in rows("toxic_spans/SemEval2021/tsd_train.csv"):
        yield "toxic_spans", None, r["text"]


def score(setup, path):
    cmd = shlex.split(setup)
    args = cmd[:1] + ["score", "--format", "lines", "--output", "jsonl", "-q", "--no-reasons"]
    out = subprocess.run(args + cmd[1:] + [path], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.environ.get("COMMENTGUARD_DATA"))
    ap.add_argument("--a", required=True, help='the control, e.g. "BIN --no-senses"')
    ap.add_argument("--b", required=True, help="the candidate")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if not a.data:
        sys.exit("no corpora: pass --data DIR or set COMMENTGUARD_DATA")
    rows = [(c, h, " ".join(t.split())) for c, h, t in texts(a.data)]
    rows = [r for r in rows if r[2]]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as f:
        f.write("".join(t + "\n" for _, _, t in rows))
        f.flush()
        ra, rb = score(a.a, f.name), score(a.b, f.name)
    if not (len(ra) == len(rb) == len(rows)):
        sys.exit(f"record counts differ: {len(rows)} texts, {len(ra)} and {len(rb)} records")
    changed = flags = agree = disagree = unlabelled = 0
    for (corpus, hateful, text), x, y in zip(rows, ra, rb):
        if x.get("scores") != y.get("scores"):
            changed += 1
        hx, hy = bool(HATEFUL & set(x.get("flags", []))), bool(HATEFUL & set(y.get("flags", [])))
        if hx == hy:
            continue
        flags += 1
        if hateful is None:
            unlabelled += 1
        elif hateful == hy:
            agree += 1
        else:
            disagree += 1
        if a.list:
            print(f"{corpus}\thateful={hateful}\t{hx}->{hy}\t{text[:120]}")
    print(f"{len(rows)} texts; scores differ on {changed}; hateful flag differs on {flags}: "
          f"the label agrees with the candidate on {agree}, with the control on {disagree}, "
          f"{unlabelled} without a hateful label")


if __name__ == "__main__":
    main()
