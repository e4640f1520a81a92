//! Dynamic programming over the band: which sentences match where, and what every
//! candidate bead is worth.

use crate::band::Band;
use crate::links::{LinkTable, Tier};
use crate::model::Model;

/// Matches between one Chinese and one English sentence: positions (in each
/// sentence's token set) that found a counterpart, with the link tier.
pub(crate) struct Cells {
    from: Vec<usize>,
    to: Vec<usize>,
    base: Vec<usize>,
    zh_offsets: Vec<u32>,
    en_offsets: Vec<u32>,
    zh_hits: Vec<(u32, Tier)>,
    en_hits: Vec<(u32, Tier)>,
}

impl Cells {
    /// Matches every sentence pair a bead inside `band` can contain.
    pub fn build(table: &LinkTable, band: &Band, max_zh: usize, max_en: usize) -> Cells {
        let (n, m) = (table.zh_sets.len(), table.en_sets.len());
        let mut cells = Cells {
            from: Vec::with_capacity(n),
            to: Vec::with_capacity(n),
            base: Vec::with_capacity(n + 1),
            zh_offsets: vec![0],
            en_offsets: vec![0],
            zh_hits: Vec::new(),
            en_hits: Vec::new(),
        };
        let mut stamp = vec![0u32; table.en_tokens.len()];
        let mut position = vec![0u32; table.en_tokens.len()];
        let mut current = 0u32;
        let mut total = 0usize;
        for s in 0..n {
            let from = band.lo[s + 1].saturating_sub(max_en);
            let to = band.hi[(s + max_zh).min(n)].min(m).max(from);
            cells.from.push(from);
            cells.to.push(to);
            cells.base.push(total);
            total += to - from;
            for e in from..to {
                current += 1;
                for (p, &u) in table.en_sets[e].iter().enumerate() {
                    stamp[u as usize] = current;
                    position[u as usize] = p as u32;
                }
                for (p, &t) in table.zh_sets[s].iter().enumerate() {
                    for &(u, tier) in &table.links[t as usize] {
                        if stamp[u as usize] == current {
                            cells.zh_hits.push((p as u32, tier));
                            cells.en_hits.push((position[u as usize], tier));
                        }
                    }
                }
                cells.zh_offsets.push(cells.zh_hits.len() as u32);
                cells.en_offsets.push(cells.en_hits.len() as u32);
            }
        }
        cells.base.push(total);
        cells
    }

    fn index(&self, s: usize, e: usize) -> Option<usize> {
        (s < self.from.len() && self.from[s] <= e && e < self.to[s])
            .then(|| self.base[s] + e - self.from[s])
    }

    pub fn zh_hits(&self, s: usize, e: usize) -> &[(u32, Tier)] {
        self.index(s, e).map_or(&[], |c| {
            &self.zh_hits[self.zh_offsets[c] as usize..self.zh_offsets[c + 1] as usize]
        })
    }

    pub fn en_hits(&self, s: usize, e: usize) -> &[(u32, Tier)] {
        self.index(s, e).map_or(&[], |c| {
            &self.en_hits[self.en_offsets[c] as usize..self.en_offsets[c + 1] as usize]
        })
    }
}

/// Scores beads from the cells, the model and per-sentence prefix sums.
pub(crate) struct Scorer<'a> {
    pub table: &'a LinkTable,
    pub cells: &'a Cells,
    pub model: &'a Model,
    pub length_weight: f32,
    zh_length: Vec<f64>,
    en_length: Vec<f64>,
    zh_miss: Vec<f64>,
    en_miss: Vec<f64>,
    zh_size: Vec<f64>,
    en_size: Vec<f64>,
    zh_mean_size: f64,
    en_mean_size: f64,
    /// Match value of each token position by tier (none, weak, strong), laid out like
    /// the sentence sets so that the hot loop needs no id lookups.
    zh_position_values: Vec<[f64; 3]>,
    zh_position_start: Vec<usize>,
    en_position_values: Vec<[f64; 3]>,
    en_position_start: Vec<usize>,
    tier_weight: [f64; 3],
}

