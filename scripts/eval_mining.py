#!/usr/bin/env python3
"""Scores `tongwen mine --json` output against a hand-built gold list.

    scripts/eval_mining.py GOLD.tsv MINED.json [--judged JUDGED.tsv] [--source SRC.zh] [--top K]

GOLD.tsv: `kind<TAB>zh<TAB>en | en …` lines (`#` comments), kinds person, place,
organisation, brand (names) and concept. JUDGED.tsv: `zh<TAB>en<TAB>accept|reject<TAB>why`
for mined pairs the gold does not hold, judged by hand.

A mined pair matches a gold entry when its Chinese is the entry's and its English is
one of the entry's renderings, compared lowercase with curly apostrophes made straight
and a plural -s ignored. Prints recall per kind (and, with --source, per how many
source segments hold the entry), then precision of the top K pairs: by the gold, by the
judged file where the gold is silent, and the pairs neither judges.
"""
import argparse
import json
from collections import defaultdict


def fold(text):
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").strip()
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


def read_gold(path):
    gold = {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        kind, zh, renderings = line.split("\t")[:3]
        gold[zh] = (kind, {fold(r) for r in renderings.split("|")})
    return gold


def read_judged(path):
    judged = {}
    if not path:
        return judged
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        zh, en, verdict = line.split("\t")[:3]
        judged[(zh, fold(en))] = verdict == "accept"
    return judged


def band(count):
    return "seen once" if count == 1 else "seen twice" if count == 2 else "seen 3+ times"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("gold")
    parser.add_argument("mined")
    parser.add_argument("--judged")
    parser.add_argument("--source")
    parser.add_argument("--top", type=int, default=100)
    args = parser.parse_args()
    gold = read_gold(args.gold)
    judged = read_judged(args.judged)
    mined = json.load(open(args.mined, encoding="utf-8"))
    source = open(args.source, encoding="utf-8").read().split("\n") if args.source else None

    found = {zh for zh, (_, renderings) in gold.items()
             if any(p["zh"] == zh and fold(p["en"]) in renderings for p in mined)}
    totals, hits = defaultdict(int), defaultdict(int)
    for zh, (kind, _) in gold.items():
        group = "name" if kind != "concept" else "concept"
        keys = [group, f"{group}: {kind}"]
        if source:
            keys.append(f"{group}, {band(sum(1 for s in source if zh in s))}")
        for key in keys:
            totals[key] += 1
            hits[key] += zh in found
    print("recall")
    for key in sorted(totals):
        print(f"  {key}\t{hits[key]}/{totals[key]}\t{hits[key] / totals[key]:.3f}")

    top = mined[: args.top]
    right = wrong = 0
    unjudged = []
    for pair in top:
        entry = gold.get(pair["zh"])
        verdict = judged.get((pair["zh"], fold(pair["en"])))
        if entry and fold(pair["en"]) in entry[1]:
            right += 1
        elif verdict is not None:
            right += verdict
            wrong += not verdict
        elif entry:
            wrong += 1
        else:
            unjudged.append(pair)
    judged_count = right + wrong
    print(f"top {len(top)}: {right} acceptable, {wrong} not, {len(unjudged)} unjudged; "
          f"precision {right / max(judged_count, 1):.3f} of the judged")
    for pair in unjudged:
        print(f"  unjudged\t{pair['zh']}\t{pair['en']}\t{pair['score']:.3f}\t{pair['frequency']}")


if __name__ == "__main__":
    main()
