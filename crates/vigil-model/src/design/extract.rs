//! From a document to facts: every phrase of the lexicon found on a line becomes a fact with the line and
//! the phrase, placed on a planned component, or recorded as not applied with the reason (negated, asked as
//! a question, written under "Non-goals").
//!
//! Placement, in order: a component the line itself names; the component the section's heading names; the
//! primary component (the one the feature is about). A datastore named on a line without a component takes
//! that line's data classes, exposure and controls ("Postgres, encrypted at rest").

use serde::Serialize;
use vigil_core::{CapabilityKind, DataClass};

use super::components::{self, Components, PlannedComponent};
use super::document::{Document, LineKind};
use super::lexicon::{self, Lexicon, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactKind {
    Component,
    Capability,
    Data,
    Exposure,
    Control,
    Datastore,
    Integration,
    /// One planned component calls another.
    Flow,
}

impl FactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Component => "component",
            Self::Capability => "capability",
            Self::Data => "data",
            Self::Exposure => "exposure",
            Self::Control => "control",
            Self::Datastore => "datastore",
            Self::Integration => "integration",
            Self::Flow => "flow",
        }
    }
}

/// Whether a fact made it into the planned model, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactStatus {
    Applied,
    /// "no", "not", "without"... before it, or "not", "never" after it.
    Negated,
    /// On a line that asks rather than states.
    Question,
    /// Under a heading such as "Non-goals", "Out of scope", "Alternatives considered", "Future work".
    NotPlanned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactSource {
    Lexicon,
    /// Suggested by the optional LLM pass; marked as assumed wherever it lands.
    Llm,
}

/// What a fact says, typed for building the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Component,
    Capability(CapabilityKind),
    Data(DataClass),
    Exposure,
    Control(&'static str),
    Store(usize),
    Integration(usize),
    /// A call to another planned component, by index into [`Extraction::components`].
    Flow(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub phrase: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub kind: FactKind,
    /// In the model's vocabulary: `accepts-uploads`, `pii`, `rate-limiting`, `postgresql`, `stripe`,
    /// `internet`, or a component's name.
    pub value: String,
    /// The planned component (or datastore) it lands on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Where it was seen first (`line` is `None` for an issue's labels).
    #[serde(flatten)]
    pub at: Occurrence,
    /// Later places saying the same (a few).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Occurrence>,
    pub status: FactStatus,
    pub source: FactSource,
    /// Placed on the primary component only because neither the line nor its section names one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub by_default: bool,
    #[serde(skip)]
    pub what: What,
}

/// Places kept per fact besides the first.
const MAX_ALSO: usize = 4;

#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub components: Vec<PlannedComponent>,
    pub facts: Vec<Fact>,
}

impl Extraction {
    pub fn primary(&self) -> Option<&PlannedComponent> {
        self.components.iter().find(|c| c.primary)
    }

    pub fn applied(&self) -> impl Iterator<Item = &Fact> {
        self.facts.iter().filter(|f| f.status == FactStatus::Applied)
    }

    /// Adds a fact, or its place to the same fact already there.
    pub fn add(&mut self, fact: Fact) {
        let same = self
            .facts
            .iter_mut()
            .find(|f| f.what == fact.what && f.component == fact.component && f.status == fact.status);
        match same {
            Some(existing) => {
                // One place per line is enough to check it.
                let seen =
                    existing.at.line == fact.at.line || existing.also.iter().any(|a| a.line == fact.at.line);
                if !seen && existing.also.len() < MAX_ALSO {
                    existing.also.push(fact.at);
                }
                existing.by_default &= fact.by_default;
            }
            None => self.facts.push(fact),
        }
    }
}

/// Section headings whose content is not the plan.
const NOT_PLANNED: &[&str] = &[
    "non goals",
    "non goal",
    "nongoals",
    "out of scope",
    "not in scope",
    "alternatives",
    "alternatives considered",
    "rejected alternatives",
    "considered alternatives",
    "future work",
    "future",
    "later",
    "open questions",
    "questions",
];