fn position_values(sets: &[Vec<u32>], strong: &[f32], weak: &[f32]) -> (Vec<[f64; 3]>, Vec<usize>) {
    let mut values = Vec::with_capacity(sets.iter().map(Vec::len).sum());
    let mut starts = Vec::with_capacity(sets.len());
    for set in sets {
        starts.push(values.len());
        values.extend(set.iter().map(|&id| {
            [
                0.0,
                f64::from(weak[id as usize]),
                f64::from(strong[id as usize]),
            ]
        }));
    }
    (values, starts)
}

fn prefix(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut out = vec![0.0];
    let mut sum = 0.0;
    for v in values {
        sum += v;
        out.push(sum);
    }
    out
}

/// Reusable buffers for [`Scorer::shape_scores`].
#[derive(Default)]
pub(crate) struct Scratch {
    best: Vec<Vec<u8>>,
    values: Vec<f64>,
    counts: Vec<f64>,
    en_values: Vec<f64>,
    en_counts: Vec<f64>,
}

/// Lexical evidence of one bead, both sides together.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Evidence {
    pub lexical: f64,
    pub length: f64,
}

impl<'a> Scorer<'a> {
    pub fn new(
        table: &'a LinkTable,
        cells: &'a Cells,
        model: &'a Model,
        zh_lengths: &[usize],
        en_lengths: &[usize],
        weak_weight: f32,
        length_weight: f32,
    ) -> Scorer<'a> {
        let linkable = |set: &Vec<u32>, miss: &[f32]| {
            set.iter().filter(|&&t| miss[t as usize] != 0.0).count() as f64
        };
        let zh_size = prefix(table.zh_sets.iter().map(|s| linkable(s, &model.zh.miss)));
        let en_size = prefix(table.en_sets.iter().map(|s| linkable(s, &model.en.miss)));
        let mean = |p: &Vec<f64>| {
            (p.last().copied().unwrap_or(0.0) / (p.len().max(2) - 1) as f64).max(1.0)
        };
        let (zh_position_values, zh_position_start) =
            position_values(&table.zh_sets, &model.zh.strong, &model.zh.weak);
        let (en_position_values, en_position_start) =
            position_values(&table.en_sets, &model.en.strong, &model.en.weak);
        Scorer {
            zh_position_values,
            zh_position_start,
            en_position_values,
            en_position_start,
            tier_weight: [0.0, f64::from(weak_weight), 1.0],
            table,
            cells,
            model,
            length_weight,
            zh_length: prefix(zh_lengths.iter().map(|&l| l as f64)),
            en_length: prefix(en_lengths.iter().map(|&l| l as f64)),
            zh_miss: prefix(table.zh_sets.iter().map(|s| {
                s.iter()
                    .map(|&t| f64::from(model.zh.miss[t as usize]))
                    .sum()
            })),
            en_miss: prefix(table.en_sets.iter().map(|s| {
                s.iter()
                    .map(|&u| f64::from(model.en.miss[u as usize]))
                    .sum()
            })),
            zh_mean_size: mean(&zh_size),
            en_mean_size: mean(&en_size),
            zh_size,
            en_size,
        }
    }

    /// Gale–Church style length term of a bead (≤ 0).
    pub fn length_term(&self, zh: std::ops::Range<usize>, en: std::ops::Range<usize>) -> f64 {
        let lz = self.zh_length[zh.end] - self.zh_length[zh.start];
        let le = self.en_length[en.end] - self.en_length[en.start];
        let c = f64::from(self.model.length_ratio);
        let delta = (le - c * lz)
            / (f64::from(self.model.length_variance) * (c * lz + le) / 2.0 + 1.0).sqrt();
        -f64::from(self.length_weight) * (delta * delta / 2.0).min(12.0)
    }

    /// Adds one sentence pair's matches to a sentence's running union: each token
    /// position counts once, at the best tier any sentence of the group gave it, so
    /// `value` and `count` grow only by what the new matches improve.
    #[inline]
    fn raise(
        &self,
        best: &mut [u8],
        position_values: &[[f64; 3]],
        hits: &[(u32, Tier)],
        value: &mut f64,
        count: &mut f64,
    ) {
        for &(p, tier) in hits {
            let (p, tier) = (p as usize, tier as usize);
            let old = best[p] as usize;
            if tier > old {
                let values = &position_values[p];
                *value += values[tier] - values[old];
                *count += self.tier_weight[tier] - self.tier_weight[old];
                best[p] = tier as u8;
            }
        }
    }

    /// Scores of every shape `(a, b)` of bead ending at row `i`, column `j`, written to
    /// `out` (`f64::NEG_INFINITY` where the shape does not fit).
    pub fn shape_scores(
        &self,
        (i, j): (usize, usize),
        shapes: &Shapes,
        scratch: &mut Scratch,
        out: &mut [(f64, Evidence)],
    ) {
        let (max_zh, max_en) = (shapes.max_zh, shapes.max_en);
        let amax = max_zh.min(i);
        let bmax = max_en.min(j);
        let stride = max_en + 1;
        scratch.values.clear();
        scratch.values.resize((max_zh + 1) * stride, 0.0);
        scratch.counts.clear();
        scratch.counts.resize((max_zh + 1) * stride, 0.0);
        scratch.best.resize_with(max_zh.max(max_en), Vec::new);
        // Chinese side: for each sentence i-1-k, its matches against the last b English sentences.
        for k in 0..amax {
            let s = i - 1 - k;
            let set = &self.table.zh_sets[s];
            let position_values = &self.zh_position_values[self.zh_position_start[s]..];
            let best = &mut scratch.best[k];
            best.clear();
            best.resize(set.len(), 0);
            let (mut value, mut count) = (0.0, 0.0);
            for b in 1..=bmax.min(shapes.en_reach[k]) {
                self.raise(
                    best,
                    position_values,
                    self.cells.zh_hits(s, j - b),
                    &mut value,
                    &mut count,
                );
                scratch.values[k * stride + b] = value;
                scratch.counts[k * stride + b] = count;
            }
        }
        let zstride = max_zh + 1;
        scratch.en_values.clear();
        scratch.en_values.resize((max_en + 1) * zstride, 0.0);
        scratch.en_counts.clear();
        scratch.en_counts.resize((max_en + 1) * zstride, 0.0);
        for k in 0..bmax {
            let e = j - 1 - k;
            let set = &self.table.en_sets[e];
            let position_values = &self.en_position_values[self.en_position_start[e]..];
            let best = &mut scratch.best[k];
            best.clear();
            best.resize(set.len(), 0);
            let (mut value, mut count) = (0.0, 0.0);
            for a in 1..=amax.min(shapes.zh_reach[k]) {
                self.raise(
                    best,
                    position_values,
                    self.cells.en_hits(i - a, e),
                    &mut value,
                    &mut count,
                );
                scratch.en_values[k * zstride + a] = value;
                scratch.en_counts[k * zstride + a] = count;
            }
        }
        // Chance correction: ln of each side's size in average sentences, per group size.
        let mut ln_en_units = [0.0f64; 16];
        let mut ln_zh_units = [0.0f64; 16];
        for (b, slot) in ln_en_units
            .iter_mut()
            .enumerate()
            .take(bmax.min(15) + 1)
            .skip(1)
        {
            *slot = ((self.en_size[j] - self.en_size[j - b]) / self.en_mean_size)
                .max(0.3)
                .ln();
        }
        for (a, slot) in ln_zh_units
            .iter_mut()
            .enumerate()
            .take(amax.min(15) + 1)
            .skip(1)
        {
            *slot = ((self.zh_size[i] - self.zh_size[i - a]) / self.zh_mean_size)
                .max(0.3)
                .ln();
        }
        for ((slot, &(a, b)), &prior) in out
            .iter_mut()
            .zip(&shapes.list)
            .zip(&self.model.shape_log_prior)
        {
            if a > i || b > j {
                *slot = (f64::NEG_INFINITY, Evidence::default());
                continue;
            }
            let prior = f64::from(prior);
            if a == 0 || b == 0 {
                *slot = (prior, Evidence::default());
                continue;
            }
            let (mut zv, mut zc) = (0.0, 0.0);
            for k in 0..a {
                zv += scratch.values[k * stride + b];
                zc += scratch.counts[k * stride + b];
            }
            let (mut ev, mut ec) = (0.0, 0.0);
            for k in 0..b {
                ev += scratch.en_values[k * zstride + a];
                ec += scratch.en_counts[k * zstride + a];
            }
            let lexical = zv - zc * ln_en_units[b] + (self.zh_miss[i] - self.zh_miss[i - a]) + ev
                - ec * ln_zh_units[a]
                + (self.en_miss[j] - self.en_miss[j - b]);
            let length = self.length_term(i - a..i, j - b..j);
            *slot = (lexical + length + prior, Evidence { lexical, length });
        }
    }
}

