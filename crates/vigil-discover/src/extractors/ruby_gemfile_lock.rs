//! `Gemfile.lock` and `gems.locked`, as written by Bundler 1.x to 4.x.
//!
//! The lockfile is a line format: source sections (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) hold a
//! `remote:` and `specs:` with `name (version)` at four spaces and that gem's dependencies at six;
//! `DEPENDENCIES` lists what the Gemfile asked for (`name!` marks a git or path source); `PLATFORMS`,
//! `RUBY VERSION`, `CHECKSUMS` and `BUNDLED WITH` carry nothing reported here. A spec such as
//! `nokogiri (1.19.0-x86_64-linux-gnu)` is version `1.19.0` for platform `x86_64-linux-gnu`; the platform
//! variants of one version are one asset (at the first variant's line) whose `platforms` attribute lists
//! them. `GIT` gems get `source = git`, `PATH` gems (the project's own gemspec among them) `source = path`;
//! `GEM` sections whose remotes are all outside rubygems.org (and its public mirrors) get
//! `source = registry:<remote>`, because a private gem server's gems are not the public gems advisories
//! describe, and `PLUGIN SOURCE` gems likewise.
//!
//! The lockfile records no groups. The sibling `Gemfile` (or `gems.rb`) is read line by line, never
//! evaluated: `group ... do` / `end` blocks and `group:` options give each `gem "name"` its groups. A
//! direct gem is dev when every declaration of it lies only in `:development` / `:test` groups (a gem also
//! in, say, `:mysql` may be installed in production), prod when declared otherwise, unknown when the
//! Gemfile does not name it (a `gemspec`, an `eval_gemfile`). Transitive gems take the widest scope of the
//! direct gems that reach them through the specs' dependency lists, so a gem only tests pull in is dev.

use std::collections::{BTreeSet, HashMap, HashSet};

use vigil_core::{Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct GemfileLock;

impl Extractor for GemfileLock {
    fn name(&self) -> &'static str {
        "rubygems/gemfile-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        matches!(file_name, "Gemfile.lock" | "gems.locked")
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let lock = parse(file, out)?;
        let manifest = if file.path.ends_with("gems.locked") {
            "gems.rb"
        } else {
            "Gemfile"
        };
        let declared = file
            .read_sibling(manifest, out)
            .map(|(_, text)| gemfile_groups(&text));
        let scopes = declared.as_ref().map(|declared| scopes(&lock, declared));

        for (index, gem) in lock.gems.iter().enumerate() {
            let dependency = Dependency {
                ecosystem: Ecosystem::RubyGems,
                name: gem.name.clone(),
                version: gem.version.clone(),
                direct: lock.direct.as_ref().map(|direct| direct.contains(&gem.name)),
                scope: scopes
                    .as_ref()
                    .and_then(|s| s.get(index).copied())
                    .unwrap_or_default(),
            };
            let mut asset = dependency.into_asset(file.evidence(Some(gem.line)));
            if let Some(source) = &gem.source {
                asset = asset.with("source", source.clone());
            }
            if gem.platforms.iter().any(|p| p != RUBY) {
                asset = asset.with("platforms", gem.platforms.clone());
            }
            out.assets.push(asset);
        }
        Ok(())
    }
}

/// The platform of a spec without a platform suffix.
const RUBY: &str = "ruby";

/// rubygems.org and the public mirrors of it: their gems are the ones advisories describe.
const PUBLIC_HOSTS: [&str; 5] = [
    "rubygems.org",
    "index.rubygems.org",
    "gems.ruby-china.com",
    "mirrors.tuna.tsinghua.edu.cn",
    "mirrors.aliyun.com",
];

