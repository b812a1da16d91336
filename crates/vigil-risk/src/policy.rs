//! CI gate policies: `--fail-on` takes a band (`high`, meaning `band >= high`) or an expression over each open
//! finding, such as `band >= high or (kev and reachability != "dev-only")`. The build fails when any open
//! finding matches.
//!
//! Grammar: `expr := and ("or" and)*`, `and := unary ("and" unary)*`, `unary := "not" unary | "(" expr ")" |
//! field [op value]`. A field alone must be a yes/no field (`kev`, `exploit`, `internet`, `direct`). Values
//! are numbers, bands, or words and quoted strings for the text fields. A value the finding does not have
//! (no EPSS score, no reachability for a threat) makes a comparison false, never true, so `epss > 0.1`
//! does not match findings EPSS has not scored; write `not epss >= 0.1` style conditions knowingly.

use thiserror::Error;
use vigil_core::{Assessment, Band, Finding, Status};

#[derive(Debug, Error, PartialEq, Eq)]
#[error("--fail-on: {message} at character {position} of `{expression}`")]
pub struct PolicyError {
    pub message: String,
    pub position: usize,
    pub expression: String,
}

/// A parsed gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    expr: Expr,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Flag(Field),
    Compare(Field, Op, Value),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Band,
    Rpn,
    Likelihood,
    Impact,
    Detectability,
    Epss,
    Kev,
    Exploit,
    Internet,
    Direct,
    Kind,
    Status,
    Rule,
    Advisory,
    Cwe,
    Reachability,
}

const FIELDS: &[(&str, Field)] = &[
    ("band", Field::Band),
    ("rpn", Field::Rpn),
    ("likelihood", Field::Likelihood),
    ("impact", Field::Impact),
    ("detectability", Field::Detectability),
    ("epss", Field::Epss),
    ("kev", Field::Kev),
    ("exploit", Field::Exploit),
    ("internet", Field::Internet),
    ("direct", Field::Direct),
    ("kind", Field::Kind),
    ("status", Field::Status),
    ("rule", Field::Rule),
    ("advisory", Field::Advisory),
    ("cwe", Field::Cwe),
    ("reachability", Field::Reachability),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Ordered,
    Number,
    Flag,
    Text,
}

