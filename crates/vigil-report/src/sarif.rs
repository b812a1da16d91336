//! SARIF 2.1.0, for code-scanning tools (GitHub code scanning, IDE viewers).
//!
//! One run. One rule per distinct rule: a rule finding's `rule_id`, else a vulnerability's first advisory
//! id, else `vigil/<kind>`. One result per finding, in the assessment's order. Findings that are not open
//! (accepted, mitigated, not affected...) stay in the log with an external, accepted suppression that says who
//! decided and why: a code-scanning tool then shows them as dismissed instead of losing them, and the
//! number of results always equals the number of findings.
//!
//! Locations are repository-relative under `%SRCROOT%`, which is only bound (`originalUriBaseIds`) when
//! the assessed path was absolute. Nothing that changes between two runs on the same input is written (no
//! generation time, no invocation), so the log diffs cleanly; `partialFingerprints` carries the finding
//! fingerprint, which already survives line shifts.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value, json};
use vigil_core::{
    Assessment, Band, Evidence, Finding, FindingKind, Reachability, Status, VulnerabilityDetails,
};

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/vigil-sec/vigil";
const SRCROOT: &str = "%SRCROOT%";
/// The key of vigil's fingerprint in `partialFingerprints`; versioned so a change of scheme is visible.
const FINGERPRINT_KEY: &str = "vigil/v1";

pub fn render(assessment: &Assessment) -> String {
    let mut text = serde_json::to_string_pretty(&log(assessment))
        .unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string());
    text.push('\n');
    text
}

fn log(assessment: &Assessment) -> Value {
    let rules = Rules::collect(&assessment.findings);
    let actions = actions_by_finding(assessment);
    let names = LogicalNames { assessment };
    let results: Vec<Value> = assessment
        .findings
        .iter()
        .map(|finding| result(finding, &rules, &actions, &names))
        .collect();

    let mut run = Map::new();
    run.insert("tool".into(), json!({ "driver": driver(assessment, &rules) }));
    if let Some(bases) = original_uri_base_ids(&assessment.target.path) {
        run.insert("originalUriBaseIds".into(), bases);
    }
    run.insert("results".into(), Value::Array(results));
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    })
}

// ---- rules ----

/// The findings reported under one rule, in the assessment's order.
struct Rule<'a> {
    id: String,
    /// The first finding of the rule: its description and remediation describe the rule.
    representative: &'a Finding,
    findings: Vec<&'a Finding>,
}

struct Rules<'a> {
    rules: Vec<Rule<'a>>,
    index: HashMap<String, usize>,
}

impl<'a> Rules<'a> {
    /// Rules in the order their first finding appears, so the log is deterministic.
    fn collect(findings: &'a [Finding]) -> Self {
        let mut rules: Vec<Rule<'a>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for finding in findings {
            let id = rule_id(finding);
            match index.get(&id) {
                Some(&at) => {
                    if let Some(rule) = rules.get_mut(at) {
                        rule.findings.push(finding);
                    }
                }
                None => {
                    index.insert(id.clone(), rules.len());
                    rules.push(Rule {
                        id,
                        representative: finding,
                        findings: vec![finding],
                    });
                }
            }
        }
        Self { rules, index }
    }

    fn index_of(&self, finding: &Finding) -> Option<(usize, &Rule<'a>)> {
        let at = *self.index.get(&rule_id(finding))?;
        Some((at, self.rules.get(at)?))
    }
}

fn rule_id(finding: &Finding) -> String {
    if let Some(id) = finding.rule_id.as_deref().filter(|id| !id.trim().is_empty()) {
        return id.to_owned();
    }
    if let Some(id) = finding.advisory_ids.first().filter(|id| !id.trim().is_empty()) {
        return id.clone();
    }
    format!("vigil/{}", finding.kind.as_str())
}

fn driver(assessment: &Assessment, rules: &Rules<'_>) -> Value {
    let version = &assessment.tool.version;
    let mut driver = Map::new();
    driver.insert("name".into(), json!("vigil"));
    driver.insert("version".into(), json!(version));
    if is_semantic_version(version) {
        driver.insert("semanticVersion".into(), json!(version));
    }
    driver.insert("informationUri".into(), json!(INFORMATION_URI));
    driver.insert(
        "rules".into(),
        Value::Array(rules.rules.iter().map(descriptor).collect()),
    );
    Value::Object(driver)
}