pub fn extract(doc: &Document, lexicon: &Lexicon) -> Extraction {
    let found = components::find(doc, lexicon);
    let mut extraction = Extraction {
        components: found.list.clone(),
        facts: Vec::new(),
    };
    for component in &found.list {
        extraction.add(Fact {
            kind: FactKind::Component,
            value: component.name.clone(),
            component: Some(component.id.clone()),
            at: Occurrence {
                line: component.line,
                phrase: component.phrase.clone(),
            },
            also: Vec::new(),
            status: FactStatus::Applied,
            source: FactSource::Lexicon,
            by_default: false,
            what: What::Component,
        });
    }

    let processes = found.list.len();
    let mut section: Option<usize> = None;
    // (level of the heading that opened a not-planned section)
    let mut not_planned: Option<u8> = None;
    for line in &doc.lines {
        if matches!(line.kind, LineKind::Heading | LineKind::Title) {
            if not_planned.is_some_and(|level| line.level <= level) {
                not_planned = None;
            }
            let heading = heading_words(&line.text);
            if NOT_PLANNED.contains(&heading.as_str()) && not_planned.is_none() {
                not_planned = Some(line.level);
            }
            section = found.subject_of(line.number);
        }
        let status = if not_planned.is_some() {
            FactStatus::NotPlanned
        } else if line.text.trim_end().ends_with('?') {
            FactStatus::Question
        } else {
            FactStatus::Applied
        };
        let place = Place {
            line: Some(line.number),
            named: found.subject_of(line.number),
            section,
            status,
        };
        facts_of_line(&mut extraction, &found, lexicon, &line.text, &place, processes);
        calls_on_line(&mut extraction, &found, line, &place);
    }
    prefer_named_stores(&mut extraction, lexicon);
    if !doc.labels.is_empty() {
        let place = Place {
            line: None,
            named: None,
            section: None,
            status: FactStatus::Applied,
        };
        facts_of_line(
            &mut extraction,
            &found,
            lexicon,
            &doc.labels.join(", "),
            &place,
            processes,
        );
    }
    extraction
}

/// "A vector store (Pinecone)" is one store: when the document names the product, the generic store of
/// the same class is that product.
fn prefer_named_stores(extraction: &mut Extraction, lexicon: &Lexicon) {
    for (generic, store) in lexicon.stores.iter().enumerate() {
        if store.id != lexicon::GENERIC_VECTOR_STORE {
            continue;
        }
        let named = extraction.applied().find_map(|f| match f.what {
            What::Store(i) if i != generic && lexicon.stores[i].class == store.class => Some(i),
            _ => None,
        });
        let Some(named) = named else {
            continue;
        };
        let (from, to) = (
            format!("design:{}", store.id),
            format!("design:{}", lexicon.stores[named].id),
        );
        let facts = std::mem::take(&mut extraction.facts);
        for mut fact in facts {
            if fact.what == What::Store(generic) && fact.status == FactStatus::Applied {
                continue;
            }
            if fact.component.as_deref() == Some(from.as_str()) {
                fact.component = Some(to.clone());
            }
            extraction.add(fact);
        }
    }
}

