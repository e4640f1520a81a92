#!/usr/bin/env python3
"""Builds the corpus scale benchmark: about --pairs aligned sentence pairs as JSON Lines
stories (a Chinese and an English record sharing a `pair` key), made of blocks of 20
consecutive gold beads of the Bible and MAC-Dev, each story opened by a numbered
headline so that every story is distinct; and a fixed set of 200 concordance queries
(Chinese and English, words and phrases) drawn from the same text.

Usage: make_million.py SHARED_EVAL_DIR OUT_DIR [--pairs 1000000] [--seed 5]
Writes OUT_DIR/jsonl/part-NNN.jsonl and OUT_DIR/queries.txt (one query a line).
"""
import argparse
import json
import os
import random

from goldsets import read_lines, parse_align
import re


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir")
    parser.add_argument("out")
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    blocks = []
    sets = [("bible", "001")] + [("mac-dev", n) for n in sorted(os.listdir(os.path.join(args.eval_dir, "mac-dev", "zh")))]
    for kind, name in sets:
        base = os.path.join(args.eval_dir, kind)
        zh, en = read_lines(os.path.join(base, "zh", name)), read_lines(os.path.join(base, "en", name))
        beads = [(z, e) for z, e in parse_align(os.path.join(base, "gold", name + ".align")) if z and e]
        for k in range(0, len(beads) - 20, 20):
            blocks.append([("".join(zh[i] for i in z), " ".join(en[j] for j in e)) for z, e in beads[k:k + 20]])
    os.makedirs(os.path.join(args.out, "jsonl"), exist_ok=True)
    stories = args.pairs // 21
    per_file = 1000
    for part in range(0, stories, per_file):
        with open(os.path.join(args.out, "jsonl", f"part-{part // per_file:03d}.jsonl"), "w", encoding="utf-8") as f:
            for n in range(part, min(part + per_file, stories)):
                block = blocks[n % len(blocks)]
                zh = f"第{n}号故事\n" + "\n".join(z for z, _ in block)
                en = f"Story number {n}\n" + "\n".join(e for _, e in block)
                day = 1 + n % 28
                for lang, text in (("zh", zh), ("en", en)):
                    f.write(json.dumps({"text": text, "lang": lang, "pair": f"s{n}", "source": ["Bible", "Novel"][n % 2], "published": f"2024-{1 + n % 12:02d}-{day:02d}"}, ensure_ascii=False) + "\n")
    sample = [pair for block in blocks for pair in block]
    queries = []
    while len(queries) < 200:
        zh, en = rng.choice(sample)
        kind = len(queries) % 4
        if kind == 0:
            runs = re.findall(r"[\u4e00-\u9fff]{2,}", zh)
            if runs:
                run = rng.choice(runs)
                start = rng.randrange(0, len(run) - 1)
                queries.append(run[start:start + 2])
        elif kind == 1:
            runs = [r for r in re.findall(r"[\u4e00-\u9fff]{4,}", zh)]
            if runs:
                run = rng.choice(runs)
                start = rng.randrange(0, len(run) - 3)
                queries.append(run[start:start + 4])
        elif kind == 2:
            words = [w for w in re.findall(r"[A-Za-z]{4,}", en)]
            if words:
                queries.append(rng.choice(words).lower())
        else:
            words = re.findall(r"[A-Za-z]+", en)
            if len(words) >= 3:
                start = rng.randrange(0, len(words) - 2)
                queries.append('"' + " ".join(words[start:start + 3]) + '"')
    with open(os.path.join(args.out, "queries.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    print(f"{stories} stories ({stories * 21} sentence pairs) and {len(queries)} queries in {args.out}")


if __name__ == "__main__":
    main()
