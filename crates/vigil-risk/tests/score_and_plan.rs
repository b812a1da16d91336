//! Scoring explains itself and adds up; planning groups, ranks, owns and dates actions.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use time::macros::date;
use vigil_core::{
    ActionKind, Band, Confidence, Dependency, DependencyScope, Dimension, Ecosystem, Evidence, Finding,
    FindingKind, Inventory, Objective, OwnershipRule, Reachability, Scope, SeverityVector, SystemModel,
    VulnerabilityDetails,
};

const RCE: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const DOS: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";

fn inventory(scope: DependencyScope) -> Inventory {
    let dependency = Dependency {
        ecosystem: Ecosystem::Npm,
        name: "lodash".into(),
        version: "4.17.15".into(),
        direct: Some(true),
        scope,
    };
    let mut inventory = Inventory {
        assets: vec![dependency.into_asset(Evidence::at("api/package-lock.json", Some(29)))],
        ..Inventory::default()
    };
    inventory.normalize();
    inventory
}

fn vulnerability(id: &str, vector: Option<&str>, scope: DependencyScope, inventory: &Inventory) -> Finding {
    let mut finding = Finding::new(
        FindingKind::Vulnerability,
        vigil_core::fingerprint(&[id]),
        format!("lodash: {id}"),
    );
    finding.advisory_ids = vec![id.into()];
    finding.assets = vec![inventory.assets[0].id.clone()];
    finding.evidence = vec![Evidence::at("api/package-lock.json", Some(29))];
    finding.vulnerability = Some(VulnerabilityDetails {
        ecosystem: Ecosystem::Npm,
        package: "lodash".into(),
        installed: "4.17.15".into(),
        fixed: Some("4.17.21".into()),
        upgrade_to: Some("4.17.21".into()),
        direct: Some(true),
        scope,
        reachability: if scope == DependencyScope::Dev {
            Reachability::DevOnly
        } else {
            Reachability::Present
        },
        reachability_evidence: vec![],
        reachability_note: None,
        vulnerable_functions: vec![],
        severity: vector
            .map(|v| SeverityVector {
                kind: "CVSS_V3".into(),
                score: v.into(),
            })
            .into_iter()
            .collect(),
        kev: None,
        kev_listing: None,
        epss: None,
        epss_percentile: None,
        exploits: None,
        references: vec![format!("https://example.org/{id}")],
    });
    finding
}

fn score(findings: &mut [Finding], inventory: &Inventory, scope: &Scope) {
    vigil_risk::score(findings, inventory, &SystemModel::default(), scope);
}

fn sum(finding: &Finding, dimension: Dimension) -> i32 {
    finding
        .score
        .factors
        .iter()
        .filter(|f| f.dimension == dimension)
        .map(|f| i32::from(f.value))
        .sum()
}

#[test]
fn cvss_sets_the_base_and_every_factor_is_listed() {
    let inventory = inventory(DependencyScope::Prod);
    let mut findings = vec![vulnerability(
        "GHSA-1",
        Some(RCE),
        DependencyScope::Prod,
        &inventory,
    )];
    score(&mut findings, &inventory, &Scope::default());
    let s = &findings[0].score;
    assert_eq!((s.likelihood, s.impact, s.detectability), (7, 8, 8));
    assert_eq!(s.rpn, 448);
    assert_eq!(s.band, Band::Critical);
    for dimension in [Dimension::Likelihood, Dimension::Impact, Dimension::Detectability] {
        let value = match dimension {
            Dimension::Likelihood => s.likelihood,
            Dimension::Impact => s.impact,
            Dimension::Detectability => s.detectability,
        };
        assert_eq!(
            sum(&findings[0], dimension),
            i32::from(value),
            "{dimension:?} is the sum of its factors"
        );
    }
    let names: Vec<&str> = s.factors.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["base", "reachability", "base", "base"]);
    assert!(s.factors[0].evidence.contains("exploitability 3.9"));
    assert_eq!(s.cvss.as_ref().unwrap().base_score, 9.8);
    assert_eq!(
        s.confidence,
        Confidence::Low,
        "KEV/EPSS and telemetry were not available"
    );
    assert_eq!(s.assumptions.len(), 2);
}