/// A bead found by the search, with its evidence.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub zh: std::ops::Range<usize>,
    pub en: std::ops::Range<usize>,
    pub evidence: Evidence,
}

/// The bead shapes a search considers, with how far each side's unions must reach.
pub(crate) struct Shapes {
    list: Vec<(usize, usize)>,
    max_zh: usize,
    max_en: usize,
    /// For the Chinese sentence `k` places before the bead's end, the most English
    /// sentences any shape containing it has; and the converse.
    en_reach: Vec<usize>,
    zh_reach: Vec<usize>,
}

impl Shapes {
    pub fn new(list: &[(usize, usize)]) -> Shapes {
        let max_zh = list.iter().map(|s| s.0).max().unwrap_or(0);
        let max_en = list.iter().map(|s| s.1).max().unwrap_or(0);
        let en_reach = (0..max_zh)
            .map(|k| {
                list.iter()
                    .filter(|s| s.0 > k)
                    .map(|s| s.1)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let zh_reach = (0..max_en)
            .map(|k| {
                list.iter()
                    .filter(|s| s.1 > k)
                    .map(|s| s.0)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        Shapes {
            list: list.to_vec(),
            max_zh,
            max_en,
            en_reach,
            zh_reach,
        }
    }
}

/// The best monotone path of beads from (0, 0) to (n, m) inside `band`.
pub(crate) fn search(scorer: &Scorer, band: &Band, shape_list: &[(usize, usize)]) -> Vec<Found> {
    let shapes_info = Shapes::new(shape_list);
    let shapes = shape_list;
    let n = band.lo.len() - 1;
    let mut offsets = Vec::with_capacity(n + 2);
    let mut total = 0usize;
    for i in 0..=n {
        offsets.push(total);
        total += band.hi[i] + 1 - band.lo[i];
    }
    let cell = |i: usize, j: usize| offsets[i] + j - band.lo[i];
    let mut score = vec![f64::NEG_INFINITY; total];
    let mut back = vec![u8::MAX; total];
    let mut scratch = Scratch::default();
    let mut shape_scores = vec![(0.0, Evidence::default()); shapes.len()];
    score[0] = 0.0;
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            scorer.shape_scores((i, j), &shapes_info, &mut scratch, &mut shape_scores);
            let (mut best, mut best_shape) = (f64::NEG_INFINITY, u8::MAX);
            for (k, &(a, b)) in shapes.iter().enumerate() {
                if a > i || b > j || !band.contains(i - a, j - b) {
                    continue;
                }
                let previous = score[cell(i - a, j - b)];
                let candidate = previous + shape_scores[k].0;
                if candidate > best {
                    best = candidate;
                    best_shape = k as u8;
                }
            }
            let at = cell(i, j);
            score[at] = best;
            back[at] = best_shape;
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, band.hi[n]);
    while i > 0 || j > 0 {
        let shape = back[cell(i, j)] as usize;
        scorer.shape_scores((i, j), &shapes_info, &mut scratch, &mut shape_scores);
        // The band is connected, so every cell is reachable; should that ever fail,
        // single null beads still cover every sentence.
        let ((a, b), evidence) = match shapes.get(shape) {
            Some(&ab) => (ab, shape_scores[shape].1),
            None if i > 0 => ((1, 0), Evidence::default()),
            None => ((0, 1), Evidence::default()),
        };
        beads.push(Found {
            zh: i - a..i,
            en: j - b..j,
            evidence,
        });
        i -= a;
        j -= b;
    }
    beads.reverse();
    beads
}
