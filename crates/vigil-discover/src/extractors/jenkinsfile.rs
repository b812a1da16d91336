//! Jenkins pipelines (`Jenkinsfile`, `Jenkinsfile.*`, `*.jenkinsfile`): one `pipeline` asset per file, in
//! the GitHub Actions workflow layout shared by every CI extractor (see [`super::gitlab_ci`]).
//!
//! A Jenkinsfile is Groovy, and Groovy is never evaluated here. The text is tokenised (strings, comments,
//! brackets; `${...}` is kept as written) and read as a tree of calls, each with its string arguments and
//! the statements of the closures passed to it. That is enough for the declarative form
//! (`pipeline { agent ... environment ... stages { stage('x') { steps { ... } } } post { ... } }`, nested
//! `stages`/`parallel`/`matrix`) and the scripted one (`node('label') { stage('x') { ... } }`,
//! `docker.image('x').inside { ... }`, legacy `stage 'x'` without a block). Only unreadable text (an
//! unterminated string or comment, unbalanced braces, nesting deeper than [`MAX_DEPTH`]) is an error.
//!
//! Attributes (`platform: "jenkins"`, `permissions: null`):
//! - `jobs`: one per stage, in file order (a stage that only groups other stages is a job without steps);
//!   `id` is the stage name, `runs_on` its effective agent (`"any"`, a label, a Docker image,
//!   `"dockerfile"`, `"kubernetes"`; `null` for `agent none` or none given), and `when` the raw text of its
//!   `when { }` block when it has one. Steps are the `sh`/`bat`/`powershell`/`pwsh` calls (`run` is the
//!   script literal, or the raw argument text when it is not a single literal; `name` is its `label:`), and
//!   the Docker images a stage pulls (`{name: "image", uses}`: `agent { docker }`, `docker.image(x)`,
//!   `image:` of pod templates and `image:` lines of a Kubernetes agent's inline YAML). A step's `env` holds
//!   the `environment { }` entries of the pipeline and stage (raw Groovy, e.g. `credentials('aws')`),
//!   `withEnv` pairs and `withCredentials` bindings (`VAR: "credentials('id')"`). Pipeline-level `post`
//!   is the job `post`.
//! - The synthetic `(pipeline)` job holds the shared libraries (`{name: "library", uses: "lib@ref"}`: from
//!   `@Library`, `library` and `libraries { lib() }`), the pipeline-wide agent image, and steps written
//!   outside any stage.
//! - `triggers`: `push` always (multibranch and SCM-triggered jobs build on push), `schedule` (`cron`,
//!   `parameterizedCron`), `pull_request` (`changeRequest()`, `CHANGE_ID`/`CHANGE_TARGET`/...),
//!   `manual` (`input`, `parameters`), `pipeline` (`upstream`), `issue_comment` (`issueCommentTrigger`),
//!   `webhook` (`GenericTrigger`); `attribute_lines["triggers.NAME"]` is the first line enabling each.
//! - `secrets`: credential ids (`credentials('id')`, any `credentialsId:`/`*CredentialsId`,
//!   `credentials:` lists, `sshagent([...])`, `docker.withRegistry(url, 'id')`) and plaintext secrets.
//! - `plaintext_secrets`: `[{name, line}]` of secret-named `environment`/`withEnv` entries given a string
//!   literal; the literal is replaced by `[redacted]` in step `env`.

use std::ops::Range;

use serde_json::{Map, Value, json};

use super::gitlab_ci::{CiJob, CiPipeline, CiStep};
use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct Jenkinsfile;

/// Deepest nesting of closures, brackets and chained statements read; deeper text is hostile.
pub const MAX_DEPTH: usize = 128;

/// `Jenkinsfile.*` names that are documentation or data next to a pipeline, not a pipeline.
const NOT_GROOVY: [&str; 10] = [
    "md", "txt", "rst", "adoc", "html", "json", "yml", "yaml", "png", "svg",
];

impl Extractor for Jenkinsfile {
    fn name(&self) -> &'static str {
        "jenkins/jenkinsfile"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        if let Some(extension) = file_name.strip_prefix("Jenkinsfile.") {
            return !NOT_GROOVY.contains(&extension.to_ascii_lowercase().as_str());
        }
        file_name == "Jenkinsfile"
            || (file_name.ends_with(".jenkinsfile") && file_name.len() > ".jenkinsfile".len())
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let unreadable = |(line, message): (u32, String)| {
            file.error(Some(line), format!("not a readable Jenkinsfile: {message}"))
        };
        let tokens = lex(file.text).map_err(unreadable)?;
        if tokens.is_empty() {
            return Ok(()); // empty, or only comments
        }
        let calls = Parser {
            tokens: &tokens,
            pos: 0,
            depth: 0,
        }
        .file()
        .map_err(unreadable)?;
        let mut walk = Walk {
            text: file.text,
            tokens: &tokens,
            pipeline: CiPipeline::default(),
            warnings: Vec::new(),
        };
        walk.top(&calls);
        walk.scan_tokens();
        for (line, message) in walk.warnings {
            out.diagnostics.push(file.warning(Some(line), message));
        }
        let line = calls
            .iter()
            .find(|c| c.head == "pipeline")
            .or_else(|| calls.first())
            .map_or(1, |c| c.line);
        out.assets.push(walk.pipeline.into_asset(file, "jenkins", line));
        Ok(())
    }
}