#[test]
fn dev_only_and_availability_only_flaws_rank_lower() {
    let inventory = inventory(DependencyScope::Dev);
    let mut findings = vec![
        vulnerability("GHSA-dev", Some(RCE), DependencyScope::Dev, &inventory),
        vulnerability("GHSA-dos", Some(DOS), DependencyScope::Prod, &inventory),
    ];
    score(&mut findings, &inventory, &Scope::default());
    assert_eq!(findings[0].score.likelihood, 6, "9 base - 3 dev-only");
    let dos = &findings[1].score;
    assert_eq!(dos.detectability, 3, "an outage is noticed");
    assert!(
        dos.factors
            .iter()
            .any(|f| f.name == "base" && f.evidence.contains("denial of service"))
    );
    assert!(dos.band < findings[0].score.band || dos.rpn < findings[0].score.rpn);
}

#[test]
fn missing_inputs_are_assumptions_not_zeros() {
    let inventory = inventory(DependencyScope::Prod);
    let mut findings = vec![vulnerability("PYSEC-1", None, DependencyScope::Prod, &inventory)];
    score(&mut findings, &inventory, &Scope::default());
    let s = &findings[0].score;
    assert_eq!(
        (s.likelihood, s.impact),
        (3, 5),
        "assumed medium, minus the unknown reachability"
    );
    assert!(s.assumptions.iter().any(|a| a.contains("no CVSS vector")));
    assert_eq!(s.confidence, Confidence::Low);
}

#[test]
fn bands_follow_the_configured_thresholds() {
    let inventory = inventory(DependencyScope::Prod);
    let strict = vigil_core::config::parse(
        "vigil.toml",
        "[risk.bands]\ncritical = 900\nhigh = 440\nmedium = 10\n",
    )
    .unwrap();
    let mut findings = vec![vulnerability(
        "GHSA-1",
        Some(RCE),
        DependencyScope::Prod,
        &inventory,
    )];
    score(&mut findings, &inventory, &strict);
    assert_eq!((findings[0].score.rpn, findings[0].score.band), (448, Band::High));
}

#[test]
fn one_upgrade_per_package_with_owner_due_date_and_compliance() {
    let mut inventory = inventory(DependencyScope::Prod);
    inventory.ownership = vec![OwnershipRule {
        pattern: "/api/".into(),
        owners: vec!["@shop/storefront".into()],
        evidence: Evidence::at(".github/CODEOWNERS", Some(4)),
    }];
    let scope = Scope {
        objectives: vec![Objective::PciDss4],
        owner: Some("@shop/security".into()),
        ..Scope::default()
    };
    let mut findings = vec![
        vulnerability("GHSA-1", Some(RCE), DependencyScope::Prod, &inventory),
        vulnerability("GHSA-2", Some(DOS), DependencyScope::Prod, &inventory),
    ];
    score(&mut findings, &inventory, &scope);
    let roadmap = vigil_risk::plan(&findings, &inventory, &scope, date!(2026 - 11 - 27));
    assert_eq!(roadmap.actions.len(), 1);
    let action = &roadmap.actions[0];
    assert_eq!(action.kind, ActionKind::Upgrade);
    assert_eq!(
        action.title,
        "Upgrade lodash 4.17.15 to 4.17.21 in api/package-lock.json (fixes 2 advisories)"
    );
    assert_eq!(action.findings.len(), 2);
    assert_eq!(action.band, Band::Critical);
    assert_eq!(action.due, date!(2026 - 12 - 04), "critical: 7 days");
    assert_eq!(
        action.risk_removed,
        findings.iter().map(|f| u32::from(f.score.rpn)).sum::<u32>()
    );
    assert_eq!(action.owner.as_ref().unwrap().name, "@shop/storefront");
    assert_eq!(action.runbook.steps[0], "In api: `npm install lodash@4.17.21`.");
    assert_eq!(action.runbook.references.len(), 2);
    assert_eq!(
        action.compliance.len(),
        1,
        "only objectives in scope: {:?}",
        action.compliance
    );
    assert!(action.compliance[0].starts_with("pci-dss-4.0 6.3.3"));

    // Without a matching CODEOWNERS rule, the scope owner is responsible.
    inventory.ownership.clear();
    let roadmap = vigil_risk::plan(&findings, &inventory, &scope, date!(2026 - 11 - 27));
    assert_eq!(roadmap.actions[0].owner.as_ref().unwrap().name, "@shop/security");
}