/// `MAJOR.MINOR.PATCH`, optionally followed by a pre-release or build suffix.
fn is_semantic_version(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn descriptor(rule: &Rule<'_>) -> Value {
    let first = rule.representative;
    let worst = rule
        .findings
        .iter()
        .map(|f| f.score.band)
        .max()
        .unwrap_or(first.score.band);
    let severity = rule
        .findings
        .iter()
        .map(|f| security_severity(f))
        .fold(security_severity(first), f64::max);
    let full = if first.description.trim().is_empty() {
        &first.title
    } else {
        &first.description
    };
    let references = references(first);

    let mut descriptor = Map::new();
    descriptor.insert("id".into(), json!(rule.id));
    descriptor.insert("name".into(), json!(rule_name(&rule.id, first)));
    descriptor.insert("shortDescription".into(), json!({ "text": general_title(rule) }));
    descriptor.insert("fullDescription".into(), json!({ "text": full }));
    descriptor.insert("defaultConfiguration".into(), json!({ "level": level(worst) }));
    descriptor.insert("help".into(), help(first, &references));
    if let Some(uri) = help_uri(&rule.id, &references) {
        descriptor.insert("helpUri".into(), json!(uri));
    }
    descriptor.insert(
        "properties".into(),
        json!({
            "tags": tags(&rule.findings),
            // GitHub code scanning reads this string to rank alerts (critical >= 9.0, high >= 7.0...).
            "security-severity": format!("{severity:.1}"),
        }),
    );
    Value::Object(descriptor)
}

/// A readable identifier: `aws-s3-public-access` -> `AwsS3PublicAccess`; advisory ids are already names.
fn rule_name(id: &str, finding: &Finding) -> String {
    if finding.rule_id.is_none() && !finding.advisory_ids.is_empty() {
        return id.to_owned();
    }
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The rule's title without what is specific to one finding, as far as the titles tell: a vulnerability
/// loses its `package version: ` prefix; titles of one rule that differ keep the words they share
/// (`S3 bucket … is readable by anyone`). A rule seen once keeps its finding's title.
fn general_title(rule: &Rule<'_>) -> String {
    let titles: Vec<&str> = rule.findings.iter().map(|f| without_package(f)).collect();
    shared_words(&titles).unwrap_or_else(|| without_package(rule.representative).to_owned())
}

fn without_package(finding: &Finding) -> &str {
    finding
        .vulnerability
        .as_ref()
        .and_then(|v| {
            finding
                .title
                .strip_prefix(&format!("{} {}: ", v.package, v.installed))
        })
        .unwrap_or(&finding.title)
}

/// The leading and trailing words every title shares, joined by `…`; `None` when the titles are all the
/// same or share no word at either end.
fn shared_words(titles: &[&str]) -> Option<String> {
    let words: Vec<Vec<&str>> = titles.iter().map(|t| t.split_whitespace().collect()).collect();
    let first = words.first()?;
    if words.iter().all(|w| w == first) {
        return None;
    }
    let shortest = words.iter().map(Vec::len).min()?;
    let prefix = (0..shortest)
        .take_while(|&i| words.iter().all(|w| w.get(i) == first.get(i)))
        .count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| {
            words
                .iter()
                .all(|w| word_from_end(w, i) == word_from_end(first, i))
        })
        .count();
    if prefix + suffix == 0 {
        return None;
    }
    let mut parts: Vec<&str> = first.iter().take(prefix).copied().collect();
    parts.push("…");
    parts.extend(first.iter().skip(first.len() - suffix).copied());
    Some(parts.join(" "))
}

/// The `i`-th word counted from the end (0: the last).
fn word_from_end<'w>(words: &[&'w str], i: usize) -> Option<&'w str> {
    words
        .len()
        .checked_sub(i + 1)
        .and_then(|at| words.get(at))
        .copied()
}

/// The advisory's reference URLs (absolute http(s) only: `helpUri` must be an absolute URI).
fn references(finding: &Finding) -> Vec<&str> {
    let mut urls: Vec<&str> = Vec::new();
    let listed = finding
        .vulnerability
        .as_ref()
        .map(|v: &VulnerabilityDetails| v.references.as_slice())
        .unwrap_or_default();
    for url in listed {
        let url = url.trim();
        if is_web_url(url) && !urls.contains(&url) {
            urls.push(url);
        }
    }
    urls
}

