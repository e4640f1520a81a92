//! A bar chart of counts per month as inline SVG, made on the server: no script,
//! readable by screen readers through its title and a table of the same figures.

use std::fmt::Write as _;

/// The chart of `(month, count)` pairs, or `None` when there is nothing to draw.
pub fn monthly_bars(series: &[(String, usize)], label: &str) -> Option<String> {
    let max = series.iter().map(|(_, c)| *c).max().filter(|m| *m > 0)?;
    let (width, height, bottom) = (640.0_f64, 180.0_f64, 24.0_f64);
    let slot = width / series.len() as f64;
    // Bars stay slim when there are few months.
    let bar = (slot * 0.8).clamp(1.0, 40.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">{}</title>",
        escape(label)
    );
    for (k, (month, count)) in series.iter().enumerate() {
        let h = (height - bottom - 8.0) * (*count as f64) / (max as f64);
        let x = k as f64 * slot + (slot - bar) / 2.0;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"#a61b1b\"><title>{}: {count}</title></rect>",
            height - bottom - h,
            escape(month)
        );
    }
    let first = &series[0].0;
    let last = &series[series.len() - 1].0;
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"{}\" font-size=\"12\" fill=\"#5f6368\">{}</text><text x=\"{width}\" y=\"{}\" font-size=\"12\" fill=\"#5f6368\" text-anchor=\"end\">{}</text><text x=\"{width}\" y=\"12\" font-size=\"12\" fill=\"#5f6368\" text-anchor=\"end\">max {max}</text></svg>",
        height - 6.0,
        escape(first),
        height - 6.0,
        escape(last)
    );
    Some(svg)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_month() {
        let svg = monthly_bars(
            &[("2024-09".into(), 1), ("2024-10".into(), 4)],
            "uses <per> month",
        )
        .unwrap();
        assert!(svg.contains("<title id=\"chart-title\">uses &lt;per&gt; month</title>"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(monthly_bars(&[], "x").is_none());
    }
}
