//! The optional LLM pass: a chat-completions request that shows a model the document (with line numbers)
//! and the deterministic extraction and asks for facts the lexicon missed, in the same vocabulary; and the
//! checks its reply goes through. Only known vocabulary is accepted, a suggestion must quote a phrase that is
//! really on the line it cites (so the model cannot invent what the document says), and every accepted
//! fact is marked as suggested. A reply that does not parse is an error the caller reports and ignores: the
//! deterministic result stands. No I/O here; the caller sends the request.

use serde::Serialize;
use serde_json::{Value, json};
use vigil_core::{CapabilityKind, DataClass};

use super::components::{PlannedComponent, slug};
use super::document::Document;
use super::extract::{Extraction, Fact, FactKind, FactSource, FactStatus, Occurrence, What};
use super::lexicon::{CONTROLS, Lexicon};

/// The document text sent is capped; the lexicon already read all of it.
const MAX_PROMPT_CHARS: usize = 60_000;
/// A reply is a short JSON list; more suggestions than this are not a careful reading.
const MAX_SUGGESTIONS: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the reply is not an OpenAI-compatible chat completion: {0}")]
    Envelope(String),
    #[error("the model's answer is not the JSON asked for: {0}")]
    Answer(String),
}

/// The chat-completions request body.
pub fn request(model: &str, doc: &Document, extraction: &Extraction) -> Value {
    let mut numbered = String::new();
    for line in &doc.lines {
        if numbered.len() > MAX_PROMPT_CHARS {
            numbered.push_str("[... truncated]\n");
            break;
        }
        numbered.push_str(&format!("{}: {}\n", line.number, line.text));
    }
    let found: Vec<Value> = extraction
        .applied()
        .map(|f| json!({"kind": f.kind.as_str(), "value": f.value, "component": component_name(extraction, f), "line": f.at.line}))
        .collect();
    let vocabulary = json!({
        "capability": CapabilityKind::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "data": DataClass::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "control": CONTROLS,
        "exposure": ["internet"],
        "component": "a planned service, API, worker or function, by name",
    });
    let instructions = format!(
        "You help threat-model a planned software feature from its design document. A deterministic \
         extractor already found the facts listed below. Find facts it missed, only ones the document \
         states (not ones you expect). Answer with one JSON object and nothing else: \
         {{\"facts\": [{{\"kind\": \"capability|data|control|exposure|component\", \"value\": \"...\", \
         \"component\": \"name of the planned component it applies to\", \"line\": N, \
         \"phrase\": \"the exact words on that line that state it\"}}]}}. Use only this vocabulary: {vocabulary}. \
         Do not repeat facts already found. Controls count only when the document commits to them; a \
         control the document says is missing is not a fact."
    );
    let user = format!(
        "Document `{}` ({}), numbered lines:\n{numbered}\nPlanned components: {}\nFacts already found: {}",
        doc.path,
        doc.format.label(),
        extraction
            .components
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(found)
    );
    json!({
        "model": model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": instructions},
            {"role": "user", "content": user},
        ],
    })
}

fn component_name(extraction: &Extraction, fact: &Fact) -> Option<String> {
    let id = fact.component.as_deref()?;
    extraction
        .components
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.clone())
        .or_else(|| Some(id.to_owned()))
}

/// One fact as the model suggested it, before checking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub kind: String,
    pub value: String,
    pub component: Option<String>,
    pub line: Option<u32>,
    pub phrase: String,
}

/// The suggestions in a chat-completions reply body.
pub fn parse_reply(body: &str) -> Result<Vec<Suggestion>, LlmError> {
    let envelope: Value = serde_json::from_str(body).map_err(|e| LlmError::Envelope(e.to_string()))?;
    let content = envelope
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| LlmError::Envelope("no `choices[0].message.content`".into()))?;
    // Models wrap JSON in a code fence now and then, even when asked not to.
    let content = content.trim();
    let content = content
        .strip_prefix("```json")
        .or_else(|| content.strip_prefix("```"))
        .map(|c| c.trim_end().trim_end_matches("```"))
        .unwrap_or(content);
    let answer: Value = serde_json::from_str(content).map_err(|e| LlmError::Answer(e.to_string()))?;
    let facts = answer
        .get("facts")
        .and_then(Value::as_array)
        .ok_or_else(|| LlmError::Answer("no `facts` list".into()))?;
    let text = |item: &Value, key: &str| item.get(key).and_then(Value::as_str).map(|s| short(s.trim()));
    Ok(facts
        .iter()
        .take(MAX_SUGGESTIONS)
        .filter_map(|item| {
            Some(Suggestion {
                kind: text(item, "kind")?,
                value: text(item, "value")?,
                component: text(item, "component").filter(|c| !c.is_empty()),
                line: item
                    .get("line")
                    .and_then(Value::as_u64)
                    .and_then(|l| u32::try_from(l).ok()),
                phrase: text(item, "phrase").unwrap_or_default(),
            })
        })
        .collect())
}

/// Strings from the model are kept short and printable: they end up in reports.
fn short(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(160).collect()
}

/// Adds the suggestions that pass the checks to the extraction; returns a warning for each one rejected.
pub fn apply(
    extraction: &mut Extraction,
    suggestions: Vec<Suggestion>,
    doc: &Document,
    lexicon: &Lexicon,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for suggestion in suggestions {
        if let Err(reason) = accept(extraction, &suggestion, doc, lexicon) {
            warnings.push(format!(
                "LLM suggestion {} `{}` ignored: {reason}",
                suggestion.kind, suggestion.value
            ));
        }
    }
    warnings
}