#[test]
fn sla_presets_set_due_dates() {
    let inventory = inventory(DependencyScope::Prod);
    let config = "[sla]\npreset = \"defectdojo\"\n\n[risk.bands]\ncritical = 900\nhigh = 500\nmedium = 200\n";
    let scope = vigil_core::config::parse("vigil.toml", config).unwrap();
    let mut findings = vec![vulnerability("PYSEC-1", None, DependencyScope::Prod, &inventory)];
    score(&mut findings, &inventory, &scope);
    assert_eq!(findings[0].score.band, Band::Low);
    let roadmap = vigil_risk::plan(&findings, &inventory, &scope, date!(2026 - 01 - 01));
    assert_eq!(
        roadmap.actions[0].due,
        date!(2026 - 05 - 01),
        "low: 120 days under the defectdojo preset"
    );
}

#[test]
fn exploitation_signals_raise_or_lower_likelihood_with_their_evidence() {
    let inventory = inventory(DependencyScope::Prod);
    let base = vulnerability("GHSA-1", Some(RCE), DependencyScope::Prod, &inventory);
    let with = |kev: Option<bool>, ransomware: bool, epss: Option<f64>, exploits: Option<Vec<String>>| {
        let mut finding = base.clone();
        let details = finding.vulnerability.as_mut().unwrap();
        details.kev = kev;
        details.kev_listing = (kev == Some(true)).then(|| vigil_core::KevListing {
            cve: "CVE-2021-44228".into(),
            date_added: "2021-12-10".into(),
            due_date: "2021-12-24".into(),
            ransomware,
        });
        details.epss = epss;
        details.epss_percentile = epss.map(|_| 0.999);
        details.exploits = exploits;
        let mut findings = vec![finding];
        score(&mut findings, &inventory, &Scope::default());
        findings.remove(0)
    };
    let factor = |finding: &Finding, name: &str| {
        finding
            .score
            .factors
            .iter()
            .find(|f| f.name == name)
            .map(|f| (f.value, f.evidence.clone()))
    };

    let exploited = with(Some(true), true, Some(0.97), Some(vec!["EDB-50592".into()]));
    let (value, evidence) = factor(&exploited, "kev").unwrap();
    assert_eq!(value, 3);
    assert!(
        evidence.contains("CVE-2021-44228") && evidence.contains("2021-12-10"),
        "{evidence}"
    );
    assert_eq!(factor(&exploited, "kev-ransomware").unwrap().0, 1);
    assert_eq!(factor(&exploited, "epss").unwrap().0, 2);
    assert!(factor(&exploited, "epss").unwrap().1.contains("99.9"));
    assert!(
        factor(&exploited, "public-exploit").is_none(),
        "KEV already says exploited"
    );
    assert!(
        !exploited
            .score
            .assumptions
            .iter()
            .any(|a| a.contains("exploitation"))
    );

    let exploit_only = with(Some(false), false, Some(0.2), Some(vec!["EDB-1".into()]));
    assert_eq!(factor(&exploit_only, "public-exploit").unwrap().0, 2);
    assert_eq!(factor(&exploit_only, "epss").unwrap().0, 1);
    assert!(factor(&exploit_only, "kev").is_none());

    let unlikely = with(Some(false), false, Some(0.004), Some(vec![]));
    assert_eq!(factor(&unlikely, "epss").unwrap().0, -1);
    assert!(unlikely.score.likelihood < exploited.score.likelihood);

    let unknown = with(None, false, None, None);
    assert!(factor(&unknown, "epss").is_none());
    assert!(
        unknown
            .score
            .assumptions
            .iter()
            .any(|a| a.contains("CISA KEV, ExploitDB, EPSS")),
        "{:?}",
        unknown.score.assumptions
    );
}