#[derive(Debug)]
struct Gem {
    line: u32,
    name: String,
    version: String,
    platforms: Vec<String>,
    source: Option<String>,
    /// Names this gem's specs depend on.
    requires: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct Lock {
    gems: Vec<Gem>,
    /// `DEPENDENCIES`, or `None` when the section is missing.
    direct: Option<HashSet<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Source(SourceKind),
    Dependencies,
    /// `PLATFORMS`, `RUBY VERSION`, `BUNDLED WITH`, `CHECKSUMS` and sections of future Bundlers.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceKind {
    Gem,
    Git,
    Path,
    Plugin,
}

/// A source section being read: its specs are kept until its remotes are all known.
#[derive(Debug)]
struct OpenSource {
    kind: SourceKind,
    remotes: Vec<String>,
    first_gem: usize,
}

fn parse(file: &SourceFile<'_>, out: &mut Output) -> Result<Lock, ExtractError> {
    let mut lock = Lock::default();
    let mut section: Option<Section> = None;
    let mut open: Option<OpenSource> = None;
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    // The gem whose dependency lines (six spaces) follow.
    let mut current: Option<usize> = None;

    for (number, raw) in file.text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = u32::try_from(number + 1).unwrap_or(u32::MAX);
        let content = raw.trim_start_matches(' ');
        let indent = raw.len() - content.len();
        let content = content.trim_end();
        if content.is_empty() {
            continue;
        }
        if indent == 0 {
            if !content.chars().all(|c| c.is_ascii_uppercase() || c == ' ') {
                return Err(file.error(
                    Some(line),
                    "not a Gemfile.lock: expected a section name such as `GEM` or `DEPENDENCIES`",
                ));
            }
            close_source(&mut lock, open.take());
            current = None;
            let kind = match content {
                "GEM" => Some(SourceKind::Gem),
                "GIT" => Some(SourceKind::Git),
                "PATH" => Some(SourceKind::Path),
                "PLUGIN SOURCE" => Some(SourceKind::Plugin),
                _ => None,
            };
            section = Some(match kind {
                Some(kind) => {
                    open = Some(OpenSource {
                        kind,
                        remotes: Vec::new(),
                        first_gem: lock.gems.len(),
                    });
                    Section::Source(kind)
                }
                None if content == "DEPENDENCIES" => {
                    lock.direct.get_or_insert_with(HashSet::new);
                    Section::Dependencies
                }
                None => Section::Other,
            });
            continue;
        }
        match section {
            None => {
                return Err(file.error(
                    Some(line),
                    "not a Gemfile.lock: an indented line before the first section",
                ));
            }
            Some(Section::Other) => {}
            Some(Section::Dependencies) => {
                if let (Some(direct), Some((name, _))) = (lock.direct.as_mut(), split_spec(content)) {
                    direct.insert(name.trim_end_matches('!').to_owned());
                }
            }
            Some(Section::Source(_)) => match indent {
                2 => {
                    if let (Some(remote), Some(open)) = (content.strip_prefix("remote:"), open.as_mut()) {
                        open.remotes.push(remote.trim().to_owned());
                    }
                }
                4 => {
                    current = None;
                    let Some((name, Some(full_version))) = split_spec(content) else {
                        out.diagnostics.push(file.warning(
                            Some(line),
                            format!("`{content}` is not a `name (version)` spec; skipped"),
                        ));
                        continue;
                    };
                    // Bundler's own reading: the version has no `-`, the platform is what follows it.
                    let (version, platform) = full_version.split_once('-').unwrap_or((full_version, RUBY));
                    let key = (name.to_owned(), version.to_owned());
                    if let Some(&existing) = index.get(&key) {
                        if let Some(gem) = lock.gems.get_mut(existing) {
                            gem.platforms.push(platform.to_owned());
                        }
                        current = Some(existing);
                        continue;
                    }
                    index.insert(key, lock.gems.len());
                    current = Some(lock.gems.len());
                    lock.gems.push(Gem {
                        line,
                        name: name.to_owned(),
                        version: version.to_owned(),
                        platforms: vec![platform.to_owned()],
                        source: None,
                        requires: BTreeSet::new(),
                    });
                }
                _ => {
                    if let (Some(gem), Some((name, _))) =
                        (current.and_then(|i| lock.gems.get_mut(i)), split_spec(content))
                    {
                        gem.requires.insert(name.to_owned());
                    }
                }
            },
        }
    }
    close_source(&mut lock, open);
    Ok(lock)
}

