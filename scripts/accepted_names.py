#!/usr/bin/env python3
"""Prints the ids of the candidate names of a store that a reviewer would approve: the
mined name pairs the gold list or the judged file accepts (as `eval_mining.py` compares
them). The benchmark approves them to measure mining once reviewed names are words.

    scripts/accepted_names.py MINED.json LISTED.json GOLD.tsv [JUDGED.tsv]

MINED.json is `tongwen mine --json` output (which pairs are names), LISTED.json
`tongwen terms list --json --state candidate --limit 1000000` (their concept ids).
"""
import json
import sys

from eval_mining import fold, read_gold, read_judged


def main():
    mined_path, listed_path, gold_path = sys.argv[1:4]
    judged = read_judged(sys.argv[4] if len(sys.argv) > 4 else None)
    gold = read_gold(gold_path)
    names = {p["zh"]: p["en"] for p in json.load(open(mined_path, encoding="utf-8")) if p["name"]}
    for row in json.load(open(listed_path, encoding="utf-8")):
        terms = {section["lang"]: section["terms"] for section in row["concept"]["languages"]}
        zh = terms.get("zh", [{}])[0].get("text")
        if zh not in names:
            continue
        en = fold(names[zh])
        accepted = judged.get((zh, en))
        if accepted is None and zh in gold:
            accepted = en in gold[zh][1]
        if accepted:
            print(row["id"])


if __name__ == "__main__":
    main()
