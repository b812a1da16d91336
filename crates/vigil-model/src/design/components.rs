//! The planned components a design names: "a new checkout service", "the refunds API", a heading
//! "## Admin dashboard". A name is a component noun (service, API, worker, bot, dashboard...) with one to
//! three words before it that name it; in running text those words must follow "a", "the", "new", "our"
//! or "existing", so a verb in front of a noun is never taken for a name.

use std::collections::BTreeMap;

use serde::Serialize;

use super::document::{Document, LineKind};
use super::lexicon::{Lexicon, Table, Token, tokens};

/// Nouns that make a planned process.
#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "service", "microservice", "api", "worker", "function", "lambda", "bot", "chatbot", "dashboard",
    "portal", "console", "gateway", "backend", "app", "application", "daemon", "consumer", "scheduler",
    "job", "server",
];

/// Words that introduce a name in running text.
#[rustfmt::skip]
const TRIGGERS: &[&str] = &[
    "a", "an", "the", "new", "our", "existing", "called", "named", "its", "this",
];

/// Qualities that may stand between a trigger and a name.
#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "new", "existing", "internal", "external", "separate", "dedicated", "single", "simple", "small",
    "lightweight", "background", "serverless", "stateless", "scheduled", "public", "private", "async",
    "current", "web", "mobile", "payment", "payments",
];

/// Words that never name a component: determiners, qualities, protocols, and words that make the noun
/// something else (`partner API` is an exposure, `hash function` a detail).
#[rustfmt::skip]
const STOP: &[&str] = &[
    "a", "an", "the", "new", "our", "their", "its", "this", "that", "these", "those", "each", "every",
    "any", "all", "same", "existing", "other", "another", "separate", "dedicated", "single", "simple",
    "small", "lightweight", "internal", "external", "public", "private", "partner", "partners", "third",
    "party", "rest", "restful", "http", "https", "grpc", "graphql", "json", "xml", "web", "mobile", "ios",
    "android", "background", "serverless", "stateless", "scheduled", "async", "asynchronous", "current",
    "upstream", "downstream", "hash", "helper", "utility", "callback", "pure", "one", "two", "and", "or",
    "of", "to", "from", "with", "via", "by", "for", "in", "on", "at", "is", "are", "be", "will", "which",
    "we", "it", "called", "named", "payment", "payments", "cloud", "aws", "azure", "gcp", "google", "api",
    "s",
];

/// Words after the noun that make it part of something else (`the refunds API key`, `worker pool`).
#[rustfmt::skip]
const NOT_AFTER: &[&str] = &[
    "provider", "providers", "account", "accounts", "key", "keys", "team", "teams", "owner", "owners",
    "level", "layer", "mesh", "contract", "version", "token", "tokens", "url", "urls", "docs",
    "documentation", "spec", "schema", "sdk", "library", "client", "clients", "pool", "call", "calls",
];

/// Headings before the design itself that name the document, not a component: `Design: Checkout service`.
#[rustfmt::skip]
const TITLE_PREFIXES: &[&str] = &[
    "design", "rfc", "proposal", "feature", "spec", "adr", "epic", "story",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedComponent {
    pub id: String,
    pub name: String,
    /// Where it is first named (`None`: named after the document, which names no component).
    pub line: Option<u32>,
    pub phrase: String,
    /// The component the feature is about: named in the title, or introduced first as "new".
    pub primary: bool,
    /// The document calls it existing: it should be in the repository already.
    pub existing: bool,
    /// Added from an LLM suggestion rather than the lexicon.
    pub suggested: bool,
}

/// One mention of a component on a line: which component, and where on the line it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub component: usize,
    /// The word the mention starts at.
    pub word: usize,
    pub heading: bool,
    /// The words as written on the line.
    pub phrase: String,
}

/// A mention this close to the start of its line is the line's subject: "The refunds API is called by...".
/// Further in, the component is what the subject talks to ("...creates a refund through the refunds API").
const SUBJECT_WORDS: usize = 3;

#[derive(Debug, Default)]
pub struct Components {
    pub list: Vec<PlannedComponent>,
    /// Mentions by line number, in order.
    pub mentions: BTreeMap<u32, Vec<Mention>>,
    pub primary: usize,
}

