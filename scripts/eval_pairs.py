#!/usr/bin/env python3
"""Precision and recall of `tongwen pairs --format tsv` output against a gold TSV of
(Chinese file, English file) pairs; files are compared by base name.

Usage: eval_pairs.py FOUND_TSV GOLD_TSV
"""
import os
import sys


def pairs(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2:
                out.add((os.path.basename(fields[0]), os.path.basename(fields[1])))
    return out


found, gold = pairs(sys.argv[1]), pairs(sys.argv[2])
correct = len(found & gold)
precision = correct / len(found) if found else 0.0
recall = correct / len(gold) if gold else 0.0
print(f"found {len(found)}, gold {len(gold)}, correct {correct}")
print(f"precision {precision:.4f}  recall {recall:.4f}")