fn is_web_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// The reference that names the rule (the advisory's own page) if there is one, else the first.
fn help_uri<'r>(rule_id: &str, references: &[&'r str]) -> Option<&'r str> {
    references
        .iter()
        .find(|url| url.contains(rule_id))
        .or_else(|| references.first())
        .copied()
}

fn help(finding: &Finding, references: &[&str]) -> Value {
    let remediation = finding.remediation.trim();
    let remediation = if remediation.is_empty() {
        "No remediation was recorded for this finding; see its description."
    } else {
        remediation
    };
    let mut text = remediation.to_owned();
    let mut markdown = remediation.to_owned();
    if !references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References**\n");
        for url in references {
            text.push_str("\n- ");
            text.push_str(url);
            markdown.push_str("\n- <");
            markdown.push_str(url);
            markdown.push('>');
        }
    }
    json!({ "text": text, "markdown": markdown })
}

/// `security`, the finding kinds, STRIDE categories and CWE ids in GitHub's `external/cwe/cwe-N` form,
/// each once.
fn tags(findings: &[&Finding]) -> Vec<String> {
    let mut tags = vec!["security".to_owned()];
    let mut add = |tag: String| {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    };
    for finding in findings {
        add(finding.kind.as_str().to_owned());
        for stride in &finding.stride {
            add(stride.as_str().to_owned());
        }
        for cwe in &finding.cwe {
            if let Some(tag) = cwe_tag(cwe) {
                add(tag);
            }
        }
    }
    tags
}

fn cwe_tag(cwe: &str) -> Option<String> {
    let cwe = cwe.trim();
    let number = cwe
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("CWE-"))
        .and(cwe.get(4..))?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("external/cwe/cwe-{number}"))
}

/// The CVSS base score where the advisory published one, else the band's place on the same 0-10 scale.
fn security_severity(finding: &Finding) -> f64 {
    finding
        .score
        .cvss
        .as_ref()
        .map(|c| c.base_score)
        .filter(|s| s.is_finite() && (0.0..=10.0).contains(s))
        .unwrap_or(match finding.score.band {
            Band::Critical => 9.5,
            Band::High => 8.0,
            Band::Medium => 5.5,
            Band::Low => 2.0,
        })
}

fn level(band: Band) -> &'static str {
    match band {
        Band::Critical | Band::High => "error",
        Band::Medium => "warning",
        Band::Low => "note",
    }
}

// ---- results ----

fn actions_by_finding(assessment: &Assessment) -> HashMap<&str, &str> {
    let mut actions: HashMap<&str, &str> = HashMap::new();
    for action in &assessment.roadmap.actions {
        for finding in &action.findings {
            actions.entry(finding.as_str()).or_insert(action.id.as_str());
        }
    }
    actions
}

fn result(
    finding: &Finding,
    rules: &Rules<'_>,
    actions: &HashMap<&str, &str>,
    names: &LogicalNames<'_>,
) -> Value {
    let mut result = Map::new();
    if let Some((index, rule)) = rules.index_of(finding) {
        result.insert("ruleId".into(), json!(rule.id));
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(finding.score.band)));
    result.insert("message".into(), json!({ "text": message(finding) }));

    let evidence = distinct(&finding.evidence);
    let fallback = names.of(finding);
    let primary = match evidence.first() {
        Some(first) => location(first, &fallback, None),
        None => logical_location(&fallback, None),
    };
    if let Some(primary) = primary {
        result.insert("locations".into(), json!([primary]));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: finding.fingerprint }),
    );
    if let Some(flow) = code_flow(finding) {
        result.insert("codeFlows".into(), json!([flow]));
    }
    let related: Vec<Value> = evidence
        .iter()
        .skip(1)
        .zip(1..)
        .filter_map(|(e, id)| location(e, &fallback, Some(id)))
        .collect();
    if !related.is_empty() {
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    if let Some(suppression) = suppression(finding) {
        result.insert("suppressions".into(), json!([suppression]));
    }
    result.insert(
        "properties".into(),
        properties(finding, actions.get(finding.id.as_str()).copied()),
    );
    Value::Object(result)
}

