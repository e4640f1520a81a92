#!/usr/bin/env python3
"""Fits the weights of a mined pair's score (crates/terms/src/calibration.rs) on
hand-labelled mining runs, and prints the reliability table.

    scripts/fit_calibration.py RUN [RUN …] [--folds 5] [--unlabelled N]

RUN is `MINED.json:GOLD.tsv:JUDGED.tsv` (GOLD may be empty: `mined.json::judged.tsv`),
`MINED.json` the output of `tongwen mine --json --top 1000000`. A pair is labelled
accepted when the gold holds its Chinese with its English or the judged file accepts
it; rejected when the judged file rejects it or the gold holds its Chinese with other
renderings only (see eval_mining.py for how English is compared). Other pairs are
left out; `--unlabelled N` prints N of them, drawn at random with a fixed seed, to be
judged by hand and added to a judged file.

First the script checks that the weights now in calibration.rs, applied to the
features as defined here, give the scores `mine` printed: the two definitions of the
features must agree. Then it fits the weights by L2-regularised logistic regression
(Newton's method), prints the reliability table of out-of-fold predictions (each pair
scored by weights fitted without its fold, folds by Chinese term) and of the final
weights, and prints the final weights as a Rust array for calibration.rs.
"""
import argparse
import json
import math
import random
import re
from pathlib import Path

from eval_mining import fold, read_gold, read_judged

CALIBRATION = Path(__file__).resolve().parent.parent / "crates/terms/src/calibration.rs"
NAMES = ["intercept", "agreement", "whole agreement", "read off a gap", "consistency", "ln(1 + support)", "share", "spelled", "dictionary word", "name", "ln(1 + termhood)",
         "ln(Chinese characters)", "ln(English words)"]
FLAGGED_ONLY_CEILING, LOWEST, HIGHEST, WHOLE_AGREEMENT = 0.5, 0.01, 0.99, 0.999
L2 = 1.0


def features(pair):
    """Mirrors `features` in calibration.rs."""
    s = pair["signals"]
    return [
        1.0,
        s["agreement"],
        float(s["agreement"] >= WHOLE_AGREEMENT),
        float(s["from_gap"]),
        s["consistency"],
        math.log1p(max(s["support"], 0.0)),
        min(s["share"], 1.0),
        float(s["spelled"]),
        float(s["dictionary_word"]),
        float(pair["name"]),
        math.log1p(max(pair["termhood"], 0.0)),
        math.log(len(pair["zh"])),
        math.log(max(len(pair["en"].split()), 1)),
    ]


def current_weights():
    source = CALIBRATION.read_text(encoding="utf-8")
    body = re.search(r"const WEIGHTS: \[f32; FEATURES\] = \[(.*?)\];", source, re.S).group(1)
    return [float(w) for w in body.replace("\n", " ").split(",") if w.strip()]


def probability(weights, x):
    z = sum(w * v for w, v in zip(weights, x))
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


def score(weights, pair):
    p = probability(weights, features(pair))
    if pair["signals"]["flagged_share"] >= 1.0:
        p = min(p, FLAGGED_ONLY_CEILING)
    return min(max(p, LOWEST), HIGHEST)


def solve(matrix, vector):
    """Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[col][col]:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


def fit(rows):
    """L2-regularised logistic regression (intercept not penalised), Newton steps."""
    n = len(rows[0][0])
    w = [0.0] * n
    for _ in range(50):
        gradient = [0.0] * n
        hessian = [[0.0] * n for _ in range(n)]
        for x, y in rows:
            p = probability(w, x)
            for i in range(n):
                gradient[i] += (p - y) * x[i]
                for j in range(n):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, n):
            gradient[i] += L2 * w[i]
            hessian[i][i] += L2
        step = solve(hessian, gradient)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def labelled(run):
    mined_path, gold_path, judged_path = run.split(":")
    mined = json.load(open(mined_path, encoding="utf-8"))
    gold = read_gold(gold_path) if gold_path else {}
    judged = read_judged(judged_path)
    rows, unlabelled = [], []
    for pair in mined:
        entry = gold.get(pair["zh"])
        verdict = judged.get((pair["zh"], fold(pair["en"])))
        if entry and fold(pair["en"]) in entry[1]:
            label = 1
        elif verdict is not None:
            label = int(verdict)
        elif entry:
            label = 0
        else:
            unlabelled.append(pair)
            continue
        rows.append((pair, label))
    return mined, rows, unlabelled


def reliability(title, scored):
    print(f"{title}: {len(scored)} pairs, {sum(y for _, y in scored)} accepted")
    print("  score bin    pairs  accepted  observed  mean score")
    for low in [i / 10 for i in range(10)]:
        high = low + 0.1
        inside = [(p, y) for p, y in scored if low <= p < high or (high >= 1.0 and p >= low)]
        if inside:
            observed = sum(y for _, y in inside) / len(inside)
            mean = sum(p for p, _ in inside) / len(inside)
            print(f"  {low:.1f}–{high:.1f}  {len(inside):7d}  {sum(y for _, y in inside):8d}"
                  f"  {observed:8.3f}  {mean:10.3f}")
    brier = sum((p - y) ** 2 for p, y in scored) / len(scored)
    print(f"  Brier score {brier:.4f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--unlabelled", type=int, default=0)
    args = parser.parse_args()

    weights = current_weights()
    if len(weights) != len(NAMES):
        raise SystemExit(f"calibration.rs has {len(weights)} weights, this script {len(NAMES)}")
    rows = []
    for run in args.runs:
        mined, run_rows, unlabelled = labelled(run)
        drift = max(abs(score(weights, p) - p["score"]) for p in mined)
        if drift > 1e-3:
            raise SystemExit(f"{run}: features here and in calibration.rs disagree "
                             f"(scores differ by up to {drift:.4f})")
        print(f"{run.split(':')[0]}: {len(mined)} pairs, {len(run_rows)} labelled")
        rows.extend(run_rows)
        if args.unlabelled:
            for pair in random.Random(12).sample(unlabelled, min(args.unlabelled, len(unlabelled))):
                print(f"  unlabelled\t{pair['zh']}\t{pair['en']}\t{pair['score']:.3f}\t{pair['frequency']}")

    # Folds by Chinese term, so that one term's pairs from two runs share a fold.
    terms = sorted({pair["zh"] for pair, _ in rows})
    random.Random(7).shuffle(terms)
    fold_of = {zh: k % args.folds for k, zh in enumerate(terms)}
    out_of_fold = []
    for k in range(args.folds):
        train = [(features(p), y) for p, y in rows if fold_of[p["zh"]] != k]
        w = fit(train)
        out_of_fold += [(score(w, p), y) for p, y in rows if fold_of[p["zh"]] == k]
    reliability(f"before fitting (weights now in calibration.rs)",
                [(score(weights, p), y) for p, y in rows])
    reliability(f"out of fold ({args.folds} folds by Chinese term)", out_of_fold)
    final = fit([(features(p), y) for p, y in rows])
    reliability("final weights, on the pairs they were fitted on",
                [(score(final, p), y) for p, y in rows])
    for name, w in zip(NAMES, final):
        print(f"  {name:24s} {w:8.3f}")
    print("const WEIGHTS: [f32; FEATURES] = [")
    print("    " + ", ".join(f"{w:.3f}" for w in final) + ",")
    print("];")


if __name__ == "__main__":
    main()