fn accept(
    extraction: &mut Extraction,
    suggestion: &Suggestion,
    doc: &Document,
    lexicon: &Lexicon,
) -> Result<(), String> {
    let line = suggestion
        .line
        .and_then(|n| doc.line(n))
        .ok_or_else(|| "it cites no line of the document".to_owned())?;
    if suggestion.phrase.is_empty()
        || !line
            .text
            .to_lowercase()
            .contains(&suggestion.phrase.to_lowercase())
    {
        return Err(format!("its phrase is not on line {}", line.number));
    }
    let what = match suggestion.kind.as_str() {
        "capability" => CapabilityKind::ALL
            .iter()
            .find(|c| c.as_str() == suggestion.value)
            .map(|c| What::Capability(*c)),
        "data" => DataClass::parse(&suggestion.value).map(What::Data),
        "control" => CONTROLS
            .iter()
            .find(|c| **c == suggestion.value)
            .copied()
            .map(What::Control),
        "exposure" => (suggestion.value == "internet").then_some(What::Exposure),
        "component" => Some(What::Component),
        "datastore" => lexicon
            .stores
            .iter()
            .position(|s| s.id == suggestion.value)
            .map(What::Store),
        "integration" => lexicon
            .integrations
            .iter()
            .position(|e| e.id == suggestion.value)
            .map(What::Integration),
        _ => None,
    }
    .ok_or_else(|| "not in the vocabulary".to_owned())?;
    let at = Occurrence {
        line: Some(line.number),
        phrase: suggestion.phrase.clone(),
    };
    let component = match what {
        What::Component => {
            let id = format!("design:{}", slug(&suggestion.value));
            let known = extraction
                .components
                .iter()
                .any(|c| c.id == id || c.name.eq_ignore_ascii_case(&suggestion.value));
            if known {
                return Err("already found".into());
            }
            extraction.components.push(PlannedComponent {
                id: id.clone(),
                name: suggestion.value.clone(),
                line: Some(line.number),
                phrase: suggestion.phrase.clone(),
                primary: false,
                existing: false,
                suggested: true,
            });
            id
        }
        _ => target(extraction, suggestion.component.as_deref())?,
    };
    let (kind, value) = match what {
        What::Component => (FactKind::Component, suggestion.value.clone()),
        What::Capability(c) => (FactKind::Capability, c.as_str().to_owned()),
        What::Data(c) => (FactKind::Data, c.as_str().to_owned()),
        What::Control(c) => (FactKind::Control, c.to_owned()),
        What::Exposure => (FactKind::Exposure, "internet".to_owned()),
        What::Store(i) => (FactKind::Datastore, lexicon.stores[i].id.clone()),
        What::Integration(i) => (FactKind::Integration, lexicon.integrations[i].id.clone()),
        // Not in the vocabulary offered to the model; kept for completeness.
        What::Flow(i) => (
            FactKind::Flow,
            extraction
                .components
                .get(i)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        ),
    };
    let known = extraction.facts.iter().any(|f| {
        f.what == what
            && f.component.as_deref() == Some(component.as_str())
            && f.status == FactStatus::Applied
    });
    if known {
        return Err("already found".into());
    }
    extraction.facts.push(Fact {
        kind,
        value,
        component: Some(component),
        at,
        also: Vec::new(),
        status: FactStatus::Applied,
        source: FactSource::Llm,
        by_default: false,
        what,
    });
    Ok(())
}

/// The planned component a suggestion names (by name, case-insensitively), or the primary one.
fn target(extraction: &Extraction, name: Option<&str>) -> Result<String, String> {
    match name {
        Some(name) => extraction
            .components
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name) || c.id == name)
            .map(|c| c.id.clone())
            .ok_or_else(|| format!("component `{name}` is not planned")),
        None => extraction
            .primary()
            .map(|c| c.id.clone())
            .ok_or_else(|| "no planned component".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::document::parse;
    use crate::design::extract::extract;

    fn reply(content: &str) -> String {
        json!({"choices": [{"message": {"role": "assistant", "content": content}}]}).to_string()
    }

    #[test]
    fn only_known_vocabulary_quoted_from_the_cited_line_is_accepted() {
        let doc = parse(
            "d.md",
            b"# Report service\n\nThe report service renders invoices.\nIt pulls exchange rates from a remote feed.\n",
        )
        .unwrap();
        let lexicon = Lexicon::new(&[]);
        let mut extraction = extract(&doc, &lexicon);
        let content = json!({"facts": [
            {"kind": "capability", "value": "fetches-urls", "component": "Report service", "line": 4, "phrase": "pulls exchange rates from a remote feed"},
            {"kind": "capability", "value": "teleports", "line": 4, "phrase": "pulls"},
            {"kind": "control", "value": "waf", "line": 3, "phrase": "behind a WAF"},
            {"kind": "data", "value": "pii", "component": "Billing service", "line": 3, "phrase": "invoices"},
        ]})
        .to_string();
        let suggestions = parse_reply(&reply(&format!("```json\n{content}\n```"))).unwrap();
        let warnings = apply(&mut extraction, suggestions, &doc, &lexicon);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        let added: Vec<&Fact> = extraction
            .facts
            .iter()
            .filter(|f| f.source == FactSource::Llm)
            .collect();
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].value, "fetches-urls");
        assert_eq!(added[0].at.line, Some(4));
    }

    #[test]
    fn malformed_replies_are_errors() {
        assert!(parse_reply("not json").is_err());
        assert!(parse_reply(r#"{"choices": []}"#).is_err());
        assert!(parse_reply(&reply("sure! here are the facts")).is_err());
        assert!(parse_reply(&reply(r#"{"answer": 1}"#)).is_err());
        assert_eq!(parse_reply(&reply(r#"{"facts": []}"#)).unwrap(), Vec::new());
    }
}
