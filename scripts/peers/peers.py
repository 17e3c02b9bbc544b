"""Peer benchmarks for issue 4: the Python side. Run through run.sh, which pins versions.

  peers.py prepare SPLITS OUT [--n N]     test texts + labels, and the speed sets
  peers.py speed TOOL TEXTS               warm, one process; prints JSON lines (comments/s)
  peers.py cli-speed BIN TEXTS [--no-reasons]  our CLI on TEXTS, pinned to core 0, wall time
  peers.py score TOOL TEXTS OUT.jsonl     one {"toxic": p, "hateful": p} line per text
  peers.py report OUT                     one table: speed (best round), relative to ours, ROC AUC

TOOL is profanity_check (PyPI alt-profanity-check) or hatesonar (PyPI hatesonar).
Texts are flattened (whitespace runs, newlines included, become one space) so that every
tool, `commentguard score --format lines` included, reads exactly the same strings.
"""
import argparse
import json
import os
import random
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in scripts/lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from splits import csv_rows  # noqa: E402

LABELS = ["toxic", "identity_attack"]
# Data sets left out (prefixes; env PEERS_SKIP, comma-separated): the evaluation-only identity
# templates (their own audit in `commentguard eval`) and our own labelled set, which the shipped
# model was not trained on. The Rust side (train-fasttext) reads the same variable.
SKIP = tuple(os.environ.get("PEERS_SKIP", "conversationai_,commentguard_own").split(","))


def flat(text):
    return " ".join(text.split())


