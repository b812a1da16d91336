//! The compliance requirements catalog: every requirement a finding can cite, by objective and id, with a
//! short title paraphrasing the standard's own heading.
//!
//! Rules and other stages cite requirements by bare id (`(Objective::Soc2, "CC6.1")`); the title is looked
//! up here when the reference is shown, so one requirement reads the same everywhere. Findings imported
//! from other scanners carry only CWE ids: [`for_cwe`] maps those to requirements.

mod catalog;
mod cwe;

use std::fmt;

use crate::config::Objective;

pub use catalog::REQUIREMENTS;

/// One requirement of a compliance objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    pub objective: Objective,
    /// The standard's own numbering: `6.2.4`, `164.312(a)(1)`, `CC6.1`, `Art. 32(1)(a)`, `V5.3.4`.
    pub id: &'static str,
    /// A short paraphrase of the requirement's heading.
    pub title: &'static str,
}

/// `<id> <title>`, the form users see.
impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id, self.title)
    }
}

/// The requirement `id` of `objective`, if the catalog has it.
pub fn requirement(objective: Objective, id: &str) -> Option<&'static Requirement> {
    REQUIREMENTS
        .iter()
        .find(|r| r.objective == objective && r.id == id)
}

/// `<id> <title>` for a reference; the bare id when the catalog lacks it, so a reference is never lost
/// (the tests keep every reference a rule makes in the catalog).
pub fn label(objective: Objective, id: &str) -> String {
    requirement(objective, id).map_or_else(|| id.to_owned(), ToString::to_string)
}

/// References by id, labelled for display, in their order.
pub fn labels(references: &[(Objective, &str)]) -> Vec<(Objective, String)> {
    references
        .iter()
        .map(|(objective, id)| (*objective, label(*objective, id)))
        .collect()
}

/// What a dependency with a known vulnerability fails.
const VULNERABLE_DEPENDENCY: &[(Objective, &str)] = &[
    (Objective::PciDss4, "6.3.3"),
    (Objective::Hipaa, "164.308(a)(1)(ii)(B)"),
    (Objective::Soc2, "CC7.1"),
    (Objective::Gdpr, "Art. 32(1)(d)"),
    (Objective::OwaspAsvs, "V14.2.1"),
];

/// What a credential written into code or configuration fails.
const SECRET_IN_CODE: &[(Objective, &str)] = &[
    (Objective::PciDss4, "8.6.2"),
    (Objective::Soc2, "CC6.1"),
    (Objective::Hipaa, "164.312(d)"),
    (Objective::OwaspAsvs, "V2.10.4"),
];

/// Requirements a vulnerable dependency (a known advisory against a package in use) bears on.
pub const fn for_vulnerable_dependency() -> &'static [(Objective, &'static str)] {
    VULNERABLE_DEPENDENCY
}

/// Requirements a secret committed to code or configuration bears on.
pub const fn for_secret_in_code() -> &'static [(Objective, &'static str)] {
    SECRET_IN_CODE
}

/// Requirements a weakness bears on, for findings that carry only a CWE id (imported SARIF results).
/// Accepts `CWE-79`, `cwe-079`, CodeQL's `external/cwe/cwe-079` and a bare `79`; an unknown or malformed
/// CWE gives no requirements.
pub fn for_cwe(cwe: &str) -> Vec<(Objective, &'static str)> {
    let Some(number) = cwe::number(cwe) else {
        return Vec::new();
    };
    cwe::TABLE
        .iter()
        .filter(|(id, _)| cwe::number(id) == Some(number))
        .flat_map(|(_, references)| references.iter().copied())
        .collect()
}

