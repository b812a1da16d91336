//! The HTML report: one self-contained page that works offline and prints well.
//!
//! The page loads nothing. Styles, a small optional script and both figures (the risk matrix and the
//! data-flow diagram) are inline, and a Content-Security-Policy forbids every other source, so a hostile
//! string that slipped through could still not fetch or run anything. Every string from the assessment goes
//! through [`escape::Escaped`]. The page reads completely with JavaScript off; the script only adds filters
//! and opens the collapsed runbooks before printing. Nothing in it depends on the time it was written, so
//! the same assessment always gives the same bytes.

mod compliance;
mod coverage;
pub mod escape;
mod findings;
mod inventory;
mod matrix;
pub mod palette;
mod roadmap;
mod summary;
mod trend;

use std::fmt::Write;

use vigil_core::Assessment;

use escape::Escaped;
pub use trend::TrendPoint;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Only inline styles and scripts; images only as `data:` URLs; no base URL or form targets to hijack.
/// (`frame-ancestors` is left out: browsers ignore it in a meta element and say so on the console.)
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The sections in page order: element id and heading.
pub const SECTIONS: [(&str, &str); 8] = [
    ("summary", "Management summary"),
    ("matrix", "Risk matrix"),
    ("roadmap", "Top actions"),
    ("diagram", "Data-flow diagram"),
    ("inventory", "Inventory"),
    ("findings", "Findings"),
    ("compliance", "Compliance view"),
    ("coverage", "Diagnostics and coverage"),
];

pub fn render(assessment: &Assessment) -> String {
    render_with_trend(assessment, &[])
}

/// The page, with the open findings of the scope's saved assessments over time in the summary (from the
/// history store; drawn when there are two or more).
pub fn render_with_trend(assessment: &Assessment, trend: &[TrendPoint]) -> String {
    let mut out = String::with_capacity(256 * 1024);
    head(&mut out, assessment);
    for (id, heading) in SECTIONS {
        let _ = writeln!(
            out,
            "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{heading}</h2>"
        );
        match id {
            "summary" => {
                summary::write(&mut out, assessment);
                trend::write(&mut out, trend);
            }
            "matrix" => matrix::write(&mut out, assessment),
            "roadmap" => roadmap::write(&mut out, assessment),
            "diagram" => diagram(&mut out, assessment),
            "inventory" => inventory::write(&mut out, &assessment.inventory),
            "findings" => findings::write(&mut out, assessment),
            "compliance" => compliance::write(&mut out, assessment),
            _ => coverage::write(&mut out, assessment),
        }
        out.push_str("</section>\n");
    }
    let _ = write!(out, "</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// The scope's name, else the assessed path.
fn scope_name(assessment: &Assessment) -> &str {
    assessment
        .scope
        .name
        .as_deref()
        .unwrap_or(&assessment.target.path)
}

fn head(out: &mut String, assessment: &Assessment) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"vigil {}\">\n\
         <title>Threat assessment: {}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n",
        Escaped(&assessment.tool.version),
        Escaped(scope_name(assessment)),
        palette::badge_css(),
    );
    let _ = writeln!(
        out,
        "<header>\n<h1>Threat assessment: {}</h1>\n<nav aria-label=\"Sections\"><ul>",
        Escaped(scope_name(assessment))
    );
    for (id, heading) in SECTIONS {
        let _ = writeln!(out, "<li><a href=\"#{id}\">{heading}</a></li>");
    }
    out.push_str("</ul></nav>\n</header>\n<main>\n");
}

/// The data-flow diagram as drawn by [`crate::svg`], inline. It is a standalone document; an XML
/// declaration, should it ever start with one, is not allowed in the middle of an HTML page.
fn diagram(out: &mut String, assessment: &Assessment) {
    let svg = crate::svg::svg(&assessment.model);
    let svg = strip_xml_declaration(&svg);
    let model = &assessment.model;
    let _ = write!(
        out,
        "<figure id=\"data-flow\">\n{}\n<figcaption>{} components, {} data flows, {} trust boundaries. \
         Frames are trust boundaries; the key is under the drawing.</figcaption>\n</figure>\n",
        svg.trim_end(),
        model.components.len(),
        model.flows.len(),
        model.boundaries.len()
    );
}

fn strip_xml_declaration(svg: &str) -> &str {
    let trimmed = svg.trim_start();
    match trimmed.strip_prefix("<?xml") {
        Some(rest) => rest
            .find("?>")
            .map_or(trimmed, |end| rest[end + 2..].trim_start()),
        None => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xml_declaration_is_dropped() {
        assert_eq!(strip_xml_declaration("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
        assert_eq!(strip_xml_declaration("<svg/>"), "<svg/>");
    }
}
