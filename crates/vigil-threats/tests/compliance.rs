//! Rules cite compliance requirements by catalog id: every citation resolves, none is repeated, and the
//! rendered documentation shows the catalog's title.

use vigil_core::compliance;
use vigil_threats::registry;

#[test]
fn every_rule_cites_only_catalogued_requirements() {
    let mut missing = Vec::new();
    for rule in registry::rules() {
        let meta = rule.meta();
        for (objective, id) in meta.compliance {
            if compliance::requirement(*objective, id).is_none() {
                missing.push(format!("{}: {} {id:?}", meta.id, objective.as_str()));
            }
        }
    }
    assert!(missing.is_empty(), "not in the catalog:\n{}", missing.join("\n"));
}

#[test]
fn no_rule_cites_a_requirement_twice() {
    for rule in registry::rules() {
        let meta = rule.meta();
        for (i, reference) in meta.compliance.iter().enumerate() {
            assert!(
                !meta.compliance[i + 1..].contains(reference),
                "{} cites {} {} twice",
                meta.id,
                reference.0.as_str(),
                reference.1
            );
        }
    }
}

#[test]
fn rule_docs_show_id_and_catalog_title() {
    let Some(rule) = registry::find("sql-injection") else {
        panic!("sql-injection is registered");
    };
    let docs = rule.meta().markdown();
    let Some(requirement) = compliance::requirement(vigil_core::Objective::OwaspAsvs, "V5.3.4") else {
        panic!("V5.3.4 is catalogued");
    };
    assert!(
        docs.contains(&format!("- owasp-asvs: V5.3.4 {}\n", requirement.title)),
        "{docs}"
    );
}

#[test]
fn secret_in_code_cites_the_shared_set() {
    let Some(rule) = registry::find("secret-in-code") else {
        panic!("secret-in-code is registered");
    };
    assert_eq!(rule.meta().compliance, compliance::for_secret_in_code());
}