// ---- Tokens ----------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    /// A string literal, unescaped; `${...}` interpolations are kept as written.
    Str,
    Number,
    Punct,
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    text: String,
    line: u32,
    /// The line the token ends on (multi-line strings).
    end_line: u32,
    /// Byte range in the source.
    start: usize,
    end: usize,
}

impl Token {
    fn is(&self, punct: &str) -> bool {
        self.kind == Kind::Punct && self.text == punct
    }
}

/// Operators read as one token, longest first.
const OPERATORS: [&str; 22] = [
    "==~", "?.", "*.", ".&", "==", "!=", "=~", "->", "<=", ">=", "&&", "||", "<<", ">>", "++", "--", "+=",
    "-=", "*=", "?:", "..", "**",
];

struct Lexer<'t> {
    text: &'t str,
    chars: Vec<(usize, char)>,
    pos: usize,
    line: u32,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).map(|(_, c)| *c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.text.len(), |(i, _)| *i)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn skip_line(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    /// A quoted string after its opening quote(s). Single-line forms may not span lines: a stray quote
    /// in text that is not Groovy fails here rather than swallowing the rest of the file.
    fn string(&mut self, quote: char, triple: bool, start_line: u32) -> Result<String, (u32, String)> {
        let mut value = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err((start_line, "unterminated string".into()));
            };
            match c {
                '\\' => match self.bump() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('\n') => {} // line continuation
                    Some(other @ ('\\' | '\'' | '"' | '$' | '/')) => value.push(other),
                    Some(other) => {
                        value.push('\\');
                        value.push(other);
                    }
                    None => return Err((start_line, "unterminated string".into())),
                },
                c if c == quote && !triple => return Ok(value),
                c if c == quote && self.peek(0) == Some(quote) && self.peek(1) == Some(quote) => {
                    self.bump();
                    self.bump();
                    return Ok(value);
                }
                '\n' if !triple => return Err((start_line, "unterminated string".into())),
                '$' if quote == '"' && self.peek(0) == Some('{') => {
                    // Interpolations may hold braces and quotes of their own: copy to the matching brace.
                    value.push('$');
                    let mut depth = 0usize;
                    while let Some(c) = self.bump() {
                        value.push(c);
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                c => value.push(c),
            }
        }
    }

    /// `/regex/` where an expression may start; `None` (read as division) when it does not close on its line.
    fn slashy(&mut self) -> Option<String> {
        let mut ahead = 1;
        let mut value = String::new();
        loop {
            match self.peek(ahead)? {
                '\n' => return None,
                '\\' if self.peek(ahead + 1) == Some('/') => {
                    value.push('/');
                    ahead += 2;
                }
                '/' => break,
                c => {
                    value.push(c);
                    ahead += 1;
                }
            }
        }
        if value.is_empty() {
            return None;
        }
        for _ in 0..=ahead {
            self.bump();
        }
        Some(value)
    }
}

