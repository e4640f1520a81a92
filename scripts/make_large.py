#!/usr/bin/env python3
"""Builds a large synthetic Chinese-English pair (one sentence a line) with its gold,
for measuring the aligner's time and memory at scale: blocks of 40 consecutive gold
beads, drawn from the Bible and every MAC-Dev chapter in a shuffled order and
repeated, until the Chinese side has --sentences lines.

Usage: make_large.py SHARED_EVAL_DIR OUT_DIR --sentences N [--seed S]
Writes OUT_DIR/zh/NAME, OUT_DIR/en/NAME and OUT_DIR/gold/NAME.align, NAME = large-N.
"""
import argparse
import os
import random

from goldsets import read_lines, parse_align


def blocks(eval_dir, size):
    sets = [("bible", "001")] + [("mac-dev", n) for n in sorted(os.listdir(os.path.join(eval_dir, "mac-dev", "zh")))]
    out = []
    for kind, name in sets:
        base = os.path.join(eval_dir, kind)
        zh = read_lines(os.path.join(base, "zh", name))
        en = read_lines(os.path.join(base, "en", name))
        beads = parse_align(os.path.join(base, "gold", name + ".align"))
        for k in range(0, len(beads), size):
            out.append([([zh[i] for i in z], [en[j] for j in e]) for z, e in beads[k:k + size]])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir")
    parser.add_argument("out")
    parser.add_argument("--sentences", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = blocks(args.eval_dir, 40)
    zh_out, en_out, gold = [], [], []
    order = []
    while len(zh_out) < args.sentences:
        if not order:
            order = list(range(len(pool)))
            rng.shuffle(order)
        for zh_group, en_group in pool[order.pop()]:
            z = list(range(len(zh_out), len(zh_out) + len(zh_group)))
            e = list(range(len(en_out), len(en_out) + len(en_group)))
            zh_out.extend(zh_group)
            en_out.extend(en_group)
            gold.append((z, e))
    name = f"large-{args.sentences}"
    for sub in ("zh", "en", "gold"):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
    with open(os.path.join(args.out, "zh", name), "w", encoding="utf-8") as f:
        f.write("\n".join(zh_out) + "\n")
    with open(os.path.join(args.out, "en", name), "w", encoding="utf-8") as f:
        f.write("\n".join(en_out) + "\n")
    with open(os.path.join(args.out, "gold", name + ".align"), "w", encoding="utf-8") as f:
        for z, e in gold:
            f.write("[%s]:[%s]\n" % (",".join(map(str, z)), ",".join(map(str, e))))
    print(f"{name}: {len(zh_out)} Chinese and {len(en_out)} English sentences in {args.out}")


if __name__ == "__main__":
    main()