fn heading_words(text: &str) -> String {
    lexicon::tokens(text)
        .iter()
        .map(|t| t.lower.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

struct Place {
    line: Option<u32>,
    /// The component the line is about: named at its start (see [`Components::subject_of`]).
    named: Option<usize>,
    section: Option<usize>,
    status: FactStatus,
}

fn facts_of_line(
    extraction: &mut Extraction,
    found: &Components,
    lexicon: &Lexicon,
    text: &str,
    place: &Place,
    processes: usize,
) {
    let matches = lexicon.matches(text);
    let target = place.named.or(place.section).unwrap_or(found.primary);
    // Only a guess when there is more than one component to choose from.
    let by_default = place.named.is_none() && place.section.is_none() && processes > 1;
    let process = &found.list[target];
    let stores_here: Vec<usize> = if place.named.is_none() {
        matches
            .iter()
            .filter(|m| !m.negated)
            .flat_map(|m| m.terms.iter())
            .filter_map(|t| match t {
                Term::Store(index) => Some(*index),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let store_id = |index: usize| format!("design:{}", lexicon.stores[index].id);
    for m in &matches {
        let status = if m.negated && place.status == FactStatus::Applied {
            FactStatus::Negated
        } else {
            place.status
        };
        let fact = |kind: FactKind, value: String, component: &str, what: What, by_default: bool| Fact {
            kind,
            value,
            component: Some(component.to_owned()),
            at: Occurrence {
                line: place.line,
                phrase: m.phrase.clone(),
            },
            also: Vec::new(),
            status,
            source: FactSource::Lexicon,
            by_default,
            what,
        };
        for term in &m.terms {
            match *term {
                Term::Capability(kind) => extraction.add(fact(
                    FactKind::Capability,
                    kind.as_str().into(),
                    &process.id,
                    What::Capability(kind),
                    by_default,
                )),
                Term::Data(class) => {
                    extraction.add(fact(
                        FactKind::Data,
                        class.as_str().into(),
                        &process.id,
                        What::Data(class),
                        by_default,
                    ));
                    for store in &stores_here {
                        extraction.add(fact(
                            FactKind::Data,
                            class.as_str().into(),
                            &store_id(*store),
                            What::Data(class),
                            false,
                        ));
                    }
                }
                Term::Exposure | Term::Control(_) => {
                    let (kind, value, what) = match *term {
                        Term::Control(name) => (FactKind::Control, name.to_owned(), What::Control(name)),
                        _ => (FactKind::Exposure, "internet".to_owned(), What::Exposure),
                    };
                    if stores_here.is_empty() {
                        extraction.add(fact(kind, value, &process.id, what, by_default));
                    } else {
                        for store in &stores_here {
                            extraction.add(fact(kind, value.clone(), &store_id(*store), what, false));
                        }
                    }
                }
                Term::Store(index) => {
                    let store = &lexicon.stores[index];
                    extraction.add(fact(
                        FactKind::Datastore,
                        store.id.clone(),
                        &process.id,
                        What::Store(index),
                        by_default,
                    ));
                    if let Some(kind) = store.class.capability() {
                        extraction.add(fact(
                            FactKind::Capability,
                            kind.as_str().into(),
                            &process.id,
                            What::Capability(kind),
                            by_default,
                        ));
                    }
                }
                Term::Integration(index) => {
                    let entry = &lexicon.integrations[index];
                    extraction.add(fact(
                        FactKind::Integration,
                        entry.id.clone(),
                        &process.id,
                        What::Integration(index),
                        by_default,
                    ));
                    for kind in integration_capabilities(&entry.category, &entry.id) {
                        extraction.add(fact(
                            FactKind::Capability,
                            kind.as_str().into(),
                            &process.id,
                            What::Capability(*kind),
                            by_default,
                        ));
                    }
                    if let Some(control) = integration_control(&entry.category) {
                        extraction.add(fact(
                            FactKind::Control,
                            control.into(),
                            &process.id,
                            What::Control(control),
                            by_default,
                        ));
                    }
                }
                Term::Ignore => {}
            }
        }
    }
}

/// Words that make two components on a line a call from one to the other.
const CALLS: &[&str] = &[
    "call", "calls", "calling", "through", "via", "uses", "using", "from", "queries", "invokes",
];
/// Words that turn the call around: "the refunds API is called by the admin dashboard".
const CALLED_BY: &[&[&str]] = &[&["called", "by"], &["used", "by"], &["invoked", "by"]];

/// A line naming the component it is about and another one, with a word of calling between them
/// ("creates a refund through the refunds API"), plans a flow from the first to the other.
fn calls_on_line(
    extraction: &mut Extraction,
    found: &Components,
    line: &super::document::Line,
    place: &Place,
) {
    let target = place.named.or(place.section).unwrap_or(found.primary);
    let words: Vec<String> = lexicon::tokens(&line.text).into_iter().map(|t| t.lower).collect();
    let has = |wanted: &str| words.iter().any(|w| w == wanted);
    if !CALLS.iter().any(|w| has(w)) && !CALLED_BY.iter().any(|p| words.windows(p.len()).any(|w| w == *p)) {
        return;
    }
    let reversed = CALLED_BY.iter().any(|p| words.windows(p.len()).any(|w| w == *p));
    for mention in found.mentioned_on(line.number) {
        if mention.component == target {
            continue;
        }
        let (source, callee) = if reversed {
            (mention.component, target)
        } else {
            (target, mention.component)
        };
        extraction.add(Fact {
            kind: FactKind::Flow,
            value: found.list[callee].name.clone(),
            component: Some(found.list[source].id.clone()),
            at: Occurrence {
                line: Some(line.number),
                phrase: mention.phrase.clone(),
            },
            also: Vec::new(),
            status: place.status,
            source: FactSource::Lexicon,
            by_default: false,
            what: What::Flow(callee),
        });
    }
}

/// What using a catalog integration means for the process: the same reading as for code.
pub fn integration_capabilities(category: &str, id: &str) -> &'static [CapabilityKind] {
    crate::capabilities::from_sdk(category, id)
}

/// Controls a catalog integration puts in place: the same reading as for code.
pub fn integration_control(category: &str) -> Option<&'static str> {
    crate::controls::from_sdk(category)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::document::parse;
    use crate::design::lexicon::CatalogEntry;

    fn extraction(text: &str) -> Extraction {
        let catalog = vec![CatalogEntry {
            id: "stripe".into(),
            name: "Stripe".into(),
            kind: "integration".into(),
            category: "payments".into(),
            receives: vec![DataClass::Pci, DataClass::Pii],
        }];
        let doc = parse("d.md", text.as_bytes()).unwrap();
        extract(&doc, &Lexicon::new(&catalog))
    }

    fn applied(e: &Extraction) -> Vec<(String, String, String)> {
        e.applied()
            .filter(|f| f.kind != FactKind::Component)
            .map(|f| {
                (
                    f.kind.as_str().to_owned(),
                    f.value.clone(),
                    f.component.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn facts_land_on_the_named_section_or_primary_component() {
        let e = extraction(
            "# Checkout service\n\nCustomers pay by card with Stripe.\n\n## Admin dashboard\n\nStaff log in with SSO.\n\n\
             ## Storage\n\nOrders go to Postgres, encrypted at rest.\n",
        );
        let facts = applied(&e);
        let has = |kind: &str, value: &str, component: &str| {
            facts.contains(&(kind.into(), value.into(), component.into()))
        };
        assert!(
            has("exposure", "internet", "design:checkout-service"),
            "{facts:?}"
        );
        assert!(has("integration", "stripe", "design:checkout-service"));
        assert!(has("capability", "processes-payments", "design:checkout-service"));
        assert!(has("capability", "authenticates", "design:admin-dashboard"));
        assert!(has("datastore", "postgresql", "design:checkout-service"));
        assert!(has("capability", "queries-sql", "design:checkout-service"));
        assert!(has("control", "encryption-at-rest", "design:postgresql"));
    }

    #[test]
    fn negations_questions_and_non_goals_are_kept_but_not_applied() {
        let e = extraction(
            "# Upload service\n\nUsers upload files without rate limiting.\nShould we add a WAF?\n\n\
             ## Non-goals\n\nMFA for uploads.\n\n## Rollout\n\nAudit logs for every upload.\n",
        );
        let status = |value: &str| e.facts.iter().find(|f| f.value == value).map(|f| f.status);
        assert_eq!(status("rate-limiting"), Some(FactStatus::Negated));
        assert_eq!(status("waf"), Some(FactStatus::Question));
        assert_eq!(status("mfa"), Some(FactStatus::NotPlanned));
        assert_eq!(status("audit-logging"), Some(FactStatus::Applied));
        assert_eq!(status("accepts-uploads"), Some(FactStatus::Applied));
    }
}