fn lex(text: &str) -> Result<Vec<Token>, (u32, String)> {
    let mut lexer = Lexer {
        text,
        chars: text.char_indices().collect(),
        pos: 0,
        line: 1,
    };
    let mut tokens: Vec<Token> = Vec::new();
    if text.starts_with("#!") {
        lexer.skip_line();
    }
    while let Some(c) = lexer.peek(0) {
        let (start, line) = (lexer.offset(), lexer.line);
        let (kind, value) = match c {
            '\0' => return Err((line, "binary content".into())),
            c if c.is_whitespace() => {
                lexer.bump();
                continue;
            }
            '/' if lexer.peek(1) == Some('/') => {
                lexer.skip_line();
                continue;
            }
            '/' if lexer.peek(1) == Some('*') => {
                lexer.bump();
                lexer.bump();
                loop {
                    match lexer.bump() {
                        None => return Err((line, "unterminated comment".into())),
                        Some('*') if lexer.peek(0) == Some('/') => {
                            lexer.bump();
                            break;
                        }
                        Some(_) => {}
                    }
                }
                continue;
            }
            '\'' | '"' => {
                let triple = lexer.peek(1) == Some(c) && lexer.peek(2) == Some(c);
                for _ in 0..if triple { 3 } else { 1 } {
                    lexer.bump();
                }
                (Kind::Str, lexer.string(c, triple, line)?)
            }
            '/' if tokens
                .last()
                .is_none_or(|t| t.kind == Kind::Punct && !matches!(t.text.as_str(), ")" | "]" | "}")) =>
            {
                match lexer.slashy() {
                    Some(value) => (Kind::Str, value),
                    None => {
                        lexer.bump();
                        (Kind::Punct, "/".to_owned())
                    }
                }
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let mut name = String::new();
                while let Some(c) = lexer
                    .peek(0)
                    .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                {
                    name.push(c);
                    lexer.bump();
                }
                (Kind::Ident, name)
            }
            c if c.is_ascii_digit() => {
                let mut number = String::new();
                while let Some(c) = lexer.peek(0).filter(|c| {
                    c.is_alphanumeric() || (*c == '.' && lexer.peek(1).is_some_and(|d| d.is_ascii_digit()))
                }) {
                    number.push(c);
                    lexer.bump();
                }
                (Kind::Number, number)
            }
            _ => {
                let rest = text.get(start..).unwrap_or_default();
                let op = OPERATORS.iter().find(|op| rest.starts_with(**op)).copied();
                let op = op.map_or_else(|| c.to_string(), str::to_owned);
                for _ in 0..op.chars().count() {
                    lexer.bump();
                }
                (Kind::Punct, op)
            }
        };
        tokens.push(Token {
            kind,
            text: value,
            line,
            end_line: lexer.line,
            start,
            end: lexer.offset(),
        });
    }
    Ok(tokens)
}

// ---- Calls -----------------------------------------------------------------------------------------------

/// An argument of a call, at the call's own level (arguments of nested calls are read from the tokens).
#[derive(Debug)]
enum Arg {
    /// A string literal, or one inside a list literal (`sshagent(['a', 'b'])`), with its line.
    Str(String, u32),
    /// A bare word (`agent any`, `checkout scm`, `dockerfile true`).
    Word(String),
    /// `key: value`, with the string literals of the value.
    Named(String, Vec<(String, u32)>),
}

/// One Groovy statement read as a call: `head args { closure }`, `a.b(x).c { }`, or `name = expression`.
#[derive(Debug, Default)]
struct Call {
    /// The identifiers before the first argument: `sh`, `docker.image`, `env.FOO`.
    head: String,
    /// Every identifier of a method chain: `docker`, `image`, `inside`.
    path: Vec<String>,
    line: u32,
    args: Vec<Arg>,
    /// Token range of the arguments (parenthesised or not), for nested calls such as credential bindings.
    arg_tokens: Option<Range<usize>>,
    /// Token range of the right-hand side of `name = expression`.
    assign: Option<Range<usize>>,
    /// Statements of the closures passed to the call (and of calls in an assigned expression).
    block: Vec<Call>,
    /// Byte range of the first closure's body.
    block_text: Option<Range<usize>>,
}

impl Call {
    fn first_str(&self) -> Option<(&str, u32)> {
        self.args.iter().find_map(|a| match a {
            Arg::Str(s, line) => Some((s.as_str(), *line)),
            _ => None,
        })
    }

    fn named(&self, key: &str) -> Option<(&str, u32)> {
        self.args.iter().find_map(|a| match a {
            Arg::Named(k, values) if k == key => values.first().map(|(s, l)| (s.as_str(), *l)),
            _ => None,
        })
    }

    fn word(&self) -> Option<&str> {
        self.args.iter().find_map(|a| match a {
            Arg::Word(w) => Some(w.as_str()),
            _ => None,
        })
    }

    fn child(&self, head: &str) -> Option<&Call> {
        self.block.iter().find(|c| c.head == head)
    }
}

