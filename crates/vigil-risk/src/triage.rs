//! Triage as data: `[[triage]]` entries in vigil.toml accept a risk, mark a false positive or record that a
//! vulnerability does not affect the code, each with a reason, an owner and (for accepted risk) an expiry.
//!
//! An entry applies to the open findings that match every criterion it gives. An expired entry stops
//! applying and says so, and an entry that matches nothing is reported: a stale decision is as much a
//! finding as a missing one.

use globset::{Glob, GlobMatcher};
use time::Date;
use vigil_core::config::{TriageEntry, TriageStatus};
use vigil_core::{Decision, Diagnostic, Finding, Status};

/// Applies the entries to open findings; returns what the team should know about the entries themselves.
pub fn apply(findings: &mut [Finding], entries: &[TriageEntry], as_of: Date) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for entry in entries {
        let matcher = Criteria::new(entry);
        let matching = findings
            .iter_mut()
            .filter(|f| f.status == Status::Open && matcher.matches(f));
        let expired = entry.expires.is_some_and(|day| day < as_of);
        let mut count = 0;
        for finding in matching {
            count += 1;
            if !expired {
                finding.status = status(entry.status);
                finding.decision = Some(decision(entry));
            }
        }
        let line = Some(entry.line);
        let what = describe(entry);
        match (expired, count) {
            (true, _) => diagnostics.push(Diagnostic::warning(
                &entry.file,
                line,
                format!(
                    "triage entry ({what}) expired on {}: {count} finding(s) it covered are open again; renew it with a new review date or remove it",
                    entry.expires.map(vigil_core::date::format).unwrap_or_default()
                ),
            )),
            (false, 0) => diagnostics.push(Diagnostic::warning(
                &entry.file,
                line,
                format!("triage entry ({what}) matches no open finding: remove it, or fix its criteria"),
            )),
            (false, n) => diagnostics.push(Diagnostic::info(
                &entry.file,
                line,
                format!("triage entry ({what}) applies to {n} finding(s)"),
            )),
        }
    }
    diagnostics
}

fn status(status: TriageStatus) -> Status {
    match status {
        TriageStatus::Accepted => Status::Accepted,
        TriageStatus::FalsePositive => Status::FalsePositive,
        TriageStatus::NotAffected => Status::NotAffected,
    }
}

fn decision(entry: &TriageEntry) -> Decision {
    Decision {
        source: format!("triage:{}:{}", entry.file, entry.line),
        vex_status: status(entry.status).as_str().to_owned(),
        justification: entry.justification.clone(),
        statement: Some(entry.reason.clone()),
        owner: Some(entry.owner.clone()),
        expires: entry.expires,
    }
}

fn describe(entry: &TriageEntry) -> String {
    let mut parts = vec![entry.status.as_str().to_owned()];
    for (key, value) in [
        ("fingerprint", &entry.fingerprint),
        ("rule", &entry.rule),
        ("advisory", &entry.advisory),
        ("path", &entry.path),
    ] {
        if let Some(value) = value {
            parts.push(format!("{key} {value}"));
        }
    }
    parts.join(", ")
}

struct Criteria<'e> {
    entry: &'e TriageEntry,
    path: Option<GlobMatcher>,
}

impl<'e> Criteria<'e> {
    fn new(entry: &'e TriageEntry) -> Self {
        // The parser rejects invalid globs; one that slips through matches nothing (see `matches`).
        let path = entry
            .path
            .as_deref()
            .and_then(|g| Glob::new(g).ok())
            .map(|g| g.compile_matcher());
        Self { entry, path }
    }