/// The orderings issue 6 asks for, on the scorer itself: context beats a bare CVSS score, an unreachable
/// flaw falls with its reason written down, and a missing EPSS value is an assumption, not a zero.
#[test]
fn context_orders_findings_and_missing_epss_does_not_sink_one() {
    const HIGH_NETWORK: &str = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N";
    let inventory = inventory(DependencyScope::Prod);
    let model = SystemModel {
        components: vec![vigil_core::Component {
            id: "svc:payments".into(),
            name: "payments".into(),
            internet_facing: true,
            data_classes: vec![vigil_core::DataClass::Pci],
            ..vigil_core::Component::default()
        }],
        ..SystemModel::default()
    };
    let scope = Scope {
        objectives: vec![Objective::PciDss4],
        ..Scope::default()
    };

    // A KEV-listed flaw whose vulnerable function is called, in an Internet-facing service with card data.
    let mut exploited = vulnerability("GHSA-kev", Some(HIGH_NETWORK), DependencyScope::Prod, &inventory);
    exploited.components = vec!["svc:payments".into()];
    let details = exploited.vulnerability.as_mut().unwrap();
    details.kev = Some(true);
    details.reachability = Reachability::FunctionCalled;
    details.epss = Some(0.42);
    // A CVSS 9.8 flaw in a development-only dependency.
    let dev_only = vulnerability("GHSA-dev", Some(RCE), DependencyScope::Dev, &inventory);
    // The same 9.8 flaw in production with no EPSS score, next to one EPSS scores as unlikely.
    let mut unscored = vulnerability("GHSA-unscored", Some(RCE), DependencyScope::Prod, &inventory);
    unscored.vulnerability.as_mut().unwrap().kev = Some(false);
    let mut unlikely = vulnerability("GHSA-unlikely", Some(RCE), DependencyScope::Prod, &inventory);
    let details = unlikely.vulnerability.as_mut().unwrap();
    details.kev = Some(false);
    details.epss = Some(0.0004);

    let mut findings = vec![dev_only, unlikely, unscored, exploited];
    vigil_risk::score(&mut findings, &inventory, &model, &scope);
    let rpn = |id: &str| {
        findings
            .iter()
            .find(|f| f.advisory_ids[0] == id)
            .unwrap()
            .score
            .rpn
    };
    assert!(
        rpn("GHSA-kev") > rpn("GHSA-dev"),
        "KEV + called + exposed + PCI ({}) above CVSS 9.8 dev-only ({})",
        rpn("GHSA-kev"),
        rpn("GHSA-dev")
    );
    assert!(
        rpn("GHSA-unscored") >= rpn("GHSA-unlikely"),
        "no EPSS ({}) is not below a low EPSS ({})",
        rpn("GHSA-unscored"),
        rpn("GHSA-unlikely")
    );
    let dev = findings.iter().find(|f| f.advisory_ids[0] == "GHSA-dev").unwrap();
    assert!(
        dev.score
            .factors
            .iter()
            .any(|f| f.value < 0 && f.evidence.to_lowercase().contains("dev")),
        "the dev-only finding says why it fell: {:#?}",
        dev.score.factors
    );
    let unscored = findings
        .iter()
        .find(|f| f.advisory_ids[0] == "GHSA-unscored")
        .unwrap();
    assert!(
        unscored
            .score
            .assumptions
            .iter()
            .any(|a| a.to_lowercase().contains("epss")),
        "a missing EPSS value is said: {:?}",
        unscored.score.assumptions
    );
}