type ParseResult<T> = Result<T, (u32, String)>;

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    depth: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, ahead: usize) -> Option<&'t Token> {
        self.tokens.get(self.pos + ahead)
    }

    /// End line of the token before the current one.
    fn last_line(&self) -> u32 {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.end_line)
    }

    /// Whether the token before the current one leaves the expression open across a line break.
    fn continues(&self) -> bool {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .is_some_and(|t| {
                t.kind == Kind::Punct
                    && matches!(
                        t.text.as_str(),
                        "," | "+"
                            | "-"
                            | "*"
                            | "&&"
                            | "||"
                            | "?"
                            | ":"
                            | "?:"
                            | "="
                            | "("
                            | "["
                            | "<<"
                            | "=="
                            | "!="
                    )
            })
    }

    fn enter(&mut self, line: u32) -> ParseResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((line, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn file(mut self) -> ParseResult<Vec<Call>> {
        let calls = self.block()?;
        match self.peek() {
            Some(stray) => Err((stray.line, "unbalanced `}`".into())),
            None => Ok(calls),
        }
    }

    /// Statements up to a closing `}` (left for the caller) or the end of the text.
    fn block(&mut self) -> ParseResult<Vec<Call>> {
        let mut calls = Vec::new();
        while let Some(token) = self.peek() {
            if token.is("}") {
                break;
            }
            if token.is("{") {
                let (inner, _) = self.closure()?;
                calls.extend(inner);
            } else if token.kind == Kind::Ident {
                calls.push(self.statement()?);
            } else {
                self.pos += 1;
            }
        }
        Ok(calls)
    }

    /// A `{ ... }` at the current token: its statements and the byte range of its body.
    fn closure(&mut self) -> ParseResult<(Vec<Call>, Range<usize>)> {
        let (open_line, body_start) = self.peek().map_or((0, 0), |t| (t.line, t.end));
        self.pos += 1;
        self.enter(open_line)?;
        let calls = self.block()?;
        let Some(close) = self.peek() else {
            return Err((open_line, "`{` opened here is never closed".into()));
        };
        let body = body_start..close.start;
        self.pos += 1;
        self.depth -= 1;
        Ok((calls, body))
    }

    fn statement(&mut self) -> ParseResult<Call> {
        let Some(first) = self.peek() else {
            return Ok(Call::default());
        };
        let line = first.line;
        self.enter(line)?;
        let mut call = Call {
            head: first.text.clone(),
            path: vec![first.text.clone()],
            line,
            ..Call::default()
        };
        self.pos += 1;
        let mut in_head = true;
        while let Some(token) = self.peek() {
            let same_line = token.line <= self.last_line();
            if (token.is(".") || token.is("?.") || token.is("*."))
                && self.peek_at(1).is_some_and(|t| t.kind == Kind::Ident)
            {
                let name = self.peek_at(1).map(|t| t.text.clone()).unwrap_or_default();
                if in_head {
                    call.head.push('.');
                    call.head.push_str(&name);
                }
                call.path.push(name);
                self.pos += 2;
            } else if token.is("{") {
                let (inner, body) = self.closure()?;
                call.block.extend(inner);
                call.block_text.get_or_insert(body);
                if !self.peek().is_some_and(|t| t.is(".") || t.is("?.")) {
                    break;
                }
            } else if token.is("(") && same_line {
                let open = token.line;
                in_head = false;
                self.pos += 1;
                self.arguments(&mut call, Some(open))?;
            } else if token.is("=") && same_line {
                self.pos += 1;
                let start = self.pos;
                self.expression(&mut call)?;
                call.assign = Some(start..self.pos);
                break;
            } else if same_line
                && call.args.is_empty()
                && in_head
                && (matches!(token.kind, Kind::Str | Kind::Ident | Kind::Number) || token.is("["))
            {
                in_head = false;
                self.arguments(&mut call, None)?;
            } else {
                break;
            }
        }
        self.depth -= 1;
        Ok(call)
    }

    /// Arguments up to the matching `)` (`open` is the line of the `(` already consumed), or, without
    /// parentheses (command syntax: `sh 'make'`), to the end of the line.
    fn arguments(&mut self, call: &mut Call, open: Option<u32>) -> ParseResult<()> {
        let start = self.pos;
        let mut end = usize::MAX;
        // Brackets opened inside the arguments; strings count as arguments only inside list literals.
        let mut brackets: Vec<char> = Vec::new();
        let mut named: Option<usize> = None;
        loop {
            let Some(token) = self.peek() else {
                if let Some(line) = open {
                    return Err((line, "`(` opened here is never closed".into()));
                }
                break;
            };
            if open.is_none() && brackets.is_empty() {
                let new_line = token.line > self.last_line() && !self.continues();
                // A closure right after `key:` or `=` is an argument; otherwise it is the trailing closure.
                let value_closure = token.is("{") && self.continues();
                if new_line
                    || (token.is("{") && !value_closure)
                    || token.is("}")
                    || token.is(";")
                    || token.is(")")
                    || token.is("]")
                {
                    break;
                }
            }
            let next_is_colon = self.peek_at(1).is_some_and(|t| t.is(":"));
            let plain = brackets.iter().all(|b| *b == '[');
            match token.kind {
                Kind::Punct => match token.text.as_str() {
                    "(" | "[" => {
                        self.enter(token.line)?;
                        brackets.push(if token.is("(") { '(' } else { '[' });
                        self.pos += 1;
                    }
                    ")" | "]" => {
                        if brackets.pop().is_some() {
                            self.depth -= 1;
                        } else if open.is_some() {
                            end = self.pos;
                            self.pos += 1;
                            break;
                        }
                        self.pos += 1;
                    }
                    "{" => {
                        let (inner, body) = self.closure()?;
                        call.block.extend(inner);
                        call.block_text.get_or_insert(body);
                    }
                    "}" => return Err((token.line, "unbalanced `}` inside parentheses".into())),
                    "," => {
                        if brackets.is_empty() {
                            named = None;
                        }
                        self.pos += 1;
                    }
                    _ => self.pos += 1,
                },
                Kind::Str | Kind::Ident if brackets.is_empty() && next_is_colon => {
                    call.args.push(Arg::Named(token.text.clone(), Vec::new()));
                    named = Some(call.args.len() - 1);
                    self.pos += 2;
                }
                Kind::Str if plain => {
                    let value = (token.text.clone(), token.line);
                    match named.and_then(|i| call.args.get_mut(i)) {
                        Some(Arg::Named(_, values)) => values.push(value),
                        _ => call.args.push(Arg::Str(value.0, value.1)),
                    }
                    self.pos += 1;
                }
                Kind::Ident
                    if open.is_none()
                        && brackets.is_empty()
                        && self.peek_at(1).is_some_and(|t| {
                            (t.is("(") || t.kind == Kind::Str) && t.line == token.end_line
                        }) =>
                {
                    // `if (x) sh 'make'`, `return sh(...)`: a call used as an argument.
                    let nested = self.statement()?;
                    call.block.push(nested);
                }
                Kind::Ident | Kind::Number if brackets.is_empty() && named.is_none() => {
                    call.args.push(Arg::Word(token.text.clone()));
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        self.depth -= brackets.len();
        let range = call.arg_tokens.as_ref().map_or(start, |r| r.start)..end.min(self.pos);
        call.arg_tokens = Some(range);
        Ok(())
    }

    /// The right-hand side of an assignment, to the end of its line; calls and closures in it become
    /// statements of `call`'s block.
    fn expression(&mut self, call: &mut Call) -> ParseResult<()> {
        while let Some(token) = self.peek() {
            if (token.line > self.last_line() && !self.continues())
                || token.is("}")
                || token.is(";")
                || token.is(")")
                || token.is("]")
            {
                break;
            }
            if token.is("{") {
                let (inner, _) = self.closure()?;
                call.block.extend(inner);
            } else if token.kind == Kind::Ident {
                let nested = self.statement()?;
                call.block.push(nested);
            } else if token.is("(") || token.is("[") {
                let line = token.line;
                self.pos += 1;
                let mut group = Call::default();
                self.enter(line)?;
                self.arguments(&mut group, Some(line))?;
                self.depth -= 1;
                call.block.append(&mut group.block);
            } else {
                self.pos += 1;
            }
        }
        Ok(())
    }
}

// ---- Reading the pipeline --------------------------------------------------------------------------------

/// What a stage inherits: its agent and environment.
#[derive(Debug, Clone, Default)]
struct Scope {
    runs_on: Value,
    env: Map<String, Value>,
}

/// Where steps go: a stage's job, or the synthetic pipeline job.
type JobRef = Option<usize>;

struct Walk<'t> {
    text: &'t str,
    tokens: &'t [Token],
    pipeline: CiPipeline,
    warnings: Vec<(u32, String)>,
}

impl Walk<'_> {
    fn top(&mut self, calls: &[Call]) {
        let scope = Scope::default();
        let mut job = None;
        for call in calls {
            if call.head == "pipeline" && call.block_text.is_some() {
                self.declarative(call);
            } else {
                self.step(call, &scope, &mut job);
            }
        }
    }

    fn declarative(&mut self, pipeline: &Call) {
        let mut scope = Scope::default();
        // Agent and environment apply to every stage wherever they are written in the block.
        for call in &pipeline.block {
            match call.head.as_str() {
                "agent" => scope.runs_on = self.agent(call, None),
                "environment" => self.environment(call, &mut scope.env),
                "libraries" => {
                    for lib in call.block.iter().filter(|c| c.head == "lib") {
                        if let Some((name, line)) = lib.first_str() {
                            self.pipeline
                                .pipeline_steps
                                .push(CiStep::uses("library", name, line));
                        }
                    }
                }
                _ => {}
            }
        }
        let mut stages = false;
        for call in &pipeline.block {
            match call.head.as_str() {
                "stages" => {
                    stages = true;
                    self.stages(&call.block, &scope);
                }
                "post" => {
                    let job = self.job("post", call.line, &scope);
                    for condition in &call.block {
                        self.steps(&condition.block, &scope, Some(job));
                    }
                }
                _ => {}
            }
        }
        if !stages {
            self.warnings.push((
                pipeline.line,
                "declarative pipeline without `stages`; no stage read".into(),
            ));
        }
    }

    fn stages(&mut self, calls: &[Call], scope: &Scope) {
        for call in calls.iter().filter(|c| c.head == "stage") {
            self.stage(call, scope);
        }
    }

    fn stage(&mut self, stage: &Call, parent: &Scope) {
        let mut scope = parent.clone();
        let name = stage
            .first_str()
            .map(|(s, _)| s.to_owned())
            .or_else(|| stage.word().map(str::to_owned));
        let job = self.job(name.as_deref().unwrap_or("stage"), stage.line, &scope);
        for call in &stage.block {
            match call.head.as_str() {
                "agent" => scope.runs_on = self.agent(call, Some(job)),
                "environment" => self.environment(call, &mut scope.env),
                "when" => {
                    let when = call
                        .block_text
                        .as_ref()
                        .and_then(|r| self.text.get(r.clone()))
                        .unwrap_or_default();
                    if let Some(job) = self.pipeline.jobs.get_mut(job) {
                        job.extra.insert("when".into(), json!(when.trim()));
                    }
                }
                _ => {}
            }
        }
        if let Some(job) = self.pipeline.jobs.get_mut(job) {
            job.runs_on = scope.runs_on.clone();
        }
        for call in &stage.block {
            match call.head.as_str() {
                "steps" => self.steps(&call.block, &scope, Some(job)),
                "post" => {
                    for condition in &call.block {
                        self.steps(&condition.block, &scope, Some(job));
                    }
                }
                "stages" | "parallel" => self.stages(&call.block, &scope),
                "matrix" => {
                    if let Some(stages) = call.child("stages") {
                        self.stages(&stages.block, &scope);
                    }
                }
                _ => {}
            }
        }
    }

    fn job(&mut self, id: &str, line: u32, scope: &Scope) -> usize {
        let mut job = CiJob::new(id, line);
        job.runs_on = scope.runs_on.clone();
        self.pipeline.jobs.push(job);
        self.pipeline.jobs.len() - 1
    }

    fn push(&mut self, job: JobRef, step: CiStep) {
        match job.and_then(|i| self.pipeline.jobs.get_mut(i)) {
            Some(job) => job.steps.push(step),
            None => self.pipeline.pipeline_steps.push(step),
        }
    }

    /// `agent any | none | label 'x' | { label | node | docker | dockerfile | kubernetes }`: the agent as
    /// `runs_on`; images it pulls become steps of `job`.
    fn agent(&mut self, agent: &Call, job: JobRef) -> Value {
        if let Some(word) = agent.word() {
            return if word == "none" { Value::Null } else { json!(word) };
        }
        if let Some((label, _)) = agent.named("label").or_else(|| agent.first_str()) {
            return json!(label);
        }
        for kind in &agent.block {
            match kind.head.as_str() {
                "any" => return json!("any"),
                "none" => return Value::Null,
                "label" => return kind.first_str().map_or(Value::Null, |(l, _)| json!(l)),
                "node" => {
                    let label = kind
                        .child("label")
                        .and_then(Call::first_str)
                        .or_else(|| kind.named("label"));
                    return label.map_or(json!("any"), |(l, _)| json!(l));
                }
                "docker" => {
                    let image = kind
                        .first_str()
                        .or_else(|| kind.child("image").and_then(Call::first_str));
                    return match image {
                        Some((image, line)) => {
                            self.push(job, CiStep::uses("image", image, line));
                            json!(image)
                        }
                        None => json!("docker"),
                    };
                }
                "dockerfile" => return json!("dockerfile"),
                "kubernetes" => {
                    self.kubernetes_images(kind, job);
                    return json!("kubernetes");
                }
                _ => {}
            }
        }
        Value::Null
    }

    /// Images of a Kubernetes agent: `image:` lines of its inline pod YAML and `containerTemplate(image:)`.
    fn kubernetes_images(&mut self, kubernetes: &Call, job: JobRef) {
        for call in &kubernetes.block {
            if call.head == "yaml" {
                if let Some((yaml, line)) = call.first_str() {
                    for (offset, text) in yaml.lines().enumerate() {
                        let item = text.trim_start().trim_start_matches('-').trim_start();
                        if let Some(image) = item.strip_prefix("image:") {
                            let image = image.trim().trim_matches(|c| c == '"' || c == '\'');
                            let at = line.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX));
                            if !image.is_empty() {
                                self.push(job, CiStep::uses("image", image, at));
                            }
                        }
                    }
                }
            } else if let Some((image, line)) = call.named("image") {
                self.push(job, CiStep::uses("image", image, line));
            }
        }
    }

    /// `environment { NAME = value }`: raw Groovy values; string literals with secret names are flagged.
    fn environment(&mut self, environment: &Call, env: &mut Map<String, Value>) {
        for entry in &environment.block {
            let Some(range) = &entry.assign else { continue };
            let value = match self.tokens.get(range.clone()) {
                Some([single]) if single.kind == Kind::Str => {
                    self.pipeline
                        .variable(&entry.head, &json!(single.text), entry.line)
                }
                _ => json!(self.source(range.clone()).trim()),
            };
            env.insert(entry.head.clone(), value);
        }
    }

    fn steps(&mut self, calls: &[Call], scope: &Scope, job: JobRef) {
        let mut job = job;
        for call in calls {
            self.step(call, scope, &mut job);
        }
    }

    /// One statement of a `steps` block or a scripted pipeline, and what it encloses.
    fn step(&mut self, call: &Call, scope: &Scope, job: &mut JobRef) {
        let mut inner = scope.clone();
        match call.head.as_str() {
            "sh" | "bat" | "powershell" | "pwsh" => {
                let (script, line) = call
                    .first_str()
                    .or_else(|| call.named("script"))
                    .map_or_else(|| (self.args_text(call), call.line), |(s, l)| (s.to_owned(), l));
                let name = call.named("label").map(|(l, _)| l.to_owned());
                let mut step = CiStep::run(name, call.line, script, line);
                step.env = scope.env.clone();
                self.push(*job, step);
            }
            "stage" => {
                let name = call
                    .first_str()
                    .map_or_else(|| "stage".to_owned(), |(s, _)| s.to_owned());
                let stage = self.job(&name, call.line, scope);
                if call.block.is_empty() {
                    // Legacy `stage 'x'`: the statements after it belong to it.
                    *job = Some(stage);
                } else {
                    self.steps(&call.block, scope, Some(stage));
                }
                return;
            }
            "node" => {
                let label = call.first_str().or_else(|| call.named("label"));
                inner.runs_on = label.map_or(json!("any"), |(l, _)| json!(l));
            }
            "Library" | "library" => {
                let names: Vec<(String, u32)> = match call.named("identifier") {
                    Some((name, line)) => vec![(name.to_owned(), line)],
                    None => call
                        .args
                        .iter()
                        .filter_map(|a| match a {
                            Arg::Str(s, l) => Some((s.clone(), *l)),
                            _ => None,
                        })
                        .collect(),
                };
                for (name, line) in names {
                    self.pipeline
                        .pipeline_steps
                        .push(CiStep::uses("library", name, line));
                }
            }
            "withEnv" => {
                for arg in &call.args {
                    if let Arg::Str(pair, line) = arg
                        && let Some((name, value)) = pair.split_once('=')
                    {
                        let value = self.pipeline.variable(name, &json!(value), *line);
                        inner.env.insert(name.to_owned(), value);
                    }
                }
            }
            "withCredentials" => {
                for (id, variable) in self.bindings(call) {
                    inner.env.insert(variable, json!(format!("credentials('{id}')")));
                }
            }
            head if head.starts_with("docker.image") => {
                if let Some((image, line)) = call.first_str() {
                    self.push(*job, CiStep::uses("image", image, line));
                    if call.path.iter().any(|p| p == "inside") {
                        inner.runs_on = json!(image);
                    }
                }
            }
            _ => {
                if let Some((image, line)) = call.named("image") {
                    self.push(*job, CiStep::uses("image", image, line));
                }
            }
        }
        // A legacy `stage 'x'` inside a closure ends with the closure.
        let mut nested = *job;
        for child in &call.block {
            self.step(child, &inner, &mut nested);
        }
    }

    /// `withCredentials([usernamePassword(credentialsId: 'id', usernameVariable: 'U', ...), ...])`: the
    /// (credential id, variable) pairs it binds.
    fn bindings(&self, call: &Call) -> Vec<(String, String)> {
        let Some(range) = &call.arg_tokens else {
            return Vec::new();
        };
        let tokens = self.tokens.get(range.clone()).unwrap_or_default();
        let mut pairs = Vec::new();
        let mut id: Option<String> = None;
        let mut variables: Vec<String> = Vec::new();
        let mut flush = |id: &mut Option<String>, variables: &mut Vec<String>| {
            if let Some(id) = id.take() {
                pairs.extend(variables.drain(..).map(|v| (id.clone(), v)));
            }
            variables.clear();
        };
        for (i, token) in tokens.iter().enumerate() {
            let value = || {
                tokens
                    .get(i + 2)
                    .filter(|t| t.kind == Kind::Str && tokens.get(i + 1).is_some_and(|c| c.is(":")))
                    .map(|t| t.text.clone())
            };
            if token.kind == Kind::Ident && tokens.get(i + 1).is_some_and(|t| t.is("(")) {
                flush(&mut id, &mut variables);
            } else if token.kind == Kind::Ident && token.text == "credentialsId" {
                id = value();
            } else if token.kind == Kind::Ident
                && (token.text == "variable" || token.text.ends_with("Variable"))
            {
                variables.extend(value());
            }
        }
        flush(&mut id, &mut variables);
        pairs
    }

    fn source(&self, range: Range<usize>) -> &str {
        let start = self.tokens.get(range.start).map(|t| t.start);
        let end = range
            .end
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map(|t| t.end);
        match (start, end) {
            (Some(start), Some(end)) if start <= end => self.text.get(start..end).unwrap_or_default(),
            _ => "",
        }
    }

    /// The raw argument text of a call, without its parentheses.
    fn args_text(&self, call: &Call) -> String {
        let text = call
            .arg_tokens
            .clone()
            .map(|r| self.source(r))
            .unwrap_or_default();
        text.trim().to_owned()
    }

    /// Credential ids and triggers, read from the tokens wherever they are nested (in `properties([...])`,
    /// `withCredentials([...])`, `when { }`, helper functions).
    fn scan_tokens(&mut self) {
        self.pipeline.trigger("push", None);
        let tokens = self.tokens;
        let next = |i: usize| tokens.get(i);
        for (i, token) in tokens.iter().enumerate() {
            let called = next(i + 1)
                .is_some_and(|t| t.is("(") || t.is("{") || t.kind == Kind::Str || t.is("["))
                || (next(i + 1).is_some_and(|t| t.kind == Kind::Ident)
                    && next(i + 2).is_some_and(|t| t.is(":")));
            if token.kind == Kind::Ident {
                let trigger = match token.text.as_str() {
                    "cron" | "parameterizedCron" if called => Some("schedule"),
                    "pollSCM" | "githubPush" | "bitbucketPush" if called => Some("push"),
                    "changeRequest" if called => Some("pull_request"),
                    "CHANGE_ID" | "CHANGE_TARGET" | "CHANGE_BRANCH" | "CHANGE_URL" | "CHANGE_FORK" => {
                        Some("pull_request")
                    }
                    "input" | "parameters" if called => Some("manual"),
                    "upstream" if called => Some("pipeline"),
                    "issueCommentTrigger" if called => Some("issue_comment"),
                    "GenericTrigger" if called => Some("webhook"),
                    _ => None,
                };
                if let Some(trigger) = trigger {
                    self.pipeline.trigger(trigger, Some(token.line));
                }
            } else if token.kind == Kind::Str
                && (token.text.contains("CHANGE_ID") || token.text.contains("CHANGE_TARGET"))
            {
                self.pipeline.trigger("pull_request", Some(token.line));
            }
            for id in credential_ids(tokens, i) {
                self.pipeline.secrets.insert(id);
            }
        }
    }
}

