#!/usr/bin/env python3
"""Builds the pairing benchmark pile from the shared gold data: every MAC-Dev chapter
and the Bible in chunks of --verses verses, each side written as its own .txt file
under a scrambled name, plus distractor files (about 20% of all files) whose
counterpart is left out. The gold pairs go to GOLD_TSV (Chinese file, English file).

Usage: make_pile.py SHARED_EVAL_DIR OUT_DIR GOLD_TSV [--verses 200] [--seed 11]
"""
import argparse
import os
import random

from goldsets import read_lines


def bible_chunks(eval_dir, verses_per_chunk):
    base = os.path.join(eval_dir, "bible")
    zh, en = read_lines(os.path.join(base, "zh", "001")), read_lines(os.path.join(base, "en", "001"))
    zv, ev = read_lines(os.path.join(base, "zh.verse")), read_lines(os.path.join(base, "en.verse"))
    order = []
    for verse in zv:
        if not order or order[-1] != verse:
            order.append(verse)
    chunks = []
    for k in range(0, len(order), verses_per_chunk):
        wanted = set(order[k:k + verses_per_chunk])
        chunks.append(([s for s, v in zip(zh, zv) if v in wanted], [s for s, v in zip(en, ev) if v in wanted]))
    return chunks


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir")
    parser.add_argument("out")
    parser.add_argument("gold")
    parser.add_argument("--verses", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = []
    mac = os.path.join(args.eval_dir, "mac-dev")
    for name in sorted(os.listdir(os.path.join(mac, "zh"))):
        docs.append((read_lines(os.path.join(mac, "zh", name)), read_lines(os.path.join(mac, "en", name))))
    docs.extend(bible_chunks(args.eval_dir, args.verses))
    rng.shuffle(docs)
    # d distractor files among 2p + d files is 20% when d = p / 2.
    distractors = round(len(docs) / 3)
    os.makedirs(args.out, exist_ok=True)
    used = set()

    def name():
        while True:
            candidate = "%08x.txt" % rng.getrandbits(32)
            if candidate not in used:
                used.add(candidate)
                return candidate

    def write(lines):
        file = name()
        with open(os.path.join(args.out, file), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return file

    gold = []
    for index, (zh, en) in enumerate(docs):
        if index < distractors:
            write(zh if index % 2 == 0 else en)
        else:
            gold.append((write(zh), write(en)))
    with open(args.gold, "w", encoding="utf-8") as f:
        for zh, en in sorted(gold):
            f.write(f"{zh}\t{en}\n")
    print(f"{len(gold)} pairs and {distractors} distractors ({2 * len(gold) + distractors} files) in {args.out}")


if __name__ == "__main__":
    main()