    fn matches(&self, finding: &Finding) -> bool {
        let entry = self.entry;
        if entry.path.is_some() && self.path.is_none() {
            return false;
        }
        entry
            .fingerprint
            .as_ref()
            .is_none_or(|f| *f == finding.fingerprint || f.eq_ignore_ascii_case(&finding.id))
            && entry
                .rule
                .as_ref()
                .is_none_or(|r| finding.rule_id.as_ref() == Some(r))
            && entry
                .advisory
                .as_ref()
                .is_none_or(|a| finding.advisory_ids.iter().any(|id| id.eq_ignore_ascii_case(a)))
            && self
                .path
                .as_ref()
                .is_none_or(|glob| finding.evidence.iter().any(|e| glob.is_match(&e.path)))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use vigil_core::{Evidence, FindingKind, Level};

    use super::*;

    fn finding(rule: &str, path: &str, advisory: Option<&str>) -> Finding {
        let mut f = Finding::new(
            FindingKind::Threat,
            vigil_core::fingerprint(&[rule, path]),
            format!("{rule} in {path}"),
        );
        f.rule_id = Some(rule.into());
        f.evidence = vec![Evidence::at(path, Some(3))];
        f.advisory_ids = advisory.into_iter().map(str::to_owned).collect();
        f
    }

    fn entry(status: TriageStatus) -> TriageEntry {
        TriageEntry {
            status,
            fingerprint: None,
            rule: None,
            advisory: None,
            path: None,
            reason: "reviewed".into(),
            owner: "@acme/appsec".into(),
            expires: None,
            justification: None,
            file: "vigil.toml".into(),
            line: 7,
        }
    }

    #[test]
    fn every_given_criterion_must_match() {
        let mut findings = vec![
            finding("missing-rate-limiting", "services/admin/app.py", None),
            finding("missing-rate-limiting", "services/api/app.py", None),
            finding("sql-injection", "services/admin/app.py", None),
        ];
        let rule_and_path = TriageEntry {
            rule: Some("missing-rate-limiting".into()),
            path: Some("services/admin/**".into()),
            ..entry(TriageStatus::NotAffected)
        };
        let diagnostics = apply(&mut findings, &[rule_and_path], date!(2026 - 11 - 27));
        let statuses: Vec<Status> = findings.iter().map(|f| f.status).collect();
        assert_eq!(statuses, vec![Status::NotAffected, Status::Open, Status::Open]);
        let decision = findings[0].decision.as_ref().unwrap();
        assert_eq!(decision.source, "triage:vigil.toml:7");
        assert_eq!(decision.owner.as_deref(), Some("@acme/appsec"));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].level, Level::Info);
    }

    #[test]
    fn fingerprints_display_ids_and_advisory_aliases_match() {
        let mut findings = vec![
            finding("a", "x.py", Some("GHSA-j8r2-6x86-q33q")),
            finding("b", "y.py", Some("CVE-2023-32681")),
        ];
        findings[1].advisory_ids.insert(0, "PYSEC-2023-74".into());
        let by_id = TriageEntry {
            fingerprint: Some(findings[0].id.to_lowercase()),
            ..entry(TriageStatus::FalsePositive)
        };
        let by_alias = TriageEntry {
            advisory: Some("cve-2023-32681".into()),
            expires: Some(date!(2027 - 01 - 31)),
            ..entry(TriageStatus::Accepted)
        };
        apply(&mut findings, &[by_id, by_alias], date!(2026 - 11 - 27));
        assert_eq!(findings[0].status, Status::FalsePositive);
        assert_eq!(findings[1].status, Status::Accepted);
        assert_eq!(
            findings[1].decision.as_ref().unwrap().expires,
            Some(date!(2027 - 01 - 31))
        );
    }

    #[test]
    fn an_expired_entry_stops_applying_and_says_so() {
        let mut findings = vec![finding("a", "x.py", Some("CVE-1"))];
        let expired = TriageEntry {
            advisory: Some("CVE-1".into()),
            expires: Some(date!(2026 - 11 - 26)),
            ..entry(TriageStatus::Accepted)
        };
        let diagnostics = apply(
            &mut findings,
            std::slice::from_ref(&expired),
            date!(2026 - 11 - 27),
        );
        assert_eq!(findings[0].status, Status::Open);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].level, Level::Warning);
        assert!(
            diagnostics[0].message.contains("expired on 2026-11-26")
                && diagnostics[0]
                    .message
                    .contains("1 finding(s) it covered are open again"),
            "{}",
            diagnostics[0].message
        );
        // The last day is still covered.
        let mut findings = vec![finding("a", "x.py", Some("CVE-1"))];
        apply(&mut findings, &[expired], date!(2026 - 11 - 26));
        assert_eq!(findings[0].status, Status::Accepted);
    }

    #[test]
    fn an_entry_that_matches_nothing_is_reported() {
        let mut findings = vec![finding("a", "x.py", None)];
        let stale = TriageEntry {
            rule: Some("renamed-rule".into()),
            ..entry(TriageStatus::FalsePositive)
        };
        let diagnostics = apply(&mut findings, &[stale], date!(2026 - 11 - 27));
        assert_eq!(findings[0].status, Status::Open);
        assert_eq!(diagnostics[0].level, Level::Warning);
        assert_eq!(diagnostics[0].line, Some(7));
        assert!(diagnostics[0].message.contains("matches no open finding"));
    }
}