/// Gives the gems of a finished source section their `source`.
fn close_source(lock: &mut Lock, open: Option<OpenSource>) {
    let Some(open) = open else { return };
    let source = match open.kind {
        SourceKind::Git => Some("git".to_owned()),
        SourceKind::Path => Some("path".to_owned()),
        // Bundler 1 lists every remote of the Gemfile in one section: with a public one among them, a gem
        // cannot be said to come from elsewhere.
        SourceKind::Gem if open.remotes.is_empty() || open.remotes.iter().any(|r| is_public(r)) => None,
        SourceKind::Gem | SourceKind::Plugin => Some(format!(
            "registry:{}",
            open.remotes.first().map_or("", String::as_str)
        )),
    };
    for gem in lock.gems.iter_mut().skip(open.first_gem) {
        gem.source.clone_from(&source);
    }
}

fn is_public(remote: &str) -> bool {
    let host = remote
        .split_once("://")
        .map_or(remote, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    PUBLIC_HOSTS.contains(&host.to_ascii_lowercase().as_str())
}

/// `name (text)` -> (`name`, `Some(text)`); `name` or `name!` -> (`name`, `None`).
fn split_spec(content: &str) -> Option<(&str, Option<&str>)> {
    let (name, rest) = match content.split_once(' ') {
        Some((name, rest)) => (name, Some(rest.trim())),
        None => (content, None),
    };
    if name.is_empty() {
        return None;
    }
    match rest {
        None => Some((name, None)),
        Some(rest) => {
            let inner = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
            (!inner.is_empty()).then_some((name, Some(inner)))
        }
    }
}

/// Groups in which the Gemfile declares each gem, one set per declaration (empty: the default group).
fn gemfile_groups(text: &str) -> HashMap<String, Vec<BTreeSet<String>>> {
    let mut declared: HashMap<String, Vec<BTreeSet<String>>> = HashMap::new();
    // One frame per open block; `group` blocks carry their groups, other blocks none.
    let mut stack: Vec<Vec<String>> = Vec::new();
    for raw in text.lines() {
        let code = strip_comment(raw).trim();
        let word = code
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default();
        match word {
            "" => {}
            "end" => {
                stack.pop();
            }
            "gem" => {
                let Some(name) = first_string(code.get(3..).unwrap_or_default()) else {
                    continue;
                };
                let mut groups: BTreeSet<String> = stack.iter().flatten().cloned().collect();
                groups.extend(inline_groups(code));
                declared.entry(name).or_default().push(groups);
            }
            "group" if opens_block(code) => {
                let list = code.get(5..).unwrap_or_default();
                let list = list.rsplit_once(" do").map_or(list, |(before, _)| before);
                stack.push(symbols(list));
            }
            "if" | "unless" | "case" | "while" | "until" | "begin" | "def" | "class" | "module" => {
                stack.push(Vec::new());
            }
            _ if opens_block(code) => stack.push(Vec::new()),
            _ => {}
        }
    }
    declared
}

/// A line that ends by opening a `do` block (`... do` or `... do |x|`).
fn opens_block(code: &str) -> bool {
    let code = match code.strip_suffix('|') {
        Some(before) => before
            .rsplit_once('|')
            .map_or(before, |(head, _)| head)
            .trim_end(),
        None => code,
    };
    code == "do" || code.ends_with(" do") || code.ends_with(")do")
}

/// The code of a Ruby line without its comment: a `#` outside string literals.
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some('"'), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return line.get(..i).unwrap_or(line),
            (None, _) => {}
        }
    }
    line
}