fn exposed_payments_model() -> SystemModel {
    SystemModel {
        components: vec![
            vigil_core::Component {
                id: "internet".into(),
                name: "Internet".into(),
                kind: vigil_core::ComponentKind::ExternalEntity,
                ..vigil_core::Component::default()
            },
            vigil_core::Component {
                id: "svc:payments".into(),
                name: "payments".into(),
                internet_facing: true,
                data_classes: vec![vigil_core::DataClass::Pci],
                ..vigil_core::Component::default()
            },
        ],
        flows: vec![vigil_core::Flow {
            id: "f1".into(),
            source: "internet".into(),
            target: "svc:payments".into(),
            label: "HTTPS".into(),
            protocol: None,
            authenticated: Some(false),
            encrypted: Some(true),
            data_classes: vec![],
            evidence: vec![],
            assumed: false,
        }],
        ..SystemModel::default()
    }
}

fn kev_listed(inventory: &Inventory) -> Finding {
    let mut finding = vulnerability("GHSA-kev", Some(RCE), DependencyScope::Prod, inventory);
    finding.components = vec!["svc:payments".into()];
    let details = finding.vulnerability.as_mut().unwrap();
    details.kev = Some(true);
    details.exploits = Some(vec![]);
    details.reachability = Reachability::FunctionCalled;
    finding
}

/// The CISA SSVC and BOD 26-04 tables are evaluated for every vulnerability with their inputs' evidence,
/// and the `[risk] preset` and `[sla] preset` make them decide the band and the due date.
#[test]
fn ssvc_and_bod_26_04_decide_when_the_presets_say_so() {
    let inventory = inventory(DependencyScope::Prod);
    let model = exposed_payments_model();
    let mut findings = vec![kev_listed(&inventory)];
    vigil_risk::score(&mut findings, &inventory, &model, &Scope::default());
    let decisions = &findings[0].score.decisions;
    let outcome = |policy: &str| {
        decisions
            .iter()
            .find(|d| d.policy == policy)
            .map(|d| d.outcome.as_str())
    };
    assert_eq!(outcome("cisa-ssvc-2.0.3"), Some("act"));
    assert_eq!(outcome("cisa-bod-26-04"), Some("3 days & forensic investigation"));
    let ssvc = &decisions[0];
    let inputs: Vec<(&str, &str)> = ssvc
        .inputs
        .iter()
        .map(|i| (i.name.as_str(), i.value.as_str()))
        .collect();
    assert_eq!(
        inputs,
        vec![
            ("exploitation", "active"),
            ("automatable", "yes"),
            ("technical-impact", "total"),
            ("mission-and-well-being", "high"),
        ]
    );
    assert!(ssvc.inputs.iter().all(|i| !i.evidence.is_empty() && !i.assumed));
    assert_eq!(findings[0].score.band_from, None, "the RPN decides by default");
    assert!(
        findings[0]
            .score
            .factors
            .iter()
            .any(|f| f.name == "unauthenticated"),
        "{:#?}",
        findings[0].score.factors
    );

    // A dev-only flaw with nothing known about exploitation: SSVC track, with the assumption said.
    let mut quiet = vec![vulnerability(
        "GHSA-dev",
        Some(RCE),
        DependencyScope::Dev,
        &inventory,
    )];
    let scope = vigil_core::config::parse(
        "vigil.toml",
        "[risk]\npreset = \"ssvc\"\n\n[sla]\npreset = \"bod-26-04\"\n",
    )
    .unwrap();
    vigil_risk::score(&mut quiet, &inventory, &SystemModel::default(), &scope);
    let s = &quiet[0].score;
    assert_eq!(s.decisions[0].outcome, "track");
    assert!(s.decisions[0].inputs[0].assumed, "exploitation unknown");
    assert_eq!(s.band, Band::Low);
    assert_eq!(s.band_from.as_deref(), Some("cisa-ssvc-2.0.3: track"));

    // Under the bod-26-04 SLA preset, each vulnerability's own Table 1 row sets the deadline.
    let mut findings = vec![kev_listed(&inventory)];
    vigil_risk::score(&mut findings, &inventory, &model, &scope);
    assert_eq!(findings[0].score.band, Band::Critical, "SSVC act");
    let roadmap = vigil_risk::plan(&findings, &inventory, &scope, date!(2026 - 11 - 27));
    assert_eq!(roadmap.actions[0].sla_days, 3);
    assert_eq!(roadmap.actions[0].due, date!(2026 - 11 - 30));
    let roadmap = vigil_risk::plan(&quiet, &inventory, &scope, date!(2026 - 11 - 27));
    assert_eq!(
        roadmap.actions[0].sla_days, 60,
        "not in KEV, not exposed, automatable, total: Table 1 gives 60 days (the table does not weigh reachability)"
    );
}

