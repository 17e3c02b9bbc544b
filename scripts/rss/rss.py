"""Peak-memory measurement for streaming archives (issue 4). Run through run.sh.

  rss.py gen CSV_DIR OUT.jsonl --mb N [--seed S]
      writes ~N MB of our JSONL (thread, id, parent, author, time, text), many threads of
      varied size and depth, texts drawn from the `text` column of every CSV in CSV_DIR (bar the
      conversationai_* identity templates)
  rss.py run LABEL -- CMD...
      runs CMD with stdout to /dev/null, samples VmRSS from /proc every 0.2 s, and prints one
      JSON line: peak RSS (wait4's ru_maxrss, and the highest VmHWM seen), wall time, and
      VmRSS at each tenth of the run (to show whether it climbs as the input is read)
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in scripts/lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from splits import csv_rows  # noqa: E402


def gen(args):
    # Bar the identity templates: not comment-like.
    rows = csv_rows(args.csv_dir, skip=("conversationai_",))
    texts = [r["text"] for _, r in rows if r["text"].strip()]
    if not texts:
        sys.exit(f"no texts in {args.csv_dir}/*.csv")
    rng = random.Random(args.seed)
    target = args.mb * 1_000_000
    written = threads = comments = 0
    t = 1_700_000_000
    with open(args.out, "w", encoding="utf-8") as f:
        while written < target:
            threads += 1
            tid = f"post-{threads}"
            # Thread sizes: mostly small, a long tail (up to 2,000 comments).
            n = min(2000, int(rng.paretovariate(1.2) * 3))
            ids = []
            for _ in range(n):
                comments += 1
                cid = f"c{comments}"
                parent = None
                if ids and rng.random() < 0.6:
                    # Replies favour recent comments, which makes deep chains as well as fans.
                    parent = ids[max(0, len(ids) - 1 - int(rng.expovariate(0.3)))]
                t += rng.randint(1, 600)
                rec = {
                    "thread": tid,
                    "id": cid,
                    "parent": parent,
                    "author": f"user{rng.randint(1, 50_000)}",
                    "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                    "text": rng.choice(texts),
                }
                line = json.dumps(rec, ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
                ids.append(cid)
    print(json.dumps({"file": args.out, "bytes": written, "threads": threads, "comments": comments,
                      "source_texts": len(texts)}))


def vm(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def run(args):
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    samples, hwm = [], 0
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        r = vm(p.pid, "VmRSS")
        h = vm(p.pid, "VmHWM")
        if r is not None:
            samples.append((time.perf_counter() - t0, r))
        if h:
            hwm = max(hwm, h)
        time.sleep(0.2)
    secs = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    tenths = []
    if samples:
        for k in range(1, 11):
            cut = secs * k / 10
            before = [r for (t, r) in samples if t <= cut]
            tenths.append(round((before[-1] if before else samples[0][1]) / 1024, 1))
    print(json.dumps({"label": args.label, "exit": code, "secs": round(secs, 1),
                      "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),
                      "vmhwm_mb": round(hwm / 1024, 1), "rss_mb_by_tenth": tenths,
                      "cmd": " ".join(cmd)}))
    if code != 0:
        sys.exit(code)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd_name", required=True)
    g = sub.add_parser("gen")
    g.add_argument("csv_dir")
    g.add_argument("out")
    g.add_argument("--mb", type=int, required=True)
    g.add_argument("--seed", type=int, default=0)
    r = sub.add_parser("run")
    r.add_argument("label")
    r.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    gen(args) if args.cmd_name == "gen" else run(args)


if __name__ == "__main__":
    main()