impl Field {
    fn shape(self) -> Shape {
        match self {
            Self::Band => Shape::Ordered,
            Self::Rpn | Self::Likelihood | Self::Impact | Self::Detectability | Self::Epss => Shape::Number,
            Self::Kev | Self::Exploit | Self::Internet | Self::Direct => Shape::Flag,
            Self::Kind | Self::Status | Self::Rule | Self::Advisory | Self::Cwe | Self::Reachability => {
                Shape::Text
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Band(Band),
    Number(f64),
    Flag(bool),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    Op(Op),
    Open,
    Close,
}

impl Policy {
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let error = |message: String, position: usize| PolicyError {
            message,
            position,
            expression: text.to_owned(),
        };
        let tokens = tokenize(text).map_err(|(m, p)| error(m, p))?;
        // A bare band keeps the old meaning: that band or worse.
        if let [(Token::Word(word), _)] = tokens.as_slice()
            && let Some(band) = band(word)
        {
            return Ok(Self {
                expr: Expr::Compare(Field::Band, Op::Ge, Value::Band(band)),
                text: text.to_owned(),
            });
        }
        let mut parser = Parser {
            tokens,
            next: 0,
            end: text.chars().count() + 1,
        };
        let expr = parser.or().map_err(|(m, p)| error(m, p))?;
        if let Some((_, position)) = parser.tokens.get(parser.next) {
            return Err(error("unexpected text after the expression".into(), *position));
        }
        Ok(Self {
            expr,
            text: text.to_owned(),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether an open finding matches (only open findings can fail a build).
    pub fn matches(&self, finding: &Finding, assessment: &Assessment) -> bool {
        finding.status == Status::Open && eval(&self.expr, finding, assessment)
    }

    /// The open findings of the assessment that match.
    pub fn failing<'a>(&self, assessment: &'a Assessment) -> Vec<&'a Finding> {
        assessment
            .findings
            .iter()
            .filter(|f| self.matches(f, assessment))
            .collect()
    }
}

fn band(word: &str) -> Option<Band> {
    Band::ALL.into_iter().find(|b| b.as_str() == word)
}

fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, (String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let position = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            tokens.push((if c == '(' { Token::Open } else { Token::Close }, position));
            i += 1;
        } else if c == '"' || c == '\'' {
            let close = chars[i + 1..]
                .iter()
                .position(|d| *d == c)
                .ok_or_else(|| ("unterminated string".to_owned(), position))?;
            tokens.push((
                Token::Text(chars[i + 1..i + 1 + close].iter().collect()),
                position,
            ));
            i += close + 2;
        } else if "<>=!".contains(c) {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let (op, width) = match two.as_str() {
                ">=" => (Op::Ge, 2),
                "<=" => (Op::Le, 2),
                "==" => (Op::Eq, 2),
                "!=" => (Op::Ne, 2),
                _ => match c {
                    '>' => (Op::Gt, 1),
                    '<' => (Op::Lt, 1),
                    '=' => (Op::Eq, 1),
                    _ => return Err(("`!` must be followed by `=`".into(), position)),
                },
            };
            tokens.push((Token::Op(op), position));
            i += width;
        } else if c.is_ascii_digit() || c == '.' {
            let end = chars[i..]
                .iter()
                .position(|d| !(d.is_ascii_digit() || *d == '.'))
                .map_or(chars.len(), |n| i + n);
            let number: String = chars[i..end].iter().collect();
            let value = number
                .parse()
                .map_err(|_| (format!("`{number}` is not a number"), position))?;
            tokens.push((Token::Number(value), position));
            i = end;
        } else if c.is_alphanumeric() || c == '_' || c == '-' {
            let end = chars[i..]
                .iter()
                .position(|d| !(d.is_alphanumeric() || matches!(d, '_' | '-' | ':' | '/' | '.')))
                .map_or(chars.len(), |n| i + n);
            tokens.push((Token::Word(chars[i..end].iter().collect()), position));
            i = end;
        } else {
            return Err((format!("unexpected `{c}`"), position));
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    next: usize,
    end: usize,
}

type Parsed<T> = Result<T, (String, usize)>;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next).map(|(t, _)| t)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |(_, p)| *p)
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w == word) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Parsed<Expr> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Parsed<Expr> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Parsed<Expr> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        let position = self.position();
        match self.tokens.get(self.next).cloned() {
            Some((Token::Open, _)) => {
                self.next += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(("missing `)`".into(), self.position()));
                }
                self.next += 1;
                Ok(inner)
            }
            Some((Token::Word(word), _)) => {
                self.next += 1;
                let field = FIELDS
                    .iter()
                    .find(|(name, _)| *name == word)
                    .map(|(_, f)| *f)
                    .ok_or_else(|| {
                        let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                        (
                            format!("unknown field `{word}` (fields: {})", names.join(", ")),
                            position,
                        )
                    })?;
                self.comparison(field, &word, position)
            }
            Some(_) => Err(("expected a field, `not` or `(`".into(), position)),
            None => Err(("the expression ends too early".into(), position)),
        }
    }

    fn comparison(&mut self, field: Field, name: &str, position: usize) -> Parsed<Expr> {
        let Some(Token::Op(op)) = self.peek().cloned() else {
            return if field.shape() == Shape::Flag {
                Ok(Expr::Flag(field))
            } else {
                Err((
                    format!("`{name}` needs a comparison, e.g. `{name} == ...`"),
                    position,
                ))
            };
        };
        self.next += 1;
        let value_position = self.position();
        let token = self.tokens.get(self.next).map(|(t, _)| t.clone());
        self.next += 1;
        let ordering = !matches!(op, Op::Eq | Op::Ne);
        let value = match (field.shape(), token) {
            (Shape::Ordered, Some(Token::Word(w) | Token::Text(w))) => {
                Value::Band(band(&w).ok_or_else(|| {
                    (
                        format!("`{w}` is not a band (critical, high, medium, low)"),
                        value_position,
                    )
                })?)
            }
            (Shape::Number, Some(Token::Number(n))) => Value::Number(n),
            (Shape::Flag, Some(Token::Word(w))) if !ordering && (w == "true" || w == "false") => {
                Value::Flag(w == "true")
            }
            (Shape::Text, Some(Token::Word(w) | Token::Text(w))) if !ordering => Value::Text(w),
            (Shape::Text | Shape::Flag, Some(_)) if ordering => {
                return Err((format!("`{name}` can only be compared with == or !="), position));
            }
            _ => {
                let wanted = match field.shape() {
                    Shape::Ordered => "a band",
                    Shape::Number => "a number",
                    Shape::Flag => "true or false",
                    Shape::Text => "a word or a quoted string",
                };
                return Err((format!("`{name}` is compared with {wanted}"), value_position));
            }
        };
        Ok(Expr::Compare(field, op, value))
    }
}

fn eval(expr: &Expr, finding: &Finding, assessment: &Assessment) -> bool {
    match expr {
        Expr::Or(a, b) => eval(a, finding, assessment) || eval(b, finding, assessment),
        Expr::And(a, b) => eval(a, finding, assessment) && eval(b, finding, assessment),
        Expr::Not(inner) => !eval(inner, finding, assessment),
        Expr::Flag(field) => flag(*field, finding, assessment) == Some(true),
        Expr::Compare(field, op, value) => compare(*field, *op, value, finding, assessment),
    }
}

fn flag(field: Field, finding: &Finding, assessment: &Assessment) -> Option<bool> {
    let vulnerability = finding.vulnerability.as_ref();
    match field {
        Field::Kev => vulnerability.and_then(|v| v.kev),
        Field::Exploit => vulnerability.and_then(|v| v.exploits.as_ref().map(|e| !e.is_empty())),
        Field::Direct => vulnerability.and_then(|v| v.direct),
        Field::Internet => Some(
            finding.hints.exposes_to_internet
                || finding
                    .components
                    .iter()
                    .any(|id| assessment.model.component(id).is_some_and(|c| c.internet_facing)),
        ),
        _ => None,
    }
}

