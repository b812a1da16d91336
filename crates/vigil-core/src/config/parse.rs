//! Parsing and validating `vigil.toml`.
//!
//! The text is parsed into a spanned TOML tree (syntax errors are recovered from, so several are reported at
//! once), then walked key by key. Each problem becomes a [`Diagnostic`] with the file and line; the walk goes
//! on after a problem so that one run shows every mistake, not the first (cargo-deny's approach).

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    AssetOverride, BandThresholds, DiscoverSettings, Industry, Objective, RiskPreset, SLA_PRESETS, Scope,
    SecretAllow, SettingKind, SlaPolicy, TRACKERS, TicketSettings, TrackerSettings, TriageEntry,
    TriageStatus,
};
use crate::asset::{Criticality, DataClass};
use crate::diagnostic::Diagnostic;
use crate::score::Band;
use crate::text::LineIndex;

/// Every problem found in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// Parses and validates a configuration file. `path` names the file in diagnostics.
pub fn parse(path: &str, text: &str) -> Result<Scope, ConfigError> {
    let mut checker = Checker {
        path,
        lines: LineIndex::new(text),
        problems: Vec::new(),
    };
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    for error in syntax_errors {
        let span = error.span().unwrap_or(0..0);
        checker.problem(span, format!("invalid TOML: {}", error.message().trim()));
    }
    let scope = checker.root(root.get_ref());
    if checker.problems.is_empty() {
        Ok(scope)
    } else {
        checker.problems.sort();
        checker.problems.dedup();
        Err(ConfigError {
            diagnostics: checker.problems,
        })
    }
}

type Value<'i> = Spanned<DeValue<'i>>;

struct Checker<'a> {
    path: &'a str,
    lines: LineIndex,
    problems: Vec<Diagnostic>,
}

const ROOT_KEYS: &[&str] = &[
    "scope", "discover", "risk", "sla", "override", "secrets", "triage", "tickets",
];
const TICKETS_KEYS: &[&str] = &["bands", "source_url", "github", "jira", "azure-devops"];
const SECRETS_KEYS: &[&str] = &["allow"];
const SECRET_ALLOW_KEYS: &[&str] = &["path", "fingerprint", "detector", "reason"];
const SCOPE_KEYS: &[&str] = &[
    "name",
    "include",
    "exclude",
    "objectives",
    "industry",
    "cadence_days",
    "owner",
];
const DISCOVER_KEYS: &[&str] = &["max_file_size", "respect_gitignore"];
const RISK_KEYS: &[&str] = &["bands", "preset", "weights"];
const TRIAGE_KEYS: &[&str] = &[
    "status",
    "fingerprint",
    "rule",
    "advisory",
    "path",
    "reason",
    "owner",
    "expires",
    "justification",
];
/// OpenVEX 0.2.0 justification labels.
const VEX_JUSTIFICATIONS: &[&str] = &[
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];
const BAND_KEYS: &[&str] = &["critical", "high", "medium"];
const SLA_KEYS: &[&str] = &["preset", "critical", "high", "medium", "low"];
const OVERRIDE_KEYS: &[&str] = &["path", "criticality", "data_classes", "internet_facing"];

