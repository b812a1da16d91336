//! Diagnostics and coverage, short: what was read, what was skipped, what could not be checked (never to
//! pass for clean), and the problems met on the way.

use std::fmt::Write;

use vigil_core::Assessment;

use super::escape::Escaped;

/// Diagnostics listed; the JSON output has them all.
const MAX_DIAGNOSTICS: usize = 50;

pub(super) fn write(out: &mut String, a: &Assessment) {
    let coverage = &a.coverage;
    let extracted: Vec<String> = coverage
        .extracted
        .iter()
        .map(|(extractor, files)| format!("{} {files}", Escaped(extractor)))
        .collect();
    let _ = writeln!(
        out,
        "<p>{} files seen; read by extractor: {}. Skipped: {} too large, {} binary, {} symbolic links.</p>",
        coverage.files_seen,
        if extracted.is_empty() {
            "none".to_owned()
        } else {
            extracted.join(", ")
        },
        coverage.skipped_too_large,
        coverage.skipped_binary,
        coverage.skipped_symlink
    );
    match &a.advisory_db {
        Some(db) => {
            let ecosystems: Vec<String> = db
                .ecosystems
                .iter()
                .map(|(ecosystem, records)| format!("{} {records}", Escaped(ecosystem)))
                .collect();
            let _ = writeln!(
                out,
                "<p>Advisories: <code>{}</code>{} ({}); {} informational advisor{} kept apart from findings.</p>",
                Escaped(&db.source),
                db.imported_at
                    .as_deref()
                    .map(|at| format!(", imported {}", Escaped(at)))
                    .unwrap_or_default(),
                ecosystems.join(", "),
                a.advisory_warnings.len(),
                if a.advisory_warnings.len() == 1 {
                    "y"
                } else {
                    "ies"
                }
            );
        }
        None => out.push_str("<p>Advisories: no advisory database was used.</p>\n"),
    }
    if coverage.not_checked.is_empty() {
        out.push_str("<p>Nothing was reported as not checked.</p>\n");
    } else {
        out.push_str("<h3>Not checked</h3>\n<ul>\n");
        for item in &coverage.not_checked {
            let _ = writeln!(out, "<li>{}: {}</li>", Escaped(&item.what), Escaped(&item.why));
        }
        out.push_str("</ul>\n");
    }
    if a.diagnostics.is_empty() {
        out.push_str("<p>No diagnostics.</p>\n");
        return;
    }
    let _ = writeln!(out, "<h3>Diagnostics ({})</h3>\n<ul>", a.diagnostics.len());
    for diagnostic in a.diagnostics.iter().take(MAX_DIAGNOSTICS) {
        let _ = writeln!(out, "<li><code>{}</code></li>", Escaped(&diagnostic.to_string()));
    }
    if a.diagnostics.len() > MAX_DIAGNOSTICS {
        let _ = writeln!(
            out,
            "<li class=\"muted\">… {} more (see --format json)</li>",
            a.diagnostics.len() - MAX_DIAGNOSTICS
        );
    }
    out.push_str("</ul>\n");
}