/// The title, then why it ranks where it does.
fn message(finding: &Finding) -> String {
    let score = &finding.score;
    let band = score.band.as_str();
    let mut band_word = band.chars();
    let band_word = band_word.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + band_word.as_str()
    });
    format!(
        "{} {band_word} priority: RPN {} = likelihood {} × impact {} × detectability {}.",
        sentence(&finding.title),
        score.rpn,
        score.likelihood,
        score.impact,
        score.detectability,
    )
}

fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', '…']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// Evidence without repeats: SARIF wants related locations unique.
fn distinct(evidence: &[Evidence]) -> Vec<&Evidence> {
    let mut seen: Vec<&Evidence> = Vec::new();
    for item in evidence {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// A file location (with the line when the evidence has one), or, for evidence that names no file, the
/// finding's components or assets as logical locations.
fn location(evidence: &Evidence, fallback: &[Value], id: Option<usize>) -> Option<Value> {
    if evidence.path.trim().is_empty() {
        let mut location = logical_location(fallback, id)?;
        if let (Some(note), Some(fields)) = (evidence.note.as_deref(), location.as_object_mut()) {
            fields.insert("message".into(), json!({ "text": note }));
        }
        return Some(location);
    }
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": relative_uri(&evidence.path), "uriBaseId": SRCROOT }),
    );
    if let Some(line) = evidence.line.filter(|line| *line >= 1) {
        physical.insert("region".into(), json!({ "startLine": line }));
    }
    let mut location = Map::new();
    if let Some(id) = id {
        location.insert("id".into(), json!(id));
    }
    location.insert("physicalLocation".into(), Value::Object(physical));
    if let Some(note) = evidence.note.as_deref() {
        location.insert("message".into(), json!({ "text": note }));
    }
    Some(Value::Object(location))
}

fn logical_location(names: &[Value], id: Option<usize>) -> Option<Value> {
    if names.is_empty() {
        return None;
    }
    let mut location = Map::new();
    if let Some(id) = id {
        location.insert("id".into(), json!(id));
    }
    location.insert("logicalLocations".into(), Value::Array(names.to_vec()));
    Some(Value::Object(location))
}

/// Names for a finding that has no file: its model components, else its assets.
struct LogicalNames<'a> {
    assessment: &'a Assessment,
}

impl LogicalNames<'_> {
    fn of(&self, finding: &Finding) -> Vec<Value> {
        let mut names: Vec<Value> = Vec::new();
        for id in &finding.components {
            let name = self
                .assessment
                .model
                .component(id)
                .map_or(id.as_str(), |c| c.name.as_str());
            push_unique(&mut names, json!({ "name": name, "fullyQualifiedName": id }));
        }
        if names.is_empty() {
            for id in &finding.assets {
                let name = self
                    .assessment
                    .inventory
                    .assets
                    .iter()
                    .find(|a| &a.id == id)
                    .map_or(id.as_str(), |a| a.name.as_str());
                push_unique(
                    &mut names,
                    json!({ "name": name, "fullyQualifiedName": id.as_str() }),
                );
            }
        }
        names
    }
}

fn push_unique(values: &mut Vec<Value>, value: Value) {
    if !values.contains(&value) {
        values.push(value);
    }
}

/// How production code reaches a vulnerable package: the import or call sites in order, then the
/// manifest that brings the package in.
fn code_flow(finding: &Finding) -> Option<Value> {
    let details = finding.vulnerability.as_ref()?;
    if details.reachability_evidence.is_empty() {
        return None;
    }
    let how = match details.reachability {
        Reachability::FunctionCalled => "calls a vulnerable function of",
        _ => "imports",
    };
    let mut steps: Vec<Value> = details
        .reachability_evidence
        .iter()
        .filter_map(|site| {
            let mut site = site.clone();
            if site.note.is_none() {
                site.note = Some(format!("production code {how} {}", details.package));
            }
            location(&site, &[], None)
        })
        .map(|location| json!({ "location": location }))
        .collect();
    if let Some(manifest) = finding.evidence.first() {
        let mut manifest = manifest.clone();
        if manifest.note.is_none() {
            manifest.note = Some(format!(
                "{} {} is declared here",
                details.package, details.installed
            ));
        }
        if let Some(location) = location(&manifest, &[], None) {
            steps.push(json!({ "location": location }));
        }
    }
    if steps.is_empty() {
        return None;
    }
    Some(json!({
        "message": { "text": format!("{} is {} by production code", details.package, details.reachability.as_str()) },
        "threadFlows": [{ "locations": steps }],
    }))
}