/// The first `"..."` or `'...'` literal in `text`.
fn first_string(text: &str) -> Option<String> {
    let start = text.find(['"', '\''])?;
    let quote = text.get(start..)?.chars().next()?;
    let rest = text.get(start + 1..)?;
    let end = rest.find(quote)?;
    let name = rest.get(..end)?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// Groups of a `group: :test`, `groups: [:development, :test]` or `:group => "test"` option.
fn inline_groups(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code
        .get(from..)
        .and_then(|rest| rest.find("group"))
        .map(|i| i + from)
    {
        from = at + "group".len();
        let before = code.get(..at).and_then(|b| b.chars().next_back());
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let mut after = code.get(from..).unwrap_or_default();
        after = after.strip_prefix('s').unwrap_or(after);
        let value = if before == Some(':') {
            after.trim_start().strip_prefix("=>")
        } else {
            after.strip_prefix(':').filter(|rest| !rest.starts_with(':'))
        };
        let Some(value) = value.map(str::trim_start) else {
            continue;
        };
        let value = match value.find([']', ')']) {
            Some(end) if value.starts_with(['[', '%']) => value.get(..end).unwrap_or(value),
            _ => value.split(',').next().unwrap_or(value),
        };
        found.extend(symbols(value));
    }
    found
}

/// The group names of `:a, "b"`, `(:a, :b)`, `[:a, :b]` or `%i[a b]`; `key: value` options are not groups.
fn symbols(list: &str) -> Vec<String> {
    let is_word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let list = list.trim().trim_start_matches('(').trim_end_matches(')').trim();
    if let Some(words) = list.strip_prefix("%i").or_else(|| list.strip_prefix("%w")) {
        return words
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| is_word(w))
            .map(str::to_owned)
            .collect();
    }
    list.trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .filter_map(|item| {
            let item = item.trim();
            let word = match item.strip_prefix(':') {
                Some(symbol) => symbol,
                None if item.starts_with(['"', '\'']) => item,
                None => return None,
            };
            let word = word.trim_matches(['"', '\'']);
            is_word(word).then(|| word.to_owned())
        })
        .collect()
}

/// Scope of each gem of `lock`: direct gems from their Gemfile declarations, the rest from the direct gems
/// that reach them.
fn scopes(lock: &Lock, declared: &HashMap<String, Vec<BTreeSet<String>>>) -> Vec<DependencyScope> {
    let dev_only = |groups: &BTreeSet<String>| {
        !groups.is_empty() && groups.iter().all(|g| g == "development" || g == "test")
    };
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, gem) in lock.gems.iter().enumerate() {
        by_name.entry(gem.name.as_str()).or_default().push(i);
    }
    let mut roots: Vec<(usize, DependencyScope)> = Vec::new();
    for name in lock.direct.iter().flatten() {
        let scope = match declared.get(name) {
            Some(declarations) if declarations.iter().all(dev_only) => DependencyScope::Dev,
            Some(_) => DependencyScope::Prod,
            None => DependencyScope::Unknown,
        };
        for &i in by_name.get(name.as_str()).into_iter().flatten() {
            roots.push((i, scope));
        }
    }
    // Prod first, then unknown (which may be prod), then dev: a gem keeps the first scope that reaches it.
    let mut scopes: Vec<Option<DependencyScope>> = vec![None; lock.gems.len()];
    for wanted in [
        DependencyScope::Prod,
        DependencyScope::Unknown,
        DependencyScope::Dev,
    ] {
        let mut stack: Vec<usize> = roots
            .iter()
            .filter(|(_, scope)| *scope == wanted)
            .map(|(i, _)| *i)
            .collect();
        while let Some(i) = stack.pop() {
            let Some(slot) = scopes.get_mut(i) else { continue };
            if slot.is_some() {
                continue;
            }
            *slot = Some(wanted);
            if let Some(gem) = lock.gems.get(i) {
                for name in &gem.requires {
                    stack.extend(by_name.get(name.as_str()).into_iter().flatten().copied());
                }
            }
        }
    }
    scopes.into_iter().map(Option::unwrap_or_default).collect()
}