/// Credential ids named at token `i`: `credentials('id')`, `credentialsId: 'id'`, `registryCredentialsId 'id'`,
/// `credentials: ['a', 'b']`, `sshagent(['id'])`, `withRegistry('url', 'id')`.
fn credential_ids(tokens: &[Token], i: usize) -> Vec<String> {
    let Some(token) = tokens.get(i) else {
        return Vec::new();
    };
    let at = |j: usize| tokens.get(j);
    let strings_from = |mut j: usize| {
        // A string, or a list of strings.
        let mut ids = Vec::new();
        let list = at(j).is_some_and(|t| t.is("["));
        if list {
            j += 1;
        }
        while let Some(t) = at(j) {
            match t.kind {
                Kind::Str => ids.push(t.text.clone()),
                Kind::Punct if t.is(",") && list => {}
                _ => break,
            }
            if !list {
                break;
            }
            j += 1;
        }
        ids
    };
    if !matches!(token.kind, Kind::Ident | Kind::Str) {
        return Vec::new();
    }
    let name = token.text.as_str();
    let ids = if name == "credentials" && token.kind == Kind::Ident && at(i + 1).is_some_and(|t| t.is("(")) {
        strings_from(i + 2)
    } else if name == "credentials" || name == "credentialId" || name.ends_with("redentialsId") {
        match at(i + 1) {
            Some(t) if t.is(":") => strings_from(i + 2),
            Some(t) if t.kind == Kind::Str && token.kind == Kind::Ident => strings_from(i + 1),
            _ => Vec::new(),
        }
    } else if name == "sshagent" && token.kind == Kind::Ident && at(i + 1).is_some_and(|t| t.is("(")) {
        strings_from(i + 2)
    } else if name == "withRegistry" && at(i + 1).is_some_and(|t| t.is("(")) {
        match (at(i + 2), at(i + 3), at(i + 4)) {
            (Some(url), Some(comma), Some(id))
                if url.kind == Kind::Str && comma.is(",") && id.kind == Kind::Str =>
            {
                vec![id.text.clone()]
            }
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    ids.into_iter()
        .filter(|id| !id.trim().is_empty() && !id.contains("${"))
        .collect()
}
