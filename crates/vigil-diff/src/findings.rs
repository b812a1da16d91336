//! New and fixed findings, and the risk delta.
//!
//! Findings are matched by fingerprint first. A fingerprint hashes the finding's asset id, and asset ids
//! name the declaring file, so a finding whose file moved gets a new fingerprint; the findings left over on
//! both sides are then matched on what they are about, without paths (rule or advisory, the stable keys of
//! their assets, the title with their paths taken out). Only what is left after both is new or fixed.

use std::collections::{BTreeMap, HashMap, HashSet};

use vigil_core::{Assessment, Band, Finding, Status};

use crate::identity::Identities;
use crate::{FindingChange, FindingsDelta, RiskDelta};

pub(crate) fn compare(old: &Assessment, new: &Assessment) -> FindingsDelta {
    let old_prints: HashSet<&str> = old.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let new_prints: HashSet<&str> = new.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let mut still_open = new
        .findings
        .iter()
        .filter(|f| old_prints.contains(f.fingerprint.as_str()) && f.status == Status::Open)
        .count();

    // Left over on the old side, by what they are about; matched in fingerprint order so the pairing
    // does not depend on the documents' order.
    let old_ids = Identities::new(&old.inventory);
    let mut unmatched_old: Vec<&Finding> = old
        .findings
        .iter()
        .filter(|f| !new_prints.contains(f.fingerprint.as_str()))
        .collect();
    unmatched_old.sort_by(|a, b| b.fingerprint.cmp(&a.fingerprint));
    let mut by_identity: HashMap<String, Vec<&Finding>> = HashMap::new();
    for finding in unmatched_old {
        by_identity
            .entry(identity(finding, &old_ids))
            .or_default()
            .push(finding);
    }

    let new_ids = Identities::new(&new.inventory);
    let mut unmatched_new: Vec<&Finding> = new
        .findings
        .iter()
        .filter(|f| !old_prints.contains(f.fingerprint.as_str()))
        .collect();
    unmatched_new.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    let mut moved = 0;
    let mut appeared = Vec::new();
    for finding in unmatched_new {
        match by_identity
            .get_mut(&identity(finding, &new_ids))
            .and_then(Vec::pop)
        {
            Some(_) => {
                moved += 1;
                if finding.status == Status::Open {
                    still_open += 1;
                }
            }
            None => appeared.push(summary(finding)),
        }
    }
    let mut fixed: Vec<FindingChange> = by_identity.values().flatten().map(|f| summary(f)).collect();
    sort(&mut appeared);
    sort(&mut fixed);
    FindingsDelta {
        new: appeared,
        fixed,
        still_open,
        moved,
        reopened: Vec::new(),
    }
}

/// What a finding is about, with no path in it.
fn identity(finding: &Finding, ids: &Identities<'_>) -> String {
    let mut assets: Vec<String> = finding.assets.iter().map(|id| ids.of_id(id)).collect();
    assets.sort();
    assets.dedup();
    let mut title = finding.title.clone();
    let mut paths: Vec<&str> = finding
        .evidence
        .iter()
        .map(|e| e.path.as_str())
        .chain(finding.assets.iter().filter_map(|id| ids.path_of(id)))
        .filter(|p| !p.is_empty())
        .collect();
    // Longest first, so `a/b/c.js` goes before `a/b` would leave `/c.js` behind.
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for path in paths {
        title = title.replace(path, "");
    }
    [
        finding.kind.as_str(),
        finding.rule_id.as_deref().unwrap_or_default(),
        finding.advisory_ids.first().map_or("", String::as_str),
        &assets.join("\u{1f}"),
        &title,
    ]
    .join("\u{1e}")
}

fn summary(finding: &Finding) -> FindingChange {
    FindingChange {
        fingerprint: finding.fingerprint.clone(),
        id: finding.id.clone(),
        title: finding.title.clone(),
        kind: finding.kind,
        rule_id: finding.rule_id.clone(),
        advisory_id: finding.advisory_ids.first().cloned(),
        band: finding.score.band,
        rpn: finding.score.rpn,
        status: finding.status,
        evidence: finding.evidence.first().cloned(),
    }
}

/// Riskiest first; the fingerprint settles ties.
fn sort(findings: &mut [FindingChange]) {
    findings.sort_by(|a, b| {
        b.rpn
            .cmp(&a.rpn)
            .then_with(|| b.band.cmp(&a.band))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

pub(crate) fn risk(old: &Assessment, new: &Assessment) -> RiskDelta {
    let (old_rpn, old_by_band) = open_risk(old);
    let (new_rpn, new_by_band) = open_risk(new);
    let signed = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    RiskDelta {
        old_rpn,
        new_rpn,
        rpn_delta: signed(new_rpn) - signed(old_rpn),
        old_by_band,
        new_by_band,
    }
}

fn open_risk(assessment: &Assessment) -> (u64, BTreeMap<Band, usize>) {
    let mut by_band: BTreeMap<Band, usize> = Band::ALL.iter().map(|b| (*b, 0)).collect();
    let mut total = 0u64;
    for finding in assessment.findings.iter().filter(|f| f.status == Status::Open) {
        total += u64::from(finding.score.rpn);
        *by_band.entry(finding.score.band).or_default() += 1;
    }
    (total, by_band)
}
