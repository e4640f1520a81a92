#!/usr/bin/env python3
"""Builds a condensed-translation benchmark from gold-aligned data, with its gold kept
by construction: the real-world case of an English release that drops, merges and
adds material relative to its Chinese original.

For every source document (a MAC-Dev chapter, or a chunk of the Bible of --chunk
gold beads) it
  * drops the English side of a quarter of the non-null beads (their Chinese
    sentences become 1-0 beads),
  * merges some pairs of neighbouring English sentences into one line (their beads
    merge into one),
  * inserts a few foreign English lines taken from another document (0-1 beads).

Output: OUT/zh/NAME, OUT/en/NAME (one sentence a line), OUT/gold/NAME.align and, for
the Bible, OUT/zh-verse/NAME and OUT/en-verse/NAME (foreign lines get verse ids of
their own), so that `tongwen eval` can merge beads within verses.

Usage: make_condensed.py SHARED_EVAL_DIR {mac-dev|bible} OUT [--seed N] [--chunk N]
"""
import argparse
import os
import random

from goldsets import read_lines, parse_align


def sources(eval_dir, kind, chunk):
    """Yields (name, zh lines, en lines, gold beads, zh verses, en verses)."""
    base = os.path.join(eval_dir, kind)
    if kind == "mac-dev":
        for name in sorted(os.listdir(os.path.join(base, "zh"))):
            zh = read_lines(os.path.join(base, "zh", name))
            en = read_lines(os.path.join(base, "en", name))
            yield name, zh, en, parse_align(os.path.join(base, "gold", name + ".align")), None, None
        return
    zh = read_lines(os.path.join(base, "zh", "001"))
    en = read_lines(os.path.join(base, "en", "001"))
    zv = read_lines(os.path.join(base, "zh.verse"))
    ev = read_lines(os.path.join(base, "en.verse"))
    beads = parse_align(os.path.join(base, "gold", "001.align"))
    for k in range(0, len(beads), chunk):
        part = beads[k:k + chunk]
        zs = [i for z, _ in part for i in z]
        es = [j for _, e in part for j in e]
        if not zs or not es:
            continue
        z0, e0 = min(zs), min(es)
        local = [([i - z0 for i in z], [j - e0 for j in e]) for z, e in part]
        yield (f"{k // chunk:03d}", zh[z0:max(zs) + 1], en[e0:max(es) + 1], local,
               zv[z0:max(zs) + 1], ev[e0:max(es) + 1])


def condense(rng, zh, en, beads, zv, ev, foreign_pool):
    out_en, out_ev, gold = [], [], []
    pending_merge = False
    for z, e in beads:
        if z and e and rng.random() < 0.25:
            gold.extend(([i], []) for i in z)
            pending_merge = False
            continue
        new_e = []
        for j in e:
            if pending_merge and out_en and gold and gold[-1][1] and rng.random() < 0.5:
                # Join this sentence onto the previous English line: the beads merge.
                out_en[-1] = out_en[-1] + " " + en[j]
                prev_z, prev_e = gold.pop()
                z = prev_z + z
                new_e = prev_e + new_e
                pending_merge = False
                continue
            out_en.append(en[j])
            if ev is not None:
                out_ev.append(ev[j])
            new_e.append(len(out_en) - 1)
        gold.append((z, new_e))
        pending_merge = rng.random() < 0.2
        if rng.random() < 0.03:
            out_en.append(rng.choice(foreign_pool))
            if ev is not None:
                out_ev.append(f"foreign:{len(out_en)}")
            gold.append(([], [len(out_en) - 1]))
            pending_merge = False
    return out_en, out_ev, gold


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir")
    parser.add_argument("kind", choices=["mac-dev", "bible"])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--chunk", type=int, default=150)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = list(sources(args.eval_dir, args.kind, args.chunk))
    for sub in ["zh", "en", "gold"] + (["zh-verse", "en-verse"] if args.kind == "bible" else []):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
    for index, (name, zh, en, beads, zv, ev) in enumerate(docs):
        other = docs[(index + len(docs) // 2) % len(docs)] if len(docs) > 1 else docs[0]
        foreign_pool = [line for line in other[2] if len(line) > 20] or ["An unrelated line."]
        out_en, out_ev, gold = condense(rng, zh, en, beads, zv, ev, foreign_pool)
        with open(os.path.join(args.out, "zh", name), "w", encoding="utf-8") as f:
            f.write("\n".join(zh) + "\n")
        with open(os.path.join(args.out, "en", name), "w", encoding="utf-8") as f:
            f.write("\n".join(out_en) + "\n")
        with open(os.path.join(args.out, "gold", name + ".align"), "w", encoding="utf-8") as f:
            for z, e in gold:
                f.write("[%s]:[%s]\n" % (",".join(map(str, z)), ",".join(map(str, e))))
        if zv is not None:
            with open(os.path.join(args.out, "zh-verse", name), "w", encoding="utf-8") as f:
                f.write("\n".join(zv) + "\n")
            with open(os.path.join(args.out, "en-verse", name), "w", encoding="utf-8") as f:
                f.write("\n".join(out_ev) + "\n")
    print(f"{len(docs)} documents written to {args.out}")


if __name__ == "__main__":
    main()