fn compare(field: Field, op: Op, value: &Value, finding: &Finding, assessment: &Assessment) -> bool {
    let ordered = |have: f64, want: f64| match op {
        Op::Eq => (have - want).abs() < f64::EPSILON,
        Op::Ne => (have - want).abs() >= f64::EPSILON,
        Op::Lt => have < want,
        Op::Le => have <= want,
        Op::Gt => have > want,
        Op::Ge => have >= want,
    };
    let text = |have: &[String], want: &str| match op {
        Op::Ne => !have.iter().any(|h| h.eq_ignore_ascii_case(want)),
        _ => have.iter().any(|h| h.eq_ignore_ascii_case(want)),
    };
    let score = &finding.score;
    let vulnerability = finding.vulnerability.as_ref();
    match (field, value) {
        // Bands order from low to critical; `Band`'s own order is the reverse.
        (Field::Band, Value::Band(want)) => ordered(rank(score.band), rank(*want)),
        (Field::Rpn, Value::Number(n)) => ordered(f64::from(score.rpn), *n),
        (Field::Likelihood, Value::Number(n)) => ordered(f64::from(score.likelihood), *n),
        (Field::Impact, Value::Number(n)) => ordered(f64::from(score.impact), *n),
        (Field::Detectability, Value::Number(n)) => ordered(f64::from(score.detectability), *n),
        (Field::Epss, Value::Number(n)) => vulnerability.and_then(|v| v.epss).is_some_and(|e| ordered(e, *n)),
        (Field::Kev | Field::Exploit | Field::Internet | Field::Direct, Value::Flag(want)) => {
            flag(field, finding, assessment).is_some_and(|have| (have == *want) == (op == Op::Eq))
        }
        (Field::Kind, Value::Text(w)) => text(&[finding.kind.as_str().to_owned()], w),
        (Field::Status, Value::Text(w)) => {
            let status = serde_json::to_value(finding.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            text(&[status], w)
        }
        (Field::Rule, Value::Text(w)) => finding
            .rule_id
            .as_ref()
            .is_some_and(|r| text(std::slice::from_ref(r), w)),
        (Field::Advisory, Value::Text(w)) => {
            !finding.advisory_ids.is_empty() && text(&finding.advisory_ids, w)
        }
        (Field::Cwe, Value::Text(w)) => !finding.cwe.is_empty() && text(&finding.cwe, w),
        (Field::Reachability, Value::Text(w)) => {
            vulnerability.is_some_and(|v| text(&[v.reachability.as_str().to_owned()], w))
        }
        _ => false,
    }
}

fn rank(band: Band) -> f64 {
    match band {
        Band::Low => 1.0,
        Band::Medium => 2.0,
        Band::High => 3.0,
        Band::Critical => 4.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Expr {
        Policy::parse(text).unwrap_or_else(|e| panic!("{e}")).expr
    }

    fn error(text: &str) -> String {
        Policy::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_bare_band_means_that_band_or_worse() {
        assert_eq!(
            parse("high"),
            Expr::Compare(Field::Band, Op::Ge, Value::Band(Band::High))
        );
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tighter_than_and() {
        let expr = parse("kev or not exploit and rpn >= 300");
        let expected = Expr::Or(
            Box::new(Expr::Flag(Field::Kev)),
            Box::new(Expr::And(
                Box::new(Expr::Not(Box::new(Expr::Flag(Field::Exploit)))),
                Box::new(Expr::Compare(Field::Rpn, Op::Ge, Value::Number(300.0))),
            )),
        );
        assert_eq!(expr, expected);
        assert_eq!(parse("(kev)"), Expr::Flag(Field::Kev));
        assert_eq!(
            parse("reachability != 'dev-only'"),
            Expr::Compare(Field::Reachability, Op::Ne, Value::Text("dev-only".into()))
        );
        assert_eq!(
            parse("epss>=0.2"),
            Expr::Compare(Field::Epss, Op::Ge, Value::Number(0.2))
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        assert!(error("rule == \"open").contains("unterminated string at character 9"));
        assert!(error("rpn ! 3").contains("`!` must be followed by `=` at character 5"));
        assert!(error("rpn >= 1.2.3").contains("`1.2.3` is not a number"));
        assert!(error("band").contains("`band` needs a comparison"));
        assert!(error("kev and").contains("ends too early at character 8"));
        assert!(error("kev kev").contains("unexpected text after the expression at character 5"));
        assert!(error("epss >= high").contains("`epss` is compared with a number"));
        assert!(error("kev >= true").contains("`kev` can only be compared with == or !="));
        assert!(error("rpn >= 3 $").contains("unexpected `$` at character 10"));
        assert!(error("").contains("ends too early"));
    }
}