def prepare(args):
    os.makedirs(args.out, exist_ok=True)
    texts, labels = [], []
    for dataset, row in csv_rows(args.splits, ".test.csv", skip=SKIP):
        t = flat(row["text"])
        if not t:
            continue
        texts.append(t)
        labels.append(
            {"dataset": dataset, **{l: (None if row[l] == "" else int(row[l])) for l in LABELS}}
        )
    with open(os.path.join(args.out, "test_texts.txt"), "w", encoding="utf-8") as f:
        f.writelines(t + "\n" for t in texts)
    with open(os.path.join(args.out, "test_labels.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(json.dumps(l) + "\n" for l in labels)
    # Speed texts come from every split (train, dev and test; speed needs no held-out text):
    # enough distinct texts that no comment repeats, so that a tool with a cache (ours keeps
    # per-word weights) meets new text as it would in a stream.
    pool = [t for t in (flat(row["text"]) for _, row in csv_rows(args.splits, ".csv", skip=SKIP)) if t]
    random.Random(0).shuffle(pool)
    # Natural lengths: the first N of a seeded shuffle (cycled if there are fewer).
    nat = [pool[i % len(pool)] for i in range(args.n)]
    # ~300 characters: consecutive texts of the shuffle joined by a space, cut at 300.
    c300, k = [], 0
    while len(c300) < args.n:
        s = ""
        while len(s) < 300:
            s = (s + " " + pool[k % len(pool)]).strip()
            k += 1
        c300.append(s[:300].rstrip())
    for name, rows in (("speed_natural.txt", nat), ("speed_300.txt", c300)):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.writelines(t + "\n" for t in rows)
    mean = lambda xs: sum(map(len, xs)) / len(xs)
    print(
        json.dumps(
            {
                "test_texts": len(texts),
                "speed_pool_texts": len(pool),
                "speed_texts_repeat": k > len(pool) or args.n > len(pool),
                "speed_n": args.n,
                "natural_mean_chars": round(mean(nat), 1),
                "c300_mean_chars": round(mean(c300), 1),
            }
        )
    )


class ProfanityCheck:
    name = "profanity_check"

    def __init__(self):
        from profanity_check import predict_prob

        self.predict_prob = predict_prob

    def batch(self, texts):
        p = self.predict_prob(texts)
        return [(float(x), float(x)) for x in p]

    def one(self, text):
        return float(self.predict_prob([text])[0])


class HateSonar:
    name = "hatesonar"

    def __init__(self):
        import numpy as np
        from hatesonar import Sonar

        self.np = np
        self.sonar = Sonar()

    def batch(self, texts):
        out = []
        for i in range(0, len(texts), 1000):
            arr = self.np.array(texts[i : i + 1000], dtype=object)
            _, probs = self.sonar.sess.run(None, {"text": arr})
            # 0 hate_speech, 1 offensive_language, 2 neither
            out.extend((1.0 - float(p[2]), float(p[0])) for p in probs)
        return out

    def one(self, text):
        return self.sonar.ping(text)["classes"][0]["confidence"]


TOOLS = {"profanity_check": ProfanityCheck, "hatesonar": HateSonar}


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def speed(args):
    tool = TOOLS[args.tool]()
    texts = read_texts(args.texts)
    tool.batch(texts[:1000])  # warm
    # Whole passes, at least 2 s of work (as the Rust side does).
    t0 = time.perf_counter()
    n = 0
    while n == 0 or time.perf_counter() - t0 < 2.0:
        tool.batch(texts)
        n += len(texts)
    secs = time.perf_counter() - t0
    print(json.dumps({"tool": tool.name, "mode": "batch", "texts": args.texts, "n": n,
                      "secs": round(secs, 3), "per_s": round(n / secs)}))
    # One call per comment (the hook case); a slice, since it is slow.
    sl = texts[: args.one]
    for t in sl[:100]:
        tool.one(t)
    t0 = time.perf_counter()
    for t in sl:
        tool.one(t)
    secs = time.perf_counter() - t0
    print(json.dumps({"tool": tool.name, "mode": "one_call_per_comment", "texts": args.texts,
                      "n": len(sl), "secs": round(secs, 3), "per_s": round(len(sl) / secs)}))


def cli_speed(args):
    """Wall time of `commentguard score --format lines --output jsonl TEXTS > /dev/null`
    (start-up and model load included), best of --runs, after one warm-up run."""
    import subprocess

    cmd = args.cmd_prefix.split() + [args.bin, "score", "--format", "lines", "--output", "jsonl",
                                     "--quiet", args.texts]
    if args.no_reasons:
        cmd.insert(-1, "--no-reasons")
    n = len(read_texts(args.texts))
    best = None
    for i in range(args.runs + 1):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        secs = time.perf_counter() - t0
        if i > 0 and (best is None or secs < best):
            best = secs
    tool = "ours_cli_no_reasons" if args.no_reasons else "ours_cli"
    print(json.dumps({"tool": tool, "texts": args.texts, "n": n, "secs": round(best, 3),
                      "per_s": round(n / best), "cmd": " ".join(cmd)}))


def score(args):
    tool = TOOLS[args.tool]()
    out = tool.batch(read_texts(args.texts))
    with open(args.out, "w") as f:
        f.writelines(json.dumps({"toxic": a, "hateful": b}) + "\n" for a, b in out)


def load_scores(path):
    """Our CLI's JSONL (records with `id` = line number, `scores`) or the peers' plain lines."""
    rows = {}
    with open(path) as f:
        for i, line in enumerate(f):
            r = json.loads(line)
            if "scores" in r:
                rows[int(r["id"]) - 1] = (r["scores"]["toxic"], r["scores"]["identity_attack"])
            else:
                rows[i] = (r["toxic"], r["hateful"])
    return rows


def report(args):
    from sklearn.metrics import roc_auc_score

    out = args.out
    labels = [json.loads(l) for l in open(os.path.join(out, "test_labels.jsonl"))]
    speeds = [json.loads(l) for l in open(os.path.join(out, "speed.jsonl"))]
    tools = ["ours", "fasttext", "fasttext_words", "rustrict", "profanity_check", "hatesonar"]
    scores = {}
    for t in tools:
        p = os.path.join(out, f"scores.{t}.jsonl")
        if os.path.exists(p):
            scores[t] = load_scores(p)
    # (dataset, label) pairs with both classes present.
    cols = []
    for d in sorted({l["dataset"] for l in labels}):
        for lab in LABELS:
            ys = [l[lab] for l in labels if l["dataset"] == d and l[lab] is not None]
            if ys and 0 < sum(ys) < len(ys):
                cols.append((d, lab))
    auc = {}
    for t, s in scores.items():
        for d, lab in cols:
            j = 0 if lab == "toxic" else 1
            idx = [i for i, l in enumerate(labels) if l["dataset"] == d and l[lab] is not None]
            missing = [i for i in idx if i not in s]
            if missing:
                sys.exit(f"{t}: no score for {len(missing)} test texts (e.g. line {missing[0] + 1})")
            auc[(t, d, lab)] = roc_auc_score([labels[i][lab] for i in idx], [s[i][j] for i in idx])

    def per_s(tool, texts, mode):
        """The best of the rounds (the machine is shared: slower rounds are interference)."""
        xs = [r["per_s"] for r in speeds
              if r["tool"] == tool and r["texts"].endswith(texts) and r.get("mode", "") == mode]
        return max(xs) if xs else None

    rows = [
        ("ours (library, Moderator::probabilities)", "ours", "ours", ""),
        ("ours (CLI score --format lines --output jsonl)", "ours", "ours_cli", ""),
        ("ours (the same with --no-reasons)", "ours", "ours_cli_no_reasons", ""),
        ("fastText, char 2-5-grams (fasttext 0.8, pure Rust, our train rows)", "fasttext", "fasttext", ""),
        ("fastText, words + bigrams (same)", "fasttext_words", "fasttext_words", ""),
        ("rustrict 0.7", "rustrict", "rustrict", ""),
        ("alt-profanity-check (batch)", "profanity_check", "profanity_check", "batch"),
        ("alt-profanity-check (1 call/comment)", "", "profanity_check", "one_call_per_comment"),
        ("hatesonar (batch via its ONNX session)", "hatesonar", "hatesonar", "batch"),
        ("hatesonar (Sonar.ping, 1 call/comment)", "", "hatesonar", "one_call_per_comment"),
    ]
    ours300 = per_s("ours", "speed_300.txt", "")
    short = {"implicit_hate_elsherief2021": "implicit_hate", "implicit_identity_abuse_wiegand2022":
             "wiegand", "stormfront_degibert2018": "stormfront", "hatemoji_build": "hatemoji",
             "davidson2017": "davidson", "toxigen_seeds": "toxigen", "toxic_spans": "toxic_spans"}
    head = ["tool", "comments/s 300 chars", "× ours", "comments/s natural"] + [
        f"{short.get(d, d)} {'tox' if lab == 'toxic' else 'id_att'}" for d, lab in cols
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, score_key, speed_key, mode in rows:
        a = per_s(speed_key, "speed_300.txt", mode)
        b = per_s(speed_key, "speed_natural.txt", mode)
        if a is None and b is None:
            continue
        rel = f"{a / ours300:.3f}" if a and ours300 else "–"
        cells = [name, f"{a:,}" if a else "–", rel, f"{b:,}" if b else "–"]
        for d, lab in cols:
            v = auc.get((score_key, d, lab))
            cells.append(f"{v:.3f}" if v is not None else "")
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(out, "auc.json"), "w") as f:
        json.dump({"|".join(k): v for k, v in auc.items()}, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("splits")
    p.add_argument("out")
    p.add_argument("--n", type=int, default=20000)
    p = sub.add_parser("speed")
    p.add_argument("tool", choices=TOOLS)
    p.add_argument("texts")
    p.add_argument("--one", type=int, default=2000)
    p = sub.add_parser("cli-speed")
    p.add_argument("bin")
    p.add_argument("texts")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--cmd-prefix", default="taskset -c 0")
    p.add_argument("--no-reasons", action="store_true")
    p = sub.add_parser("score")
    p.add_argument("tool", choices=TOOLS)
    p.add_argument("texts")
    p.add_argument("out")
    p = sub.add_parser("report")
    p.add_argument("out")
    args = ap.parse_args()
    {"prepare": prepare, "speed": speed, "cli-speed": cli_speed, "score": score,
     "report": report}[args.cmd](args)


if __name__ == "__main__":
    main()