impl Components {
    pub fn mentioned_on(&self, line: u32) -> &[Mention] {
        self.mentions.get(&line).map_or(&[], Vec::as_slice)
    }

    /// The component a line is about: a heading's first component, or one named at the line's start.
    pub fn subject_of(&self, line: u32) -> Option<usize> {
        self.mentioned_on(line)
            .iter()
            .find(|m| m.heading || m.word <= SUBJECT_WORDS)
            .map(|m| m.component)
    }
}

/// No design plans this many processes; past it the document is more likely a catalogue than a design.
const MAX_COMPONENTS: usize = 12;

pub fn find(doc: &Document, lexicon: &Lexicon) -> Components {
    let mut found = Components::default();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_new: Option<usize> = None;
    let mut title_component: Option<usize> = None;
    for line in &doc.lines {
        let heading = matches!(line.kind, LineKind::Title | LineKind::Heading);
        let text = if heading {
            strip_title_prefix(&line.text)
        } else {
            line.text.as_str()
        };
        for name in names_in(text, heading, lexicon) {
            let key = key(&name.words);
            // "the upload service" after "a file upload service" is the same one, named shorter.
            let known = by_key.get(&key).copied().or_else(|| {
                by_key
                    .iter()
                    .find(|(k, _)| k.ends_with(&format!(" {key}")) || key.ends_with(&format!(" {k}")))
                    .map(|(_, index)| *index)
            });
            let index = match known {
                Some(index) => index,
                None if found.list.len() < MAX_COMPONENTS => {
                    found.list.push(PlannedComponent {
                        id: format!("design:{}", slug(&name.words.join(" "))),
                        name: display(&name.words),
                        line: Some(line.number),
                        phrase: name.phrase.clone(),
                        primary: false,
                        existing: false,
                        suggested: false,
                    });
                    by_key.insert(key, found.list.len() - 1);
                    found.list.len() - 1
                }
                None => continue,
            };
            if name.existing {
                found.list[index].existing = true;
            }
            if name.new && first_new.is_none() {
                first_new = Some(index);
            }
            if line.kind == LineKind::Title && title_component.is_none() {
                title_component = Some(index);
            }
            let on_line = found.mentions.entry(line.number).or_default();
            if !on_line.iter().any(|m| m.component == index) {
                on_line.push(Mention {
                    component: index,
                    word: name.word,
                    heading,
                    phrase: name.phrase.clone(),
                });
            }
        }
    }
    let primary = title_component
        .or(first_new)
        .or(if found.list.is_empty() { None } else { Some(0) });
    found.primary = match primary {
        Some(index) => index,
        None => {
            // The document names no component: the feature itself is one, named after the document.
            let title = strip_title_prefix(&doc.title);
            let words: Vec<String> = tokens(title).iter().take(6).map(|t| t.text.to_owned()).collect();
            let words = if words.is_empty() {
                vec!["feature".to_owned()]
            } else {
                words
            };
            found.list.push(PlannedComponent {
                id: format!("design:{}", slug(&words.join(" "))),
                name: display(&words),
                line: doc
                    .lines
                    .iter()
                    .find(|l| l.kind == LineKind::Title)
                    .map(|l| l.number),
                phrase: doc.title.clone(),
                primary: true,
                existing: false,
                suggested: false,
            });
            found.list.len() - 1
        }
    };
    found.list[found.primary].primary = true;
    found
}

fn strip_title_prefix(text: &str) -> &str {
    let Some((head, rest)) = text.split_once(':') else {
        return text;
    };
    let head = head.trim().to_ascii_lowercase();
    let head = head.trim_start_matches('[').trim_end_matches(']');
    if TITLE_PREFIXES
        .iter()
        .any(|p| head == *p || head.starts_with(&format!("{p} ")))
        || head.split('-').count() == 2
            && head
                .split('-')
                .nth(1)
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
    {
        rest.trim()
    } else {
        text
    }
}

struct Name {
    words: Vec<String>,
    /// The word the mention starts at (its trigger, when it has one).
    word: usize,
    phrase: String,
    new: bool,
    existing: bool,
}