impl Checker<'_> {
    fn problem(&mut self, span: Range<usize>, message: String) {
        let line = self.lines.line(span.start);
        self.problems
            .push(Diagnostic::error(self.path, Some(line), message));
    }

    fn root(&mut self, root: &DeTable<'_>) -> Scope {
        let mut scope = Scope::default();
        self.known_keys("", root, ROOT_KEYS);
        if let Some(table) = self.section(root, "scope") {
            self.scope_section(table, &mut scope);
        }
        if let Some(table) = self.section(root, "discover") {
            scope.discover = self.discover_section(table);
        }
        if let Some(table) = self.section(root, "risk") {
            self.known_keys("risk.", table, RISK_KEYS);
            if let Some(bands) = self.section(table, "bands") {
                scope.risk.bands = self.bands(bands);
            }
            if let Some(v) = get(table, "preset") {
                let options: Vec<_> = RiskPreset::ALL.iter().map(|p| (p.as_str(), *p)).collect();
                scope.risk.preset = self.choice("risk.preset", v, &options).unwrap_or_default();
            }
            if let Some(weights) = self.section(table, "weights") {
                scope.risk.weights = self.weights(weights);
            }
        }
        if let Some(value) = get(root, "triage") {
            scope.triage = self.triage(value);
        }
        if let Some(table) = self.section(root, "tickets") {
            scope.tickets = self.tickets(table);
        }
        if let Some(table) = self.section(root, "sla") {
            scope.sla = self.sla_section(table);
        }
        if let Some(value) = get(root, "override") {
            scope.overrides = self.overrides(value);
        }
        if let Some(table) = self.section(root, "secrets") {
            self.known_keys("secrets.", table, SECRETS_KEYS);
            if let Some(value) = get(table, "allow") {
                scope.secrets.allow = self.secret_allows(value);
            }
        }
        scope
    }

    fn secret_allows(&mut self, value: &Value<'_>) -> Vec<SecretAllow> {
        let DeValue::Array(items) = value.get_ref() else {
            self.problem(
                value.span(),
                "`secrets.allow` must be an array of tables: write `[[secrets.allow]]`".into(),
            );
            return Vec::new();
        };
        let mut allows = Vec::new();
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                self.problem(item.span(), "each `secrets.allow` entry must be a table".into());
                continue;
            };
            self.known_keys("secrets.allow.", table, SECRET_ALLOW_KEYS);
            let mut entry = SecretAllow {
                line: self.lines.line(item.span().start),
                ..Default::default()
            };
            if let Some(v) = get(table, "path") {
                entry.path = self.globs_one("secrets.allow.path", v).and_then(|mut g| g.pop());
            }
            if let Some(v) = get(table, "fingerprint") {
                entry.fingerprint = self.string("secrets.allow.fingerprint", v);
                if entry
                    .fingerprint
                    .as_ref()
                    .is_some_and(|f| f.len() < 8 || !f.chars().all(|c| c.is_ascii_hexdigit()))
                {
                    self.problem(v.span(), "`secrets.allow.fingerprint` must be at least 8 hex digits of a secret's value_fingerprint".into());
                }
            }
            if let Some(v) = get(table, "detector") {
                entry.detector = self.string("secrets.allow.detector", v);
            }
            match get(table, "reason") {
                Some(v) => entry.reason = self.string("secrets.allow.reason", v).unwrap_or_default(),
                None => self.problem(item.span(), "a `secrets.allow` entry needs a `reason`".into()),
            }
            if entry.path.is_none() && entry.fingerprint.is_none() && entry.detector.is_none() {
                self.problem(
                    item.span(),
                    "a `secrets.allow` entry needs a `path`, `fingerprint` or `detector`".into(),
                );
            }
            allows.push(entry);
        }
        allows
    }

    fn scope_section(&mut self, table: &DeTable<'_>, scope: &mut Scope) {
        self.known_keys("scope.", table, SCOPE_KEYS);
        if let Some(v) = get(table, "name") {
            scope.name = self.string("scope.name", v);
        }
        if let Some(v) = get(table, "include") {
            scope.include = self.globs("scope.include", v);
        }
        if let Some(v) = get(table, "exclude") {
            scope.exclude = self.globs("scope.exclude", v);
        }
        if let Some(v) = get(table, "objectives") {
            let options: Vec<_> = Objective::ALL.iter().map(|o| (o.as_str(), *o)).collect();
            scope.objectives = self.choices("scope.objectives", v, &options);
        }
        if let Some(v) = get(table, "industry") {
            let options: Vec<_> = Industry::ALL.iter().map(|i| (i.as_str(), *i)).collect();
            scope.industry = self.choice("scope.industry", v, &options);
        }
        if let Some(v) = get(table, "owner") {
            scope.owner = self.string("scope.owner", v);
        }
        if let Some(v) = get(table, "cadence_days") {
            scope.cadence_days = self.integer("scope.cadence_days", v, 1, 3650).map(|d| d as u16);
        }
        if scope.industry == Some(Industry::Custom)
            && scope.cadence_days.is_none()
            && let Some(v) = get(table, "industry")
        {
            self.problem(
                v.span(),
                "`industry = \"custom\"` needs `scope.cadence_days`: how many days between assessments"
                    .into(),
            );
        }
    }

    fn discover_section(&mut self, table: &DeTable<'_>) -> DiscoverSettings {
        self.known_keys("discover.", table, DISCOVER_KEYS);
        let mut settings = DiscoverSettings::default();
        if let Some(v) = get(table, "max_file_size")
            && let Some(size) = self.size("discover.max_file_size", v)
        {
            settings.max_file_size = size;
        }
        if let Some(v) = get(table, "respect_gitignore")
            && let Some(b) = self.boolean("discover.respect_gitignore", v)
        {
            settings.respect_gitignore = b;
        }
        settings
    }

    fn bands(&mut self, table: &DeTable<'_>) -> BandThresholds {
        self.known_keys("risk.bands.", table, BAND_KEYS);
        let mut bands = BandThresholds::default();
        for (key, slot) in [
            ("critical", &mut bands.critical),
            ("high", &mut bands.high),
            ("medium", &mut bands.medium),
        ] {
            if let Some(v) = get(table, key)
                && let Some(n) = self.integer(&format!("risk.bands.{key}"), v, 1, 1000)
            {
                *slot = n as u16;
            }
        }
        if !(bands.critical > bands.high && bands.high > bands.medium) {
            let span = get(table, "critical")
                .or_else(|| get(table, "high"))
                .map_or(0..0, Spanned::span);
            self.problem(
                span,
                format!(
                    "risk.bands must decrease: critical ({}) > high ({}) > medium ({})",
                    bands.critical, bands.high, bands.medium
                ),
            );
        }
        bands
    }

    fn tickets(&mut self, table: &DeTable<'_>) -> TicketSettings {
        self.known_keys("tickets.", table, TICKETS_KEYS);
        let mut settings = TicketSettings::default();
        if let Some(v) = get(table, "bands") {
            let options: Vec<_> = Band::ALL.iter().map(|b| (b.as_str(), *b)).collect();
            settings.bands = self.choices("tickets.bands", v, &options);
        }
        if let Some(v) = get(table, "source_url") {
            settings.source_url = self.string("tickets.source_url", v);
        }
        for (tracker, keys, required) in TRACKERS {
            let Some(section) = self.section(table, tracker) else {
                continue;
            };
            let prefix = format!("tickets.{tracker}.");
            let mut names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
            // A pasted credential gets its own message, and the file stays free of secrets.
            for key in ["token", "password", "api_key", "pat"] {
                if let Some(v) = get(section, key) {
                    names.push(key);
                    self.problem(
                        v.span(),
                        format!(
                            "`{prefix}{key}`: credentials are not read from vigil.toml; put it in an environment \
                             variable and name that with `{prefix}token_env` (or a file with `token_file`)"
                        ),
                    );
                }
            }
            self.known_keys(&prefix, section, &names);
            let mut tracker_settings = TrackerSettings::default();
            for (key, kind) in *keys {
                let Some(v) = get(section, key) else {
                    continue;
                };
                let name = format!("{prefix}{key}");
                match kind {
                    SettingKind::Text => {
                        if let Some(text) = self.string(&name, v) {
                            tracker_settings.text.insert((*key).to_owned(), text);
                        }
                    }
                    SettingKind::List => {
                        let items = self.strings(&name, v).into_iter().map(|(s, _)| s).collect();
                        tracker_settings.lists.insert((*key).to_owned(), items);
                    }
                }
            }
            for key in *required {
                if tracker_settings.get(key).is_none() && get(section, key).is_none() {
                    let span = get(table, tracker).map_or(0..0, Spanned::span);
                    self.problem(span, format!("`[tickets.{tracker}]` needs `{key}`"));
                }
            }
            if *tracker == "jira"
                && let (Some(value), Some(v)) =
                    (tracker_settings.get("deployment"), get(section, "deployment"))
                && !JIRA_DEPLOYMENTS.contains(&value)
            {
                let hint = closest(value, JIRA_DEPLOYMENTS)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                self.problem(
                    v.span(),
                    format!(
                        "`{prefix}deployment`: unknown value `{value}`{hint} (expected one of: {})",
                        JIRA_DEPLOYMENTS.join(", ")
                    ),
                );
            }
            if let (Some(_), Some(v)) = (tracker_settings.get("token_env"), get(section, "token_file")) {
                self.problem(
                    v.span(),
                    format!("`{prefix}token_env` and `{prefix}token_file` both given: keep one"),
                );
            }
            settings.trackers.insert((*tracker).to_owned(), tracker_settings);
        }
        settings
    }

    fn weights(&mut self, table: &DeTable<'_>) -> std::collections::BTreeMap<String, f32> {
        self.known_keys("risk.weights.", table, crate::score::FACTOR_NAMES);
        let mut weights = std::collections::BTreeMap::new();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            if !crate::score::FACTOR_NAMES.contains(&name) {
                continue;
            }
            let number = match value.get_ref() {
                DeValue::Float(f) => f.as_str().parse::<f32>().ok(),
                DeValue::Integer(i) => i.as_str().parse::<f32>().ok(),
                _ => None,
            };
            match number {
                Some(w) if (0.0..=5.0).contains(&w) => {
                    weights.insert(name.to_owned(), w);
                }
                _ => self.problem(
                    value.span(),
                    format!(
                        "`risk.weights.{name}` must be a number from 0 to 5, found {}",
                        render(value)
                    ),
                ),
            }
        }
        weights
    }

    fn triage(&mut self, value: &Value<'_>) -> Vec<TriageEntry> {
        let DeValue::Array(items) = value.get_ref() else {
            self.problem(
                value.span(),
                "`triage` must be an array of tables: write `[[triage]]`".into(),
            );
            return Vec::new();
        };
        let mut entries = Vec::new();
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                self.problem(item.span(), "each `[[triage]]` entry must be a table".into());
                continue;
            };
            if let Some(entry) = self.triage_entry(table, item.span()) {
                entries.push(entry);
            }
        }
        entries
    }

    fn triage_entry(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Option<TriageEntry> {
        self.known_keys("triage.", table, TRIAGE_KEYS);
        let problems = self.problems.len();
        let options: Vec<_> = TriageStatus::ALL.iter().map(|s| (s.as_str(), *s)).collect();
        let status = match get(table, "status") {
            Some(v) => self.choice("triage.status", v, &options),
            None => {
                self.problem(
                    span.clone(),
                    "a `[[triage]]` entry needs a `status` (accepted, false-positive or not-affected)".into(),
                );
                None
            }
        };
        let text = |checker: &mut Self, key: &str| {
            get(table, key).and_then(|v| checker.string(&format!("triage.{key}"), v))
        };
        let fingerprint = text(self, "fingerprint");
        let rule = text(self, "rule");
        let advisory = text(self, "advisory");
        let path = get(table, "path").and_then(|v| self.globs_one("triage.path", v)?.pop());
        if fingerprint.is_none() && rule.is_none() && advisory.is_none() && path.is_none() {
            self.problem(
                span.clone(),
                "a `[[triage]]` entry needs a `fingerprint`, `rule`, `advisory` or `path`".into(),
            );
        }
        let required = |checker: &mut Self, key: &str| {
            let found = text(checker, key);
            if found.is_none() && get(table, key).is_none() {
                checker.problem(span.clone(), format!("a `[[triage]]` entry needs `{key}`"));
            }
            found.unwrap_or_default()
        };
        let reason = required(self, "reason");
        let owner = required(self, "owner");
        let expires = get(table, "expires").and_then(|v| self.date("triage.expires", v));
        let justification = match get(table, "justification") {
            Some(v) => {
                let options: Vec<_> = VEX_JUSTIFICATIONS.iter().map(|j| (*j, *j)).collect();
                self.choice("triage.justification", v, &options)
                    .map(str::to_owned)
            }
            None => None,
        };
        if status == Some(TriageStatus::Accepted) && expires.is_none() {
            self.problem(
                span.clone(),
                "an `accepted` `[[triage]]` entry needs `expires`: accepted risk is reviewed, not forgotten"
                    .into(),
            );
        }
        if get(table, "justification").is_some() && status != Some(TriageStatus::NotAffected) {
            self.problem(
                span.clone(),
                "`triage.justification` is only for `not-affected` entries".into(),
            );
        }
        if self.problems.len() > problems {
            return None;
        }
        Some(TriageEntry {
            status: status?,
            fingerprint,
            rule,
            advisory,
            path,
            reason,
            owner,
            expires,
            justification,
            file: self.path.to_owned(),
            line: self.lines.line(span.start),
        })
    }

    fn date(&mut self, key: &str, value: &Value<'_>) -> Option<time::Date> {
        let parsed = match value.get_ref() {
            DeValue::String(s) => crate::date::parse(s),
            DeValue::Datetime(d) => crate::date::parse(&d.to_string()),
            _ => None,
        };
        if parsed.is_none() {
            self.problem(
                value.span(),
                format!("`{key}` must be a date (YYYY-MM-DD), found {}", render(value)),
            );
        }
        parsed
    }

    fn sla_section(&mut self, table: &DeTable<'_>) -> SlaPolicy {
        self.known_keys("sla.", table, SLA_KEYS);
        let mut sla = SlaPolicy::default();
        if let Some(v) = get(table, "preset") {
            let options: Vec<_> = SLA_PRESETS.iter().map(|(name, _)| (*name, *name)).collect();
            if let Some(preset) = self.choice("sla.preset", v, &options) {
                sla = SlaPolicy::preset(preset).unwrap_or_default();
            }
        }
        for (key, slot) in [
            ("critical", &mut sla.critical),
            ("high", &mut sla.high),
            ("medium", &mut sla.medium),
            ("low", &mut sla.low),
        ] {
            if let Some(v) = get(table, key)
                && let Some(days) = self.integer(&format!("sla.{key}"), v, 1, 3650)
            {
                *slot = days as u16;
            }
        }
        if !(sla.critical <= sla.high && sla.high <= sla.medium && sla.medium <= sla.low) {
            let span = table.iter().next().map_or(0..0, |(k, _)| k.span());
            self.problem(
                span,
                format!(
                    "sla days must not decrease with severity: critical ({}) <= high ({}) <= medium ({}) <= low ({})",
                    sla.critical, sla.high, sla.medium, sla.low
                ),
            );
        }
        sla
    }

    fn overrides(&mut self, value: &Value<'_>) -> Vec<AssetOverride> {
        let DeValue::Array(items) = value.get_ref() else {
            self.problem(
                value.span(),
                "`override` must be an array of tables: write `[[override]]`".into(),
            );
            return Vec::new();
        };
        let mut overrides = Vec::new();
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                self.problem(item.span(), "each `[[override]]` entry must be a table".into());
                continue;
            };
            self.known_keys("override.", table, OVERRIDE_KEYS);
            let mut entry = AssetOverride {
                line: self.lines.line(item.span().start),
                ..Default::default()
            };
            match get(table, "path") {
                Some(v) => {
                    if let Some(mut globs) = self.globs_one("override.path", v) {
                        entry.path = globs.remove(0);
                    }
                }
                None => self.problem(item.span(), "`[[override]]` needs a `path` glob".into()),
            }
            if let Some(v) = get(table, "criticality") {
                let options: Vec<_> = Criticality::ALL.iter().map(|c| (c.as_str(), *c)).collect();
                entry.criticality = self.choice("override.criticality", v, &options);
            }
            if let Some(v) = get(table, "data_classes") {
                let options: Vec<_> = DataClass::ALL.iter().map(|c| (c.as_str(), *c)).collect();
                entry.data_classes = self.choices("override.data_classes", v, &options);
            }
            if let Some(v) = get(table, "internet_facing") {
                entry.internet_facing = self.boolean("override.internet_facing", v);
            }
            overrides.push(entry);
        }
        overrides
    }

    // ---- typed readers: each reports a problem and returns None (or empty) on a wrong value ----

    fn section<'t, 'i>(&mut self, table: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
        let value = get(table, key)?;
        match value.get_ref() {
            DeValue::Table(inner) => Some(inner),
            other => {
                self.problem(
                    value.span(),
                    format!("`{key}` must be a table, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn known_keys(&mut self, prefix: &str, table: &DeTable<'_>, allowed: &[&str]) {
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if allowed.contains(&name) {
                continue;
            }
            let hint = match closest(name, allowed) {
                Some(suggestion) => format!("; did you mean `{prefix}{suggestion}`?"),
                None => format!("; expected one of: {}", allowed.join(", ")),
            };
            self.problem(key.span(), format!("unknown key `{prefix}{name}`{hint}"));
        }
    }

    fn string(&mut self, key: &str, value: &Value<'_>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => Some(s.to_string()),
            DeValue::String(_) => {
                self.problem(value.span(), format!("`{key}` must not be empty"));
                None
            }
            other => {
                self.problem(
                    value.span(),
                    format!("`{key}` must be a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn strings(&mut self, key: &str, value: &Value<'_>) -> Vec<(String, Range<usize>)> {
        match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.string(&format!("{key}[]"), item).map(|s| (s, item.span())))
                .collect(),
            other => {
                self.problem(
                    value.span(),
                    format!("`{key}` must be an array of strings, found {}", other.type_str()),
                );
                Vec::new()
            }
        }
    }

    fn globs(&mut self, key: &str, value: &Value<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for (glob, span) in self.strings(key, value) {
            if let Err(error) = globset::Glob::new(&glob) {
                self.problem(span, format!("`{key}`: invalid glob `{glob}`: {}", error.kind()));
            } else {
                out.push(glob);
            }
        }
        out
    }

    fn globs_one(&mut self, key: &str, value: &Value<'_>) -> Option<Vec<String>> {
        let glob = self.string(key, value)?;
        match globset::Glob::new(&glob) {
            Ok(_) => Some(vec![glob]),
            Err(error) => {
                self.problem(
                    value.span(),
                    format!("`{key}`: invalid glob `{glob}`: {}", error.kind()),
                );
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, value: &Value<'_>) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.problem(
                    value.span(),
                    format!("`{key}` must be true or false, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn integer(&mut self, key: &str, value: &Value<'_>, min: u64, max: u64) -> Option<u64> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        match parsed {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.problem(
                    value.span(),
                    format!(
                        "`{key}` must be an integer from {min} to {max}, found {}",
                        render(value)
                    ),
                );
                None
            }
        }
    }

    fn size(&mut self, key: &str, value: &Value<'_>) -> Option<u64> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).ok(),
            DeValue::String(s) => parse_size(s),
            _ => None,
        };
        match parsed {
            Some(n) if n > 0 => Some(n),
            _ => {
                self.problem(
                    value.span(),
                    format!(
                        "`{key}` must be a positive size in bytes or with a unit (\"512 KiB\", \"8 MiB\"), found {}",
                        render(value)
                    ),
                );
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, key: &str, value: &Value<'_>, options: &[(&str, T)]) -> Option<T> {
        let text = self.string(key, value)?;
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == text) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        let hint = closest(&text, &names)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        self.problem(
            value.span(),
            format!(
                "`{key}`: unknown value `{text}`{hint} (expected one of: {})",
                names.join(", ")
            ),
        );
        None
    }

    fn choices<T: Copy + PartialEq>(
        &mut self,
        key: &str,
        value: &Value<'_>,
        options: &[(&str, T)],
    ) -> Vec<T> {
        let DeValue::Array(items) = value.get_ref() else {
            self.problem(
                value.span(),
                format!("`{key}` must be an array of strings, found {}", render(value)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let Some(v) = self.choice(key, item, options)
                && !out.contains(&v)
            {
                out.push(v);
            }
        }
        out
    }
}

/// `[tickets.jira] deployment`: which REST API and rich-text format the site speaks.
const JIRA_DEPLOYMENTS: &[&str] = &["cloud", "data-center"];

fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Value<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn render(value: &Value<'_>) -> String {
    match value.get_ref() {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(i) => i.as_str().to_owned(),
        DeValue::Float(f) => f.as_str().to_owned(),
        DeValue::Boolean(b) => b.to_string(),
        other => other.type_str().to_owned(),
    }
}

/// "8 MiB", "512KB", "1024" -> bytes.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" => 1 << 10,
        "mb" => 1_000_000,
        "mib" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(multiplier)
}

/// The allowed name within edit distance 2 of `name`, if one is clearly meant.
fn closest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match parse("vigil.toml", text) {
            Ok(_) => Vec::new(),
            Err(e) => e.diagnostics.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        assert_eq!(parse("vigil.toml", "").unwrap(), Scope::default());
    }

    #[test]
    fn a_full_file_is_read() {
        let scope = parse(
            "vigil.toml",
            r#"
[scope]
name = "shop"
include = ["services/**"]
exclude = ["**/testdata/**"]
objectives = ["pci-dss-4.0", "gdpr"]
industry = "retail"
owner = "@acme/appsec"

[discover]
max_file_size = "2 MiB"
respect_gitignore = false

[risk.bands]
critical = 500
high = 250
medium = 100

[sla]
preset = "defectdojo"
critical = 3

[[override]]
path = "services/payments/**"
criticality = "critical"
data_classes = ["pci", "pii"]
internet_facing = true
"#,
        )
        .unwrap();
        assert_eq!(scope.name.as_deref(), Some("shop"));
        assert_eq!(scope.objectives, vec![Objective::PciDss4, Objective::Gdpr]);
        assert_eq!(scope.industry, Some(Industry::Retail));
        assert_eq!(scope.discover.max_file_size, 2 * 1024 * 1024);
        assert!(!scope.discover.respect_gitignore);
        assert_eq!(
            scope.risk.bands,
            BandThresholds {
                critical: 500,
                high: 250,
                medium: 100
            }
        );
        assert_eq!(
            (scope.sla.preset.as_str(), scope.sla.critical, scope.sla.low),
            ("defectdojo", 3, 120)
        );
        assert_eq!(scope.overrides.len(), 1);
        assert_eq!(scope.overrides[0].criticality, Some(Criticality::Critical));
        assert_eq!(
            scope.overrides[0].data_classes,
            vec![DataClass::Pci, DataClass::Pii]
        );
        assert_eq!(scope.overrides[0].line, 23);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let found = problems(
            r#"[scope]
nmae = "shop"
objectives = ["pci", "gdpr"]
industry = 3

[discover]
max_file_size = "lots"

[sla]
critical = 0
hihg = 30

[colour]
"#,
        );
        assert_eq!(
            found,
            vec![
                "vigil.toml:2: error: unknown key `scope.nmae`; did you mean `scope.name`?",
                "vigil.toml:3: error: `scope.objectives`: unknown value `pci` (expected one of: pci-dss-4.0, hipaa, soc2, gdpr, owasp-asvs)",
                "vigil.toml:4: error: `scope.industry` must be a string, found integer",
                "vigil.toml:7: error: `discover.max_file_size` must be a positive size in bytes or with a unit (\"512 KiB\", \"8 MiB\"), found \"lots\"",
                "vigil.toml:10: error: `sla.critical` must be an integer from 1 to 3650, found 0",
                "vigil.toml:11: error: unknown key `sla.hihg`; did you mean `sla.high`?",
                "vigil.toml:13: error: unknown key `colour`; expected one of: scope, discover, risk, sla, override, secrets, triage, tickets",
            ]
        );
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let found = problems("[scope]\nname = \"shop\"\ninclude = [\"a\",\n\n[sla\n");
        assert!(!found.is_empty());
        assert!(found.iter().all(|p| p.starts_with("vigil.toml:")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("invalid TOML")), "{found:?}");
    }

    #[test]
    fn inconsistent_policies_are_rejected() {
        let found = problems("[risk.bands]\ncritical = 100\nhigh = 200\n\n[sla]\ncritical = 40\nhigh = 30\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("risk.bands must decrease"));
        assert!(found[1].contains("sla days must not decrease"));
    }

    #[test]
    fn bad_globs_and_missing_override_paths_are_reported() {
        let found = problems("[scope]\ninclude = [\"a/[b\"]\n\n[[override]]\ncriticality = \"high\"\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("vigil.toml:2:") && found[0].contains("invalid glob"));
        assert!(found[1].starts_with("vigil.toml:4:") && found[1].contains("needs a `path`"));
    }

    #[test]
    fn secret_allowlist_entries_are_validated() {
        let scope = parse(
            "vigil.toml",
            "[[secrets.allow]]\npath = \"tests/fixtures/**\"\nreason = \"fake keys for tests\"\n\n[[secrets.allow]]\nfingerprint = \"0123abcd\"\ndetector = \"jwt\"\nreason = \"revoked\"\n",
        )
        .unwrap();
        assert_eq!(scope.secrets.allow.len(), 2);
        assert_eq!(scope.secrets.allow[1].detector.as_deref(), Some("jwt"));
        assert_eq!(scope.secrets.allow[0].line, 1);
        let found =
            problems("[[secrets.allow]]\nfingerprint = \"xyz\"\n\n[[secrets.allow]]\nreason = \"why\"\n");
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].starts_with("vigil.toml:1:") && found[0].contains("needs a `reason`"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("vigil.toml:2:") && found[1].contains("8 hex digits"),
            "{found:?}"
        );
        assert!(
            found[2].starts_with("vigil.toml:4:") && found[2].contains("needs a `path`"),
            "{found:?}"
        );
    }

    #[test]
    fn presets_and_weights_are_read() {
        let scope = parse(
            "vigil.toml",
            "[risk]\npreset = \"ssvc\"\n\n[risk.weights]\nkev = 2\nblast-radius = 0.5\n\n[sla]\npreset = \"fedramp\"\n",
        )
        .unwrap();
        assert_eq!(scope.risk.preset, RiskPreset::Ssvc);
        assert_eq!(scope.risk.weight("kev"), 2.0);
        assert_eq!(scope.risk.weight("blast-radius"), 0.5);
        assert_eq!(scope.risk.weight("epss"), 1.0);
        assert_eq!(
            [
                scope.sla.critical,
                scope.sla.high,
                scope.sla.medium,
                scope.sla.low
            ],
            [30, 30, 90, 180]
        );
        let bod = parse("vigil.toml", "[sla]\npreset = \"bod-26-04\"\n").unwrap();
        assert_eq!([bod.sla.critical, bod.sla.high, bod.sla.medium], [3, 14, 60]);
    }

    #[test]
    fn bad_presets_and_weights_name_the_problem_and_line() {
        let found = problems(
            "[risk]\npreset = \"sscv\"\n\n[risk.weights]\nkev = 9\nexploitability = 1\n\n[sla]\npreset = \"fedrmap\"\n",
        );
        assert_eq!(
            found,
            vec![
                "vigil.toml:2: error: `risk.preset`: unknown value `sscv`; did you mean `ssvc`? (expected one of: rpn, ssvc, bod-26-04)",
                "vigil.toml:5: error: `risk.weights.kev` must be a number from 0 to 5, found 9",
                "vigil.toml:6: error: unknown key `risk.weights.exploitability`; expected one of: base, internet-exposure, unauthenticated, reachability, kev, kev-ransomware, public-exploit, epss, data-sensitivity, availability-only, regulation, criticality, blast-radius, telemetry, access-logging, detective-control",
                "vigil.toml:9: error: `sla.preset`: unknown value `fedrmap`; did you mean `fedramp`? (expected one of: default, defectdojo, fedramp, bod-26-04)",
            ]
        );
    }

    #[test]
    fn triage_entries_are_read() {
        let scope = parse(
            "vigil.toml",
            r#"
[[triage]]
status = "accepted"
advisory = "CVE-2023-32681"
reason = "requests only calls our own API over an internal network"
owner = "@acme/payments"
expires = 2027-01-31

[[triage]]
status = "not-affected"
rule = "missing-rate-limiting"
path = "services/admin/**"
justification = "inline_mitigations_already_exist"
reason = "the gateway rate-limits"
owner = "alice@example.com"
"#,
        )
        .unwrap();
        assert_eq!(scope.triage.len(), 2);
        let first = &scope.triage[0];
        assert_eq!(first.status, TriageStatus::Accepted);
        assert_eq!(first.advisory.as_deref(), Some("CVE-2023-32681"));
        assert_eq!(
            first.expires.map(crate::date::format).as_deref(),
            Some("2027-01-31")
        );
        assert_eq!(first.line, 2);
        assert_eq!(scope.triage[1].path.as_deref(), Some("services/admin/**"));
        assert_eq!(
            scope.triage[1].justification.as_deref(),
            Some("inline_mitigations_already_exist")
        );
    }

    #[test]
    fn bad_triage_entries_name_the_problem_and_line() {
        let found = problems(
            r#"[[triage]]
status = "accepted"
rule = "x"
reason = "r"
owner = "o"

[[triage]]
status = "ignored"
reason = "r"

[[triage]]
status = "false-positive"
path = "a/[b"
owner = "o"
reason = "r"
expires = "soon"
justification = "because"
"#,
        );
        assert_eq!(
            found,
            vec![
                "vigil.toml:1: error: an `accepted` `[[triage]]` entry needs `expires`: accepted risk is reviewed, not forgotten",
                "vigil.toml:7: error: a `[[triage]]` entry needs `owner`",
                "vigil.toml:7: error: a `[[triage]]` entry needs a `fingerprint`, `rule`, `advisory` or `path`",
                "vigil.toml:8: error: `triage.status`: unknown value `ignored` (expected one of: accepted, false-positive, not-affected)",
                "vigil.toml:11: error: `triage.justification` is only for `not-affected` entries",
                "vigil.toml:11: error: a `[[triage]]` entry needs a `fingerprint`, `rule`, `advisory` or `path`",
                "vigil.toml:13: error: `triage.path`: invalid glob `a/[b`: unclosed character class; missing ']'",
                "vigil.toml:16: error: `triage.expires` must be a date (YYYY-MM-DD), found \"soon\"",
                "vigil.toml:17: error: `triage.justification`: unknown value `because` (expected one of: component_not_present, vulnerable_code_not_present, vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist)",
            ]
        );
    }

    #[test]
    fn cadence_comes_from_the_industry_or_is_said() {
        let days = |text: &str| parse("vigil.toml", text).map(|s| s.cadence_days());
        assert_eq!(days("").unwrap(), 91);
        assert_eq!(days("[scope]\nindustry = \"retail\"\n").unwrap(), 182);
        assert_eq!(days("[scope]\nindustry = \"small-business\"\n").unwrap(), 365);
        assert_eq!(
            days("[scope]\nindustry = \"finance\"\ncadence_days = 30\n").unwrap(),
            30
        );
        assert_eq!(
            problems("[scope]\nindustry = \"custom\"\n"),
            vec![
                "vigil.toml:2: error: `industry = \"custom\"` needs `scope.cadence_days`: how many days between assessments"
            ]
        );
    }

    #[test]
    fn ticket_trackers_are_read_and_checked() {
        let scope = parse(
            "vigil.toml",
            "[tickets]\nbands = [\"critical\"]\nsource_url = \"https://github.com/acme/shop/blob/{commit}/{path}#L{line}\"\n\n[tickets.github]\nrepository = \"acme/shop\"\nlabels = [\"security\"]\n\n[tickets.jira]\nbase_url = \"https://acme.atlassian.net\"\nproject = \"SEC\"\nemail = \"bot@acme.example\"\n",
        )
        .unwrap();
        assert_eq!(scope.tickets.bands, vec![Band::Critical]);
        assert_eq!(
            scope.tickets.trackers["github"].get("repository"),
            Some("acme/shop")
        );
        assert_eq!(scope.tickets.trackers["github"].list("labels"), vec!["security"]);
        assert_eq!(scope.tickets.trackers["jira"].get("project"), Some("SEC"));
        assert_eq!(
            problems("[tickets.jira]\nproject = \"SEC\"\ntoken = \"abc\"\n\n[tickets.trello]\n"),
            vec![
                "vigil.toml:1: error: `[tickets.jira]` needs `base_url`",
                "vigil.toml:3: error: `tickets.jira.token`: credentials are not read from vigil.toml; put it in an environment variable and name that with `tickets.jira.token_env` (or a file with `token_file`)",
                "vigil.toml:5: error: unknown key `tickets.trello`; expected one of: bands, source_url, github, jira, azure-devops",
            ]
        );
    }

    #[test]
    fn the_jira_deployment_is_cloud_or_data_center() {
        let scope = parse(
            "vigil.toml",
            "[tickets.jira]\nbase_url = \"https://jira.acme.example\"\nproject = \"SEC\"\ndeployment = \"data-center\"\n",
        )
        .unwrap();
        assert_eq!(
            scope.tickets.trackers["jira"].get("deployment"),
            Some("data-center")
        );
        assert_eq!(
            problems(
                "[tickets.jira]\nbase_url = \"https://jira.acme.example\"\nproject = \"SEC\"\ndeployment = \"datacenter\"\n"
            ),
            vec![
                "vigil.toml:4: error: `tickets.jira.deployment`: unknown value `datacenter`; did you mean `data-center`? (expected one of: cloud, data-center)",
            ]
        );
        assert_eq!(
            problems(
                "[tickets.jira]\nbase_url = \"https://jira.acme.example\"\nproject = \"SEC\"\ndeployment = \"server\"\n"
            ),
            vec![
                "vigil.toml:4: error: `tickets.jira.deployment`: unknown value `server` (expected one of: cloud, data-center)",
            ]
        );
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("512 KiB"), Some(512 * 1024));
        assert_eq!(parse_size("3MB"), Some(3_000_000));
        assert_eq!(parse_size("10"), Some(10));
        assert_eq!(parse_size("10 parsecs"), None);
        assert_eq!(parse_size("99999999999999999999 GiB"), None);
    }
}
