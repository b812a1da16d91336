//! The risk matrix: likelihood (rows, 10 at the top) by impact (columns), as an inline SVG.
//!
//! A finding's band depends on its detectability too, which a two-dimensional grid cannot show; each cell
//! is coloured by the band L × I × D would give with D the median detectability of the open findings, so the
//! colours show where a typical finding turns critical. The number in a cell is how many open findings are
//! scored there, whatever their own D.

use std::fmt::Write;

use vigil_core::{Assessment, Band, Finding, Status};

use super::palette::{badge, swatch};

/// Side of one cell, in pixels.
const CELL: u32 = 34;
/// Room left of the grid for the likelihood numbers and the axis title.
const LEFT: u32 = 56;
const TOP: u32 = 8;
/// Room under the grid for the impact numbers and the axis title.
const BOTTOM: u32 = 48;
const RIGHT: u32 = 8;
/// Scores run 1..=10 on both axes.
const STEPS: u32 = 10;
/// Used when there is no open finding to take the median of: the middle of the scale.
const DEFAULT_DETECTABILITY: u8 = 5;

pub(super) fn write(out: &mut String, a: &Assessment) {
    let open: Vec<&Finding> = a.findings.iter().filter(|f| f.status == Status::Open).collect();
    let detectability = median_detectability(&open);
    let counts = counts(&open);
    let band_of = |likelihood: u32, impact: u32| {
        let rpn = likelihood * impact * u32::from(detectability);
        a.scope.risk.bands.band(u16::try_from(rpn).unwrap_or(u16::MAX))
    };

    let grid = CELL * STEPS;
    let (width, height) = (LEFT + grid + RIGHT, TOP + grid + BOTTOM);
    let _ = writeln!(
        out,
        "<figure class=\"matrix\">\n<svg id=\"risk-matrix\" xmlns=\"http://www.w3.org/2000/svg\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"risk-matrix-title\" font-family=\"Helvetica, Arial, sans-serif\">\n\
         <title id=\"risk-matrix-title\">Open findings by likelihood and impact</title>"
    );
    for likelihood in (1..=STEPS).rev() {
        for impact in 1..=STEPS {
            let band = band_of(likelihood, impact);
            let colours = swatch(band);
            let x = LEFT + (impact - 1) * CELL;
            let y = TOP + (STEPS - likelihood) * CELL;
            let count = counts[index(likelihood)][index(impact)];
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"{}\" stroke=\"#ffffff\">\
                 <title>likelihood {likelihood}, impact {impact}: {count} open finding{}; {band} at D {detectability}</title></rect>",
                colours.fill,
                if count == 1 { "" } else { "s" }
            );
            if count > 0 {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" \
                     fill=\"{}\">{count}</text>",
                    x + CELL / 2,
                    y + CELL / 2 + 5,
                    colours.ink
                );
            }
            out.push('\n');
        }
    }
    axes(out);
    out.push_str("</svg>\n");
    let bands = &a.scope.risk.bands;
    let _ = writeln!(
        out,
        "<figcaption>Numbers: open findings scored at that likelihood and impact ({} in all). Colours: the band \
         L × I × D gives with D = {detectability}, the median detectability of the open findings: {} RPN ≥ {}, \
         {} ≥ {}, {} ≥ {}, {} below.</figcaption>\n</figure>",
        open.len(),
        badge(Band::Critical),
        bands.critical,
        badge(Band::High),
        bands.high,
        badge(Band::Medium),
        bands.medium,
        badge(Band::Low)
    );
}

fn axes(out: &mut String) {
    let grid = CELL * STEPS;
    for step in 1..=STEPS {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" fill=\"#333333\">{step}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\">{step}</text>",
            LEFT - 6,
            TOP + (STEPS - step) * CELL + CELL / 2 + 4,
            LEFT + (step - 1) * CELL + CELL / 2,
            TOP + grid + 15
        );
    }
    let _ = writeln!(
        out,
        "\n<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333333\">Impact →</text>\
         <text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" \
         fill=\"#333333\">Likelihood →</text>",
        LEFT + grid / 2,
        TOP + grid + 38,
        TOP + grid / 2
    );
}

/// The median detectability of the findings (the upper one of an even count), or the middle of the scale.
fn median_detectability(findings: &[&Finding]) -> u8 {
    let mut values: Vec<u8> = findings
        .iter()
        .map(|f| f.score.detectability.clamp(1, 10))
        .collect();
    values.sort_unstable();
    values
        .get(values.len() / 2)
        .copied()
        .unwrap_or(DEFAULT_DETECTABILITY)
}

/// Findings per (likelihood, impact), both indexed 0..10 for scores 1..=10; out-of-range scores are clamped.
fn counts(findings: &[&Finding]) -> [[usize; STEPS as usize]; STEPS as usize] {
    let mut counts = [[0; STEPS as usize]; STEPS as usize];
    for f in findings {
        let (likelihood, impact) = (u32::from(f.score.likelihood), u32::from(f.score.impact));
        counts[index(likelihood)][index(impact)] += 1;
    }
    counts
}

/// A score's index in the grid.
fn index(score: u32) -> usize {
    // Clamped to 1..=10 first, so the cast cannot go out of range.
    (score.clamp(1, STEPS) - 1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(likelihood: u8, impact: u8, detectability: u8) -> Finding {
        let mut f = Finding::new(vigil_core::FindingKind::Threat, "0123456789abcdef".into(), "t");
        f.score.likelihood = likelihood;
        f.score.impact = impact;
        f.score.detectability = detectability;
        f
    }

    #[test]
    fn the_median_is_the_upper_middle_and_defaults_to_the_middle_of_the_scale() {
        let (a, b, c) = (finding(1, 1, 3), finding(1, 1, 9), finding(1, 1, 7));
        assert_eq!(median_detectability(&[&a, &b, &c]), 7);
        assert_eq!(median_detectability(&[&a, &b]), 9);
        assert_eq!(median_detectability(&[]), DEFAULT_DETECTABILITY);
    }

    #[test]
    fn scores_out_of_range_land_on_the_edges() {
        let (zero, big) = (finding(0, 0, 0), finding(11, 200, 1));
        let counts = counts(&[&zero, &big]);
        assert_eq!(counts[0][0], 1);
        assert_eq!(counts[9][9], 1);
    }
}