/// Non-open findings stay in the log, suppressed with the decision that closed them.
fn suppression(finding: &Finding) -> Option<Value> {
    if finding.status == Status::Open {
        return None;
    }
    let status = finding.status.as_str().replace('_', " ");
    let justification = match &finding.decision {
        Some(decision) => {
            // Who decided, the source's own status when it words it differently, its reason label.
            let mut grounds = vec![decision.source.as_str()];
            if decision.vex_status.replace('_', " ") != status {
                grounds.push(&decision.vex_status);
            }
            if let Some(reason) = &decision.justification {
                grounds.push(reason);
            }
            let mut text = format!("{status} ({})", grounds.join(", "));
            if let Some(owner) = &decision.owner {
                text.push_str(&format!(" by {owner}"));
            }
            if let Some(expires) = decision.expires {
                text.push_str(&format!(" until {}", vigil_core::date::format(expires)));
            }
            if let Some(statement) = &decision.statement {
                text.push_str(": ");
                text.push_str(statement);
            }
            text
        }
        None => format!("{status} in vigil's triage"),
    };
    Some(json!({ "kind": "external", "status": "accepted", "justification": justification }))
}

/// The serde name of a value (`not_affected`, `high`), as the JSON report spells it.
fn label(value: serde_json::Result<Value>) -> String {
    value
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn properties(finding: &Finding, action: Option<&str>) -> Value {
    let score = &finding.score;
    let mut properties = Map::new();
    properties.insert("findingId".into(), json!(finding.id));
    properties.insert("kind".into(), json!(finding.kind.as_str()));
    properties.insert("band".into(), json!(score.band.as_str()));
    properties.insert("rpn".into(), json!(score.rpn));
    properties.insert("likelihood".into(), json!(score.likelihood));
    properties.insert("impact".into(), json!(score.impact));
    properties.insert("detectability".into(), json!(score.detectability));
    properties.insert(
        "confidence".into(),
        json!(label(serde_json::to_value(score.confidence))),
    );
    if finding.status != Status::Open {
        properties.insert(
            "status".into(),
            json!(label(serde_json::to_value(finding.status))),
        );
    }
    if let (FindingKind::Vulnerability, Some(details)) = (finding.kind, &finding.vulnerability) {
        properties.insert("reachability".into(), json!(details.reachability.as_str()));
    }
    if let Some(action) = action {
        properties.insert("actionId".into(), json!(action));
    }
    Value::Object(properties)
}

// ---- URIs ----

/// `%SRCROOT%` bound to the assessed directory, only when it was given as an absolute path (a relative
/// one would make the log depend on where vigil ran).
fn original_uri_base_ids(target: &str) -> Option<Value> {
    if !Path::new(target).is_absolute() {
        return None;
    }
    let mut path = target.replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    let mut bases = Map::new();
    bases.insert(
        SRCROOT.into(),
        json!({ "uri": format!("file://{}", percent_encode(&path, true)) }),
    );
    Some(Value::Object(bases))
}

/// A repository path as a relative URI reference: `/` separators, everything outside RFC 3986's path
/// characters percent-encoded, and `:` too, so a first segment such as `c:file` is not read as a scheme.
fn relative_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    percent_encode(path, false)
}