/// [`for_cwe`] over several CWEs, each requirement once, in first-seen order.
pub fn for_cwes<'a>(cwes: impl IntoIterator<Item = &'a str>) -> Vec<(Objective, &'static str)> {
    let mut out: Vec<(Objective, &'static str)> = Vec::new();
    for cwe in cwes {
        for reference in for_cwe(cwe) {
            if !out.contains(&reference) {
                out.push(reference);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_digits(s: &str) -> bool {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
    }

    /// `^\d+\.\d+(\.\d+)*$`
    fn is_pci_id(id: &str) -> bool {
        let parts: Vec<&str> = id.split('.').collect();
        parts.len() >= 2 && parts.iter().all(|p| all_digits(p))
    }

    /// `(x)(y)...`, one or more parenthesised alphanumeric paragraph markers and nothing else.
    fn is_paragraph_chain(s: &str) -> bool {
        let Some(inner) = s.strip_prefix('(').and_then(|s| s.strip_suffix(')')) else {
            return false;
        };
        inner
            .split(")(")
            .all(|marker| !marker.is_empty() && marker.bytes().all(|b| b.is_ascii_alphanumeric()))
    }

    /// `^164\.3(08|12)\(` followed by paragraph markers only.
    fn is_hipaa_id(id: &str) -> bool {
        ["164.308", "164.312"]
            .iter()
            .any(|section| id.strip_prefix(section).is_some_and(is_paragraph_chain))
    }

    /// `^(CC|A|PI|C|P)\d+\.\d+$`
    fn is_soc2_id(id: &str) -> bool {
        let Some(rest) = ["CC", "PI", "A", "C", "P"]
            .iter()
            .find_map(|series| id.strip_prefix(series))
        else {
            return false;
        };
        matches!(rest.split_once('.'), Some((a, b)) if all_digits(a) && all_digits(b))
    }

    /// `^Art\. \d+` then optional paragraph markers.
    fn is_gdpr_id(id: &str) -> bool {
        let Some(rest) = id.strip_prefix("Art. ") else {
            return false;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (article, paragraphs) = rest.split_at(digits);
        all_digits(article) && (paragraphs.is_empty() || is_paragraph_chain(paragraphs))
    }

    /// `^V\d+\.\d+\.\d+$`
    fn is_asvs_id(id: &str) -> bool {
        let Some(rest) = id.strip_prefix('V') else {
            return false;
        };
        let parts: Vec<&str> = rest.split('.').collect();
        parts.len() == 3 && parts.iter().all(|p| all_digits(p))
    }

    fn well_formed(objective: Objective, id: &str) -> bool {
        match objective {
            Objective::PciDss4 => is_pci_id(id),
            Objective::Hipaa => is_hipaa_id(id),
            Objective::Soc2 => is_soc2_id(id),
            Objective::Gdpr => is_gdpr_id(id),
            Objective::OwaspAsvs => is_asvs_id(id),
        }
    }

    #[test]
    fn shape_checks_accept_and_reject() {
        assert!(is_pci_id("6.2.4") && is_pci_id("10.2.1.1") && !is_pci_id("6") && !is_pci_id("6.4 changes"));
        assert!(is_hipaa_id("164.312(a)(2)(iv)") && is_hipaa_id("164.312(b)"));
        assert!(!is_hipaa_id("164.502(e)") && !is_hipaa_id("164.312(a) access") && !is_hipaa_id("164.312()"));
        assert!(is_soc2_id("CC6.1") && is_soc2_id("A1.2") && is_soc2_id("PI1.2"));
        assert!(!is_soc2_id("CC6") && !is_soc2_id("CC6.1 logical"));
        assert!(is_gdpr_id("Art. 32(1)(a)") && is_gdpr_id("Art. 17") && !is_gdpr_id("Article 17"));
        assert!(is_asvs_id("V14.2.1") && !is_asvs_id("V1.14") && !is_asvs_id("V5.3.4 SQL"));
    }

    #[test]
    fn every_id_has_the_shape_of_its_objective() {
        for r in REQUIREMENTS {
            assert!(
                well_formed(r.objective, r.id),
                "{}: {:?}",
                r.objective.as_str(),
                r.id
            );
            assert!(
                !r.title.is_empty() && r.title.trim() == r.title,
                "{}: title {:?}",
                r.id,
                r.title
            );
        }
    }

    #[test]
    fn no_requirement_is_listed_twice() {
        for (i, r) in REQUIREMENTS.iter().enumerate() {
            let twin = REQUIREMENTS[i + 1..]
                .iter()
                .find(|o| o.objective == r.objective && o.id == r.id);
            assert!(twin.is_none(), "{} {} listed twice", r.objective.as_str(), r.id);
        }
    }

    #[test]
    fn every_objective_has_requirements() {
        for objective in Objective::ALL {
            assert!(
                REQUIREMENTS.iter().any(|r| r.objective == objective),
                "{}",
                objective.as_str()
            );
        }
    }

    #[test]
    fn fixed_sets_and_the_cwe_table_cite_only_catalogued_requirements() {
        let fixed = for_vulnerable_dependency().iter().chain(for_secret_in_code());
        let from_cwes = cwe::TABLE.iter().flat_map(|(_, references)| references.iter());
        for (objective, id) in fixed.chain(from_cwes) {
            assert!(
                requirement(*objective, id).is_some(),
                "{} {id} is not in the catalog",
                objective.as_str()
            );
        }
    }

    #[test]
    fn cwe_table_is_well_formed_and_has_no_duplicates() {
        for (i, (cwe, references)) in cwe::TABLE.iter().enumerate() {
            let digits = cwe.strip_prefix("CWE-").unwrap_or_default();
            assert!(
                all_digits(digits) && !digits.starts_with('0'),
                "malformed {cwe:?}"
            );
            assert!(!references.is_empty(), "{cwe} maps to nothing");
            assert!(
                cwe::TABLE[i + 1..].iter().all(|(other, _)| other != cwe),
                "{cwe} listed twice"
            );
            for (j, reference) in references.iter().enumerate() {
                assert!(
                    !references[j + 1..].contains(reference),
                    "{cwe} cites {reference:?} twice"
                );
            }
        }
    }

    #[test]
    fn cwe_table_covers_the_2024_top_25() {
        const TOP_25_2024: [&str; 25] = [
            "CWE-79", "CWE-787", "CWE-89", "CWE-352", "CWE-22", "CWE-125", "CWE-78", "CWE-416", "CWE-862",
            "CWE-434", "CWE-94", "CWE-20", "CWE-77", "CWE-287", "CWE-269", "CWE-502", "CWE-200", "CWE-863",
            "CWE-918", "CWE-119", "CWE-476", "CWE-798", "CWE-190", "CWE-400", "CWE-306",
        ];
        for cwe in TOP_25_2024 {
            let references = for_cwe(cwe);
            assert!(
                references.contains(&(Objective::PciDss4, "6.2.4"))
                    || references.contains(&(Objective::PciDss4, "8.6.2")),
                "{cwe} has no PCI DSS software requirement"
            );
            assert!(
                references.iter().any(|(o, _)| *o == Objective::Soc2),
                "{cwe} has no SOC 2 criterion"
            );
        }
    }

    #[test]
    fn cwe_lookup_normalises_spelling() {
        let sql = for_cwe("CWE-89");
        assert!(sql.contains(&(Objective::OwaspAsvs, "V5.3.4")));
        assert_eq!(for_cwe("cwe-089"), sql);
        assert_eq!(for_cwe("external/cwe/cwe-089"), sql);
        assert_eq!(for_cwe("89"), sql);
        assert!(for_cwe("CWE-").is_empty());
        assert!(for_cwe("CWE-999999").is_empty());
        assert!(for_cwe("not a cwe").is_empty());
    }

    #[test]
    fn several_cwes_merge_without_repeats() {
        let merged = for_cwes(["CWE-78", "CWE-77"]);
        let pci = merged
            .iter()
            .filter(|r| **r == (Objective::PciDss4, "6.2.4"))
            .count();
        assert_eq!(pci, 1);
        assert!(merged.contains(&(Objective::OwaspAsvs, "V5.3.8")));
    }

    #[test]
    fn labels_read_id_then_title() {
        assert_eq!(
            label(Objective::OwaspAsvs, "V5.3.4"),
            format!(
                "V5.3.4 {}",
                requirement(Objective::OwaspAsvs, "V5.3.4").map_or("", |r| r.title)
            )
        );
        assert!(label(Objective::PciDss4, "6.3.3").starts_with("6.3.3 "));
        assert_eq!(label(Objective::PciDss4, "99.99"), "99.99");
        assert_eq!(labels(for_secret_in_code()).len(), for_secret_in_code().len());
    }
}