#[test]
fn a_malformed_cvss_vector_is_a_diagnostic_not_a_crash() {
    let inventory = inventory(DependencyScope::Prod);
    let mut findings = vec![vulnerability(
        "GHSA-bad",
        Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"),
        DependencyScope::Prod,
        &inventory,
    )];
    let diagnostics = vigil_risk::score(
        &mut findings,
        &inventory,
        &SystemModel::default(),
        &Scope::default(),
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].path, "api/package-lock.json");
    assert_eq!(diagnostics[0].line, Some(29));
    assert!(
        diagnostics[0]
            .message
            .starts_with("GHSA-bad: malformed CVSS_V3 vector"),
        "{}",
        diagnostics[0].message
    );
    let s = &findings[0].score;
    assert!(s.cvss.is_none());
    assert!(s.assumptions.iter().any(|a| a.contains("malformed CVSS_V3")));
    assert!(s.assumptions.iter().any(|a| a.contains("no CVSS vector")));
}

#[test]
fn blast_radius_weights_and_detective_controls_are_factors_with_evidence() {
    let inventory = inventory(DependencyScope::Prod);
    let component = |id: &str, kind: vigil_core::ComponentKind| vigil_core::Component {
        id: id.into(),
        name: id.into(),
        kind,
        ..vigil_core::Component::default()
    };
    let mut store = component("orders-db", vigil_core::ComponentKind::Datastore);
    store.add_control(
        "audit-logging",
        vigil_core::ControlSource::Detected,
        Evidence::at("infra/db.tf", Some(4)),
    );
    let mut model = SystemModel {
        components: vec![store],
        ..SystemModel::default()
    };
    for i in 0..5 {
        let name = format!("svc-{i}");
        model
            .components
            .push(component(&name, vigil_core::ComponentKind::Process));
        model.flows.push(vigil_core::Flow {
            id: format!("f{i}"),
            source: name,
            target: "orders-db".into(),
            label: "SQL".into(),
            protocol: None,
            authenticated: None,
            encrypted: None,
            data_classes: vec![],
            evidence: vec![],
            assumed: false,
        });
    }
    let mut finding = vulnerability("GHSA-1", Some(RCE), DependencyScope::Prod, &inventory);
    finding.components = vec!["orders-db".into()];
    let scope = vigil_core::config::parse("vigil.toml", "[risk.weights]\nblast-radius = 0.5\n").unwrap();
    let mut findings = vec![finding];
    vigil_risk::score(&mut findings, &inventory, &model, &scope);
    let s = &findings[0].score;
    let blast = s.factors.iter().find(|f| f.name == "blast-radius").unwrap();
    assert_eq!((blast.value, blast.weight), (2, 0.5));
    assert!(
        blast.evidence.starts_with("5 components depend on it") && blast.evidence.contains("and 2 more"),
        "{}",
        blast.evidence
    );
    let control = s.factors.iter().find(|f| f.name == "detective-control").unwrap();
    assert_eq!(control.evidence, "orders-db has audit-logging (infra/db.tf:4)");
    assert_eq!(s.detectability, 7, "8 base - 1 audit logging");
    assert!(
        !s.assumptions.iter().any(|a| a.contains("telemetry")),
        "a control was found: {:?}",
        s.assumptions
    );
}