/// Component names on a line of text.
fn names_in(text: &str, heading: bool, lexicon: &Lexicon) -> Vec<Name> {
    let words = tokens(text);
    let mut names = Vec::new();
    for (at, word) in words.iter().enumerate() {
        if !NOUNS.contains(&word.lower.as_str()) {
            continue;
        }
        if words
            .get(at + 1)
            .is_some_and(|next| NOT_AFTER.contains(&next.lower.as_str()))
        {
            continue;
        }
        let most = if heading { 3 } else { 2 };
        let mut first = at;
        while first > 0 && at - first < most && qualifies(&words[first - 1]) {
            first -= 1;
        }
        if first == at {
            continue;
        }
        // The trigger may stand a qualifier or two before the name: "an internal admin dashboard".
        let mut start = first;
        while start > 0 && first - start < 2 && ADJECTIVES.contains(&words[start - 1].lower.as_str()) {
            start -= 1;
        }
        let trigger = (start..first)
            .chain(start.checked_sub(1))
            .find(|i| TRIGGERS.contains(&words[*i].lower.as_str()));
        if !heading && trigger.is_none() {
            continue;
        }
        let modifiers = &text[words[first].start..words[at - 1].end];
        let names_a_party = lexicon
            .matches(modifiers)
            .iter()
            .any(|m| matches!(m.table, Table::Integrations | Table::Stores));
        if names_a_party {
            continue;
        }
        let context: Vec<&str> = words[first.saturating_sub(3)..first]
            .iter()
            .map(|w| w.lower.as_str())
            .collect();
        let phrase_start = trigger.map_or(first, |t| t.min(first));
        names.push(Name {
            word: phrase_start,
            words: words[first..=at].iter().map(|w| w.text.to_owned()).collect(),
            phrase: text[words[phrase_start].start..word.end].to_owned(),
            new: context.contains(&"new"),
            existing: context.contains(&"existing"),
        });
    }
    names
}

fn qualifies(word: &Token<'_>) -> bool {
    word.text.chars().all(|c| c.is_alphabetic())
        && word.text.chars().count() >= 2
        && !STOP.contains(&word.lower.as_str())
        && !NOUNS.contains(&word.lower.as_str())
}

/// The key two mentions of one component share: lowercase words, plural `s` dropped from the naming words.
pub fn key(words: &[String]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i < last && lower.len() > 3 && lower.ends_with('s') && !lower.ends_with("ss") {
                lower[..lower.len() - 1].to_owned()
            } else {
                lower
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "component".to_owned()
    } else {
        out
    }
}

/// A display name: the words as written, the first capitalised (`refunds API` -> `Refunds API`).
fn display(words: &[String]) -> String {
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::document::parse;

    fn names(text: &str) -> (Vec<String>, String) {
        let doc = parse("d.md", text.as_bytes()).unwrap();
        let found = find(&doc, &Lexicon::new(&[]));
        (
            found.list.iter().map(|c| c.name.clone()).collect(),
            found.list[found.primary].name.clone(),
        )
    }

    #[test]
    fn names_from_headings_and_introduced_phrases() {
        let (list, primary) = names(
            "# Design: Checkout service\n\nWe add a refunds API and an internal admin dashboard.\n\
             The checkout service calls the refunds API. Checkout calls refunds API directly.\n\
             The partner API and the hash function stay.\n",
        );
        assert_eq!(list, vec!["Checkout service", "Refunds API", "Admin dashboard"]);
        assert_eq!(primary, "Checkout service");
    }

    #[test]
    fn a_document_naming_no_component_gets_one_after_its_title() {
        let (list, primary) = names("# Let people attach receipts\n\nUsers attach receipts to expenses.\n");
        assert_eq!(list, vec!["Let people attach receipts"]);
        assert_eq!(primary, "Let people attach receipts");
    }

    #[test]
    fn the_first_new_component_is_primary_without_a_titled_one() {
        let (list, primary) =
            names("# Q3 plan\n\nThe existing orders service stays. A new ledger worker books entries.\n");
        assert_eq!(list, vec!["Orders service", "Ledger worker"]);
        assert_eq!(primary, "Ledger worker");
    }
}
