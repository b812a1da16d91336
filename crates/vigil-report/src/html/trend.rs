//! Open findings by band over the saved history, as stacked bars drawn in SVG: whether the program is
//! burning risk down or piling it up, at a glance.

use std::fmt::Write;

use vigil_core::Band;

use super::escape::Escaped;
use super::palette;

/// One saved assessment of the scope: its day and its open findings (critical, high, medium, low).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendPoint {
    pub label: String,
    pub open_by_band: [i64; 4],
}

/// At most this many bars: the most recent assessments.
const MAX_BARS: usize = 40;
const WIDTH: usize = 720;
const HEIGHT: usize = 180;
const LEFT: usize = 36;
const BOTTOM: usize = 24;

pub(super) fn write(out: &mut String, points: &[TrendPoint]) {
    if points.len() < 2 {
        return;
    }
    let points = &points[points.len().saturating_sub(MAX_BARS)..];
    let max = points
        .iter()
        .map(|p| p.open_by_band.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_height = (HEIGHT - BOTTOM - 8) as f64;
    let slot = (WIDTH - LEFT) as f64 / points.len() as f64;
    let bar = (slot * 0.7).max(2.0);
    let _ = writeln!(
        out,
        "<figure id=\"trend\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-label=\"Open findings by band over the last {} assessments\">",
        points.len()
    );
    let baseline = HEIGHT - BOTTOM;
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{baseline}\" x2=\"{WIDTH}\" y2=\"{baseline}\" stroke=\"#888\"/>\
         <text x=\"{}\" y=\"14\" font-size=\"11\" text-anchor=\"end\">{max}</text>\
         <text x=\"{}\" y=\"{baseline}\" font-size=\"11\" text-anchor=\"end\">0</text>",
        LEFT - 4,
        LEFT - 4
    );
    // Bands stacked from the bottom: low, medium, high, critical on top.
    let order = [
        (3, Band::Low),
        (2, Band::Medium),
        (1, Band::High),
        (0, Band::Critical),
    ];
    for (i, point) in points.iter().enumerate() {
        let x = LEFT as f64 + slot * i as f64 + (slot - bar) / 2.0;
        let mut top = baseline as f64;
        let total: i64 = point.open_by_band.iter().sum();
        let _ = write!(
            out,
            "<g><title>{}: {total} open ({} critical, {} high, {} medium, {} low)</title>",
            Escaped(&point.label),
            point.open_by_band[0],
            point.open_by_band[1],
            point.open_by_band[2],
            point.open_by_band[3]
        );
        for (index, band) in order {
            let count = point.open_by_band[index];
            if count <= 0 {
                continue;
            }
            let height = count as f64 / max as f64 * plot_height;
            top -= height;
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\" fill=\"{}\"/>",
                palette::swatch(band).fill
            );
        }
        out.push_str("</g>\n");
    }
    let (first, last) = (&points[0], &points[points.len() - 1]);
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{}\" font-size=\"11\">{}</text>\
         <text x=\"{WIDTH}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n</svg>",
        HEIGHT - 6,
        Escaped(&first.label),
        HEIGHT - 6,
        Escaped(&last.label)
    );
    let change = last.open_by_band.iter().sum::<i64>() - first.open_by_band.iter().sum::<i64>();
    let _ = writeln!(
        out,
        "<figcaption>Open findings at each of the last {} saved assessments, by band ({change:+} since {}).</figcaption>\n</figure>",
        points.len(),
        Escaped(&first.label)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stack_by_band_and_one_point_draws_nothing() {
        let point = |label: &str, open: [i64; 4]| TrendPoint {
            label: label.into(),
            open_by_band: open,
        };
        let mut out = String::new();
        write(&mut out, &[point("2026-01-01", [1, 2, 3, 4])]);
        assert!(out.is_empty());
        write(
            &mut out,
            &[point("2026-01-01", [1, 2, 3, 4]), point("<b>", [0, 1, 0, 0])],
        );
        assert_eq!(out.matches("<rect").count(), 5);
        assert!(out.contains(palette::CRITICAL.fill));
        assert!(out.contains("&lt;b&gt;") && !out.contains("<b>"));
        assert!(out.contains("(-9 since 2026-01-01)"));
    }
}