fn percent_encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&byte)
            || (keep_colon && byte == b':');
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::{Coverage, Cvss, Inventory, Roadmap, Scope, Score, Summary, SystemModel};

    fn assessment(target: &str, findings: Vec<Finding>) -> Assessment {
        let value = json!({
            "schema_version": "1.0",
            "tool": { "name": "vigil", "version": "0.1.0" },
            "target": { "path": target, "commit": null },
            "generated_at": "2026-11-27T00:00:00Z",
            "as_of": "2026-11-27",
            "scope": serde_json::to_value(Scope::default()).expect("scope"),
            "summary": serde_json::to_value(Summary::default()).expect("summary"),
            "inventory": serde_json::to_value(Inventory::default()).expect("inventory"),
            "model": serde_json::to_value(SystemModel::default()).expect("model"),
            "findings": [],
            "roadmap": serde_json::to_value(Roadmap::default()).expect("roadmap"),
            "coverage": serde_json::to_value(Coverage::default()).expect("coverage"),
            "diagnostics": [],
        });
        let mut assessment: Assessment = serde_json::from_value(value).expect("assessment");
        assessment.findings = findings;
        assessment
    }

    fn finding(fingerprint: &str, rule: &str, band: Band, evidence: Vec<Evidence>) -> Finding {
        let mut finding = Finding::new(FindingKind::Threat, fingerprint.to_owned(), "A threat");
        finding.rule_id = Some(rule.to_owned());
        finding.evidence = evidence;
        finding.score = Score {
            likelihood: 5,
            impact: 5,
            detectability: 4,
            rpn: 100,
            band,
            ..Score::default()
        };
        finding
    }

    fn vulnerability(sites: Vec<Evidence>) -> Finding {
        let mut finding = Finding::new(
            FindingKind::Vulnerability,
            "f00d".to_owned(),
            "lodash 4.17.15: Prototype Pollution in lodash",
        );
        finding.advisory_ids = vec!["GHSA-p6mc-m468-83gw".into(), "CVE-2020-8203".into()];
        finding.evidence = vec![Evidence::at("services/api/package-lock.json", Some(29))];
        let details = json!({
            "ecosystem": "npm",
            "package": "lodash",
            "installed": "4.17.15",
            "fixed": "4.17.19",
            "upgrade_to": "4.17.21",
            "direct": true,
            "scope": "prod",
            "reachability": "imported",
            "reachability_evidence": sites,
            "kev": null,
            "epss": null,
            "references": [
                "https://nvd.nist.gov/vuln/detail/CVE-2020-8203",
                "https://github.com/advisories/GHSA-p6mc-m468-83gw",
            ],
        });
        finding.vulnerability = Some(serde_json::from_value(details).expect("details"));
        finding.score.band = Band::High;
        finding.score.cvss = Some(Cvss {
            version: "3.1".into(),
            vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H".into(),
            base_score: 7.4,
        });
        finding
    }

    fn sarif(assessment: &Assessment) -> Value {
        serde_json::from_str(&render(assessment)).expect("valid JSON")
    }

    #[test]
    fn bands_map_to_levels() {
        assert_eq!(level(Band::Critical), "error");
        assert_eq!(level(Band::High), "error");
        assert_eq!(level(Band::Medium), "warning");
        assert_eq!(level(Band::Low), "note");
        let log = sarif(&assessment(
            "repo",
            vec![
                finding("aa", "r-low", Band::Low, vec![Evidence::at("a.tf", Some(1))]),
                finding(
                    "bb",
                    "r-medium",
                    Band::Medium,
                    vec![Evidence::at("a.tf", Some(2))],
                ),
            ],
        ));
        let results = &log["runs"][0]["results"];
        assert_eq!(results[0]["level"], "note");
        assert_eq!(results[1]["level"], "warning");
        let rules = &log["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(rules[0]["properties"]["security-severity"], "2.0");
        assert_eq!(rules[1]["properties"]["security-severity"], "5.5");
    }

    #[test]
    fn non_open_findings_are_suppressed_not_dropped() {
        let mut accepted = finding("aa", "r", Band::High, vec![Evidence::at("a.tf", Some(3))]);
        accepted.status = Status::NotAffected;
        let decision = json!({
            "source": "openvex:vex.json",
            "vex_status": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path",
            "statement": "only used by the test suite",
        });
        accepted.decision = Some(serde_json::from_value(decision).expect("decision"));
        let open = finding("bb", "r", Band::High, vec![Evidence::at("a.tf", Some(4))]);
        let log = sarif(&assessment("repo", vec![accepted, open]));
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), 2);
        let suppression = &results[0]["suppressions"][0];
        assert_eq!(suppression["kind"], "external");
        assert_eq!(suppression["status"], "accepted");
        let justification = suppression["justification"].as_str().expect("justification");
        assert!(justification.contains("openvex:vex.json"), "{justification}");
        assert!(
            justification.contains("only used by the test suite"),
            "{justification}"
        );
        assert_eq!(results[0]["properties"]["status"], "not_affected");
        assert!(results[1].get("suppressions").is_none());
    }

    #[test]
    fn a_location_without_a_line_has_no_region_and_pathless_evidence_names_the_component() {
        let mut no_line = finding("aa", "r", Band::Medium, vec![Evidence::at("Dockerfile", None)]);
        no_line.components = vec!["svc:api".into()];
        let mut pathless = finding("bb", "r", Band::Medium, vec![Evidence::default()]);
        pathless.components = vec!["svc:api".into()];
        let log = sarif(&assessment("repo", vec![no_line, pathless]));
        let results = &log["runs"][0]["results"];
        let physical = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "Dockerfile");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], SRCROOT);
        assert!(physical.get("region").is_none(), "{physical}");
        let logical = &results[1]["locations"][0]["logicalLocations"][0];
        assert_eq!(logical["fullyQualifiedName"], "svc:api");
        assert!(results[1]["locations"][0].get("physicalLocation").is_none());
    }

    #[test]
    fn a_reached_vulnerability_gets_a_code_flow_ending_at_its_manifest() {
        let sites = vec![
            Evidence::at("services/api/src/server.js", Some(3)),
            Evidence::at("services/api/src/cart.js", Some(9)).with_note("calls _.merge"),
        ];
        let log = sarif(&assessment("repo", vec![vulnerability(sites)]));
        let result = &log["runs"][0]["results"][0];
        let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .expect("thread flow locations");
        let uris: Vec<&str> = steps
            .iter()
            .filter_map(|s| s["location"]["physicalLocation"]["artifactLocation"]["uri"].as_str())
            .collect();
        assert_eq!(
            uris,
            [
                "services/api/src/server.js",
                "services/api/src/cart.js",
                "services/api/package-lock.json"
            ]
        );
        assert_eq!(steps[1]["location"]["message"]["text"], "calls _.merge");
        assert_eq!(result["ruleId"], "GHSA-p6mc-m468-83gw");
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(rule["shortDescription"]["text"], "Prototype Pollution in lodash");
        assert_eq!(rule["properties"]["security-severity"], "7.4");
        assert_eq!(
            rule["helpUri"],
            "https://github.com/advisories/GHSA-p6mc-m468-83gw"
        );
        // Without reachability sites there is no flow to show.
        let log = sarif(&assessment("repo", vec![vulnerability(Vec::new())]));
        assert!(log["runs"][0]["results"][0].get("codeFlows").is_none());
    }

    #[test]
    fn rules_are_shared_and_described_by_what_their_titles_share() {
        let mut one = finding("aa", "aws-s3-public-access", Band::Critical, Vec::new());
        one.title = "S3 bucket aws_s3_bucket.exports is readable by anyone".into();
        one.cwe = vec!["CWE-284".into(), "CWE-200".into()];
        let mut two = finding("bb", "aws-s3-public-access", Band::High, Vec::new());
        two.title = "S3 bucket aws_s3_bucket.images is readable by anyone".into();
        let log = sarif(&assessment("repo", vec![one, two]));
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0]["name"], "AwsS3PublicAccess");
        assert_eq!(
            rules[0]["shortDescription"]["text"],
            "S3 bucket … is readable by anyone"
        );
        assert_eq!(rules[0]["properties"]["security-severity"], "9.5");
        assert_eq!(
            rules[0]["properties"]["tags"],
            json!([
                "security",
                "threat",
                "external/cwe/cwe-284",
                "external/cwe/cwe-200"
            ])
        );
        let results = &log["runs"][0]["results"];
        assert_eq!(results[1]["ruleIndex"], 0);
    }

    #[test]
    fn paths_become_uri_references_and_only_absolute_targets_bind_srcroot() {
        assert_eq!(relative_uri("./src/my file#1.rs"), "src/my%20file%231.rs");
        assert_eq!(relative_uri("c:odd/name"), "c%3Aodd/name");
        assert!(original_uri_base_ids("examples/shop").is_none());
        let bases = original_uri_base_ids("/home/dev/my shop").expect("absolute");
        assert_eq!(bases[SRCROOT]["uri"], "file:///home/dev/my%20shop/");
        let log = sarif(&assessment("/srv/repo", Vec::new()));
        assert_eq!(
            log["runs"][0]["originalUriBaseIds"][SRCROOT]["uri"],
            "file:///srv/repo/"
        );
        assert_eq!(log["runs"][0]["results"], json!([]));
    }

    #[test]
    fn shared_words_need_differing_titles() {
        assert_eq!(shared_words(&["same title", "same title"]), None);
        assert_eq!(shared_words(&["a b", "c d"]), None);
        assert_eq!(
            shared_words(&["x.one is public", "x.two is public"]).as_deref(),
            Some("… is public")
        );
        assert_eq!(shared_words(&["Job a", "Job"]).as_deref(), Some("Job …"));
    }
}
