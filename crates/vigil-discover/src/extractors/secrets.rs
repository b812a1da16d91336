//! Secrets written into files: cloud keys, VCS/CI and registry tokens, payment and messaging keys, AI API
//! keys, private keys, JWTs, connection strings with passwords, and high-entropy values assigned to
//! secret-named variables.
//!
//! The value is never kept: an asset carries the detector, a redacted preview (`AKIA…(20 chars)`) and a
//! fingerprint of the value (so one leaked key found in three files is recognisably one key, and the
//! allowlist in vigil.toml can name it). Detectors are anchored patterns with a vendor prefix, except the
//! generic one, which also requires a secret-like name and a random-looking value (Shannon entropy).
//! Lockfiles, binaries, minified bundles and source maps are not scanned: their hashes and blobs are noise.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use vigil_core::{Asset, AssetId, AssetKind, LineIndex, fingerprint};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::paths::is_test_path;

#[derive(Debug)]
pub struct Secrets;

/// One kind of secret: id, description, what it unlocks, confidence, the pattern, and the capture group
/// holding the secret itself.
struct Detector {
    id: &'static str,
    title: &'static str,
    /// `true` for vendor-prefixed formats; the generic detector is `false`.
    high_confidence: bool,
    /// Keys that grant access to AI providers are also shadow-AI evidence.
    ai: bool,
    /// Words the pattern cannot match without (ASCII, any case): a file none of them is in is not searched
    /// with the pattern, which is what keeps the scan near the speed of reading. Empty for a pattern whose
    /// only literal is too common once case is ignored (Twilio's `SK`): it runs over the whole text, where
    /// its case-sensitive literal is found quickly.
    keywords: &'static [&'static str],
    pattern: &'static str,
    group: usize,
}

const DETECTORS: &[Detector] = &[
    Detector {
        id: "aws-access-key-id",
        title: "AWS access key id",
        high_confidence: true,
        ai: false,
        keywords: &["AKIA", "ASIA"],
        pattern: r"(?-u:\b)((?:AKIA|ASIA)[0-9A-Z]{16})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "aws-secret-access-key",
        title: "AWS secret access key",
        high_confidence: true,
        ai: false,
        keywords: &["aws_secret", "awssecret"],
        pattern: r#"(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?-u:\b)"#,
        group: 1,
    },
    Detector {
        id: "github-token",
        title: "GitHub token",
        high_confidence: true,
        ai: false,
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        pattern: r"(?-u:\b)((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "gitlab-token",
        title: "GitLab personal access token",
        high_confidence: true,
        ai: false,
        keywords: &["glpat-"],
        pattern: r"(?-u:\b)(glpat-[A-Za-z0-9_\-]{20,})",
        group: 1,
    },
    Detector {
        id: "slack-token",
        title: "Slack token",
        high_confidence: true,
        ai: false,
        keywords: &["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"],
        pattern: r"(?-u:\b)(xox[baprs]-[A-Za-z0-9-]{10,})",
        group: 1,
    },
    Detector {
        id: "slack-webhook",
        title: "Slack incoming webhook",
        high_confidence: true,
        ai: false,
        keywords: &["hooks.slack.com/services/"],
        pattern: r"(https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+)",
        group: 1,
    },
    Detector {
        id: "stripe-live-key",
        title: "Stripe live secret key",
        high_confidence: true,
        ai: false,
        keywords: &["sk_live_", "rk_live_"],
        pattern: r"(?-u:\b)((?:sk|rk)_live_[0-9A-Za-z]{24,})",
        group: 1,
    },
    Detector {
        id: "stripe-test-key",
        title: "Stripe test secret key",
        high_confidence: true,
        ai: false,
        keywords: &["sk_test_", "rk_test_"],
        pattern: r"(?-u:\b)((?:sk|rk)_test_[0-9A-Za-z]{24,})",
        group: 1,
    },
    Detector {
        id: "twilio-api-key",
        title: "Twilio API key",
        high_confidence: true,
        ai: false,
        keywords: &[],
        pattern: r"(?-u:\b)(SK[0-9a-f]{32})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "sendgrid-api-key",
        title: "SendGrid API key",
        high_confidence: true,
        ai: false,
        keywords: &["SG."],
        pattern: r"(?-u:\b)(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "google-api-key",
        title: "Google API key",
        high_confidence: true,
        ai: false,
        keywords: &["AIza"],
        pattern: r"(?-u:\b)(AIza[0-9A-Za-z_\-]{35})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "npm-token",
        title: "npm access token",
        high_confidence: true,
        ai: false,
        keywords: &["npm_"],
        pattern: r"(?-u:\b)(npm_[A-Za-z0-9]{36})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "pypi-token",
        title: "PyPI upload token",
        high_confidence: true,
        ai: false,
        keywords: &["pypi-AgEIcHlwaS5vcmc"],
        pattern: r"(?-u:\b)(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})",
        group: 1,
    },
    Detector {
        id: "azure-storage-key",
        title: "Azure storage account key",
        high_confidence: true,
        ai: false,
        keywords: &["AccountKey="],
        pattern: r"AccountKey=([A-Za-z0-9+/]{86}==)",
        group: 1,
    },
    Detector {
        id: "openai-api-key",
        title: "OpenAI API key",
        high_confidence: true,
        ai: true,
        keywords: &["sk-"],
        pattern: r"(?-u:\b)(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}|sk-[A-Za-z0-9]{48})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "anthropic-api-key",
        title: "Anthropic API key",
        high_confidence: true,
        ai: true,
        keywords: &["sk-ant-"],
        pattern: r"(?-u:\b)(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_\-]{80,})",
        group: 1,
    },
    Detector {
        id: "huggingface-token",
        title: "Hugging Face access token",
        high_confidence: true,
        ai: true,
        keywords: &["hf_"],
        pattern: r"(?-u:\b)(hf_[A-Za-z]{34})(?-u:\b)",
        group: 1,
    },
    Detector {
        id: "private-key",
        title: "Private key",
        high_confidence: true,
        ai: false,
        keywords: &["PRIVATE KEY"],
        pattern: r"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----)",
        group: 1,
    },
    Detector {
        id: "jwt",
        title: "JSON Web Token",
        high_confidence: true,
        ai: false,
        keywords: &["eyJ"],
        pattern: r"(?-u:\b)(eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})",
        group: 1,
    },
    Detector {
        id: "connection-string-password",
        title: "Connection string with a password",
        high_confidence: true,
        ai: false,
        keywords: &["://"],
        pattern: r"(?-u:\b)((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver)://[^:@\s/'\x22]+:([^@\s'\x22]{3,})@[^\s'\x22]+)",
        group: 1,
    },
    Detector {
        id: "generic-secret-assignment",
        title: "Secret assigned in code",
        high_confidence: false,
        ai: false,
        keywords: &[
            "password",
            "passwd",
            "secret",
            "token",
            "api_key",
            "apikey",
            "access_key",
            "accesskey",
            "private_key",
            "privatekey",
            "auth_key",
            "authkey",
        ],
        pattern: r#"(?i)(?:password|passwd|secret|token|api_?key|apikey|access_?key|private_?key|client_?secret|auth_?key)[A-Za-z0-9_\-]*["']?\s*(?::|=|:=|=>)\s*["']([^"'\s$<>{}]{12,})["']"#,
        group: 1,
    },
];

/// Values that look like secrets but are documentation or placeholders.
const PLACEHOLDERS: [&str; 12] = [
    "example",
    "changeme",
    "change_me",
    "placeholder",
    "your_",
    "your-",
    "xxxx",
    "<",
    "dummy",
    "redacted",
    "sample",
    "replace",
];

/// File names never scanned: lockfiles are full of integrity hashes.
const SKIPPED_NAMES: [&str; 15] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Cargo.lock",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "go.sum",
    "Gemfile.lock",
    "composer.lock",
    "packages.lock.json",
    "gradle.lockfile",
    ".terraform.lock.hcl",
];

/// Binary and generated formats: never text worth scanning.
const SKIPPED_EXTENSIONS: [&str; 54] = [
    "png",
    "jpg",
    "jpeg",
    "gif",
    "ico",
    "webp",
    "bmp",
    "svg",
    "pdf",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "xz",
    "7z",
    "jar",
    "war",
    "class",
    "pyc",
    "so",
    "dll",
    "exe",
    "dylib",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
    "mp3",
    "mp4",
    "mov",
    "avi",
    "map",
    "lock",
    "gguf",
    "ggml",
    "safetensors",
    "onnx",
    "pt",
    "pth",
    "bin",
    "ckpt",
    "h5",
    "keras",
    "tflite",
    "mlmodel",
    "pkl",
    "joblib",
    "npy",
    "npz",
    "parquet",
    "sqlite",
    "db",
    "wasm",
];

struct Compiled {
    /// Every detector's keywords, lower-cased, in one automaton run over lower-cased text.
    keywords: AhoCorasick,
    /// The detectors a match of each keyword may stand for: its own, and those with a keyword that can
    /// start inside it (a leftmost search reports one match where several overlap).
    keyword_detectors: Vec<Vec<usize>>,
    longest_keyword: usize,
    /// Detectors without keywords, searched over the whole text.
    unkeyed: Vec<usize>,
    each: Vec<Regex>,
}

fn compiled() -> Option<&'static Compiled> {
    static COMPILED: OnceLock<Option<Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let (owners, words): (Vec<usize>, Vec<String>) = DETECTORS
                .iter()
                .enumerate()
                .flat_map(|(index, d)| d.keywords.iter().map(move |k| (index, k.to_ascii_lowercase())))
                .unzip();
            let keyword_detectors = words
                .iter()
                .map(|word| {
                    let mut detectors: Vec<usize> = words
                        .iter()
                        .zip(&owners)
                        .filter(|(other, _)| may_start_inside(word, other))
                        .map(|(_, owner)| *owner)
                        .collect();
                    detectors.sort_unstable();
                    detectors.dedup();
                    detectors
                })
                .collect();
            let keywords = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(&words)
                .ok()?;
            let each = DETECTORS
                .iter()
                .map(|d| Regex::new(d.pattern))
                .collect::<Result<Vec<_>, _>>()
                .ok()?;
            Some(Compiled {
                keywords,
                keyword_detectors,
                longest_keyword: words.iter().map(String::len).max().unwrap_or(1),
                unkeyed: (0..DETECTORS.len())
                    .filter(|i| DETECTORS[*i].keywords.is_empty())
                    .collect(),
                each,
            })
        })
        .as_ref()
}

/// Whether `other` can occur starting at some offset inside an occurrence of `word` (they agree where
/// they overlap).
fn may_start_inside(word: &str, other: &str) -> bool {
    (0..word.len()).any(|offset| {
        let tail = &word.as_bytes()[offset..];
        let common = tail.len().min(other.len());
        tail[..common] == other.as_bytes()[..common]
    })
}

impl Extractor for Secrets {
    fn name(&self) -> &'static str {
        "secrets/scanner"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        if SKIPPED_NAMES.contains(&file_name)
            || file_name.ends_with(".min.js")
            || file_name.ends_with(".min.css")
        {
            return false;
        }
        let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        !extension.is_some_and(|e| SKIPPED_EXTENSIONS.contains(&e.as_str()))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let Some(compiled) = compiled() else {
            return Err(file.error(None, "secret detectors failed to compile"));
        };
        let windows = keyword_windows(compiled, file.text);
        if windows.iter().all(Vec::is_empty) {
            return Ok(());
        }
        let mut lines: Option<LineIndex> = None;
        let test_path = is_test_path(file.path);
        let mut claimed: Vec<Range<usize>> = Vec::new();
        let matches =
            DETECTORS
                .iter()
                .zip(&compiled.each)
                .zip(&windows)
                .flat_map(|((detector, regex), windows)| {
                    windows.iter().flat_map(move |window| {
                        regex
                            .captures_iter(&file.text[window.clone()])
                            .map(move |captures| (detector, window.start, captures))
                    })
                });
        for (detector, window_start, captures) in matches {
            let Some(found) = captures.get(detector.group) else {
                continue;
            };
            let secret = window_start + found.start()..window_start + found.end();
            // A more specific detector already reported this span (a JWT is not also a "generic secret").
            if claimed
                .iter()
                .any(|r| r.start < secret.end && secret.start < r.end)
            {
                continue;
            }
            let value = found.as_str();
            if is_placeholder(value) || (!detector.high_confidence && entropy(value) < 3.5) {
                continue;
            }
            if detector.id == "connection-string-password" {
                let password = captures.get(2).map_or("", |m| m.as_str());
                if is_placeholder(password) || password.starts_with('$') || password.starts_with('%') {
                    continue;
                }
            }
            let line = lines
                .get_or_insert_with(|| LineIndex::new(file.text))
                .line(secret.start);
            claimed.push(secret);
            let value_fingerprint = fingerprint(&["secret", value]);
            let id = AssetId::from_parts(AssetKind::Secret, &[file.path, &value_fingerprint[..16]]);
            let asset = Asset::new(AssetKind::Secret, id, detector.title, file.evidence(Some(line)))
                .with("detector", detector.id)
                .with(
                    "confidence",
                    if detector.high_confidence {
                        "high"
                    } else {
                        "medium"
                    },
                )
                .with("redacted", redact(value))
                .with("value_fingerprint", value_fingerprint)
                .with("in_test_path", test_path)
                .with("ai_provider_key", detector.ai);
            out.assets.push(asset);
        }
        Ok(())
    }
}

/// How far a window reaches from its keyword on a very long line (minified code, one-line JSON): far
/// beyond any secret's length, and a bound on the work per keyword.
const WINDOW_REACH: usize = 4096;

/// Bytes of text lower-cased and searched at a time: small enough to stay in cache.
const CHUNK: usize = 64 * 1024;

/// Where each detector's pattern is worth running: the lines holding one of its keywords, each with the
/// line after it (an assignment may break after its `=`), merged. Every pattern matches within one line, or
/// two for assignments, starting at most a few bytes before its keyword; scanning these windows instead of
/// the whole file is what keeps a large file without secrets cheap. The keywords are found by one
/// leftmost search over the lower-cased text, chunk by chunk (chunks overlap by a keyword's length).
fn keyword_windows(compiled: &Compiled, text: &str) -> Vec<Vec<Range<usize>>> {
    let mut windows: Vec<Vec<Range<usize>>> = vec![Vec::new(); DETECTORS.len()];
    if text.is_empty() {
        return windows;
    }
    for detector in &compiled.unkeyed {
        windows[*detector].push(0..text.len());
    }
    let bytes = text.as_bytes();
    let overlap = compiled.longest_keyword.saturating_sub(1);
    let mut lower: Vec<u8> = Vec::with_capacity(CHUNK.min(bytes.len()) + overlap);
    let mut chunk_start = 0;
    while chunk_start < bytes.len() {
        let chunk_end = (chunk_start + CHUNK).min(bytes.len());
        let scan_end = (chunk_end + overlap).min(bytes.len());
        lower.clear();
        lower.extend(bytes[chunk_start..scan_end].iter().map(u8::to_ascii_lowercase));
        for found in compiled.keywords.find_iter(&lower) {
            let start = chunk_start + found.start();
            if start >= chunk_end {
                break; // the next chunk reports it
            }
            for detector in &compiled.keyword_detectors[found.pattern().as_usize()] {
                add_window(&mut windows[*detector], text, start, chunk_start + found.end());
            }
        }
        chunk_start = chunk_end;
    }
    windows
}

/// Adds the window of a keyword at `start..end` (its line and the next, within [`WINDOW_REACH`]).
fn add_window(windows: &mut Vec<Range<usize>>, text: &str, start: usize, end: usize) {
    let floor = text.floor_char_boundary(start.saturating_sub(WINDOW_REACH));
    let window_start = text[floor..start].rfind('\n').map_or(floor, |p| floor + p + 1);
    let ceiling = text.ceil_char_boundary(end.saturating_add(WINDOW_REACH));
    let window_end = line_end(text, line_end(text, end, ceiling) + 1, ceiling);
    match windows.last_mut().filter(|last| last.end >= window_start) {
        Some(last) => {
            last.start = last.start.min(window_start);
            last.end = last.end.max(window_end);
        }
        None => windows.push(window_start..window_end),
    }
}

/// The offset of the newline ending the line at `from`, or `ceiling` if it comes first.
fn line_end(text: &str, from: usize, ceiling: usize) -> usize {
    text.get(from..ceiling)
        .and_then(|rest| rest.find('\n'))
        .map_or(ceiling, |p| from + p)
}

fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    PLACEHOLDERS.iter().any(|p| lower.contains(p))
        || lower.chars().all(|c| c == lower.chars().next().unwrap_or(' '))
}

/// Shannon entropy in bits per character: random keys score above ~3.5, words and paths below.
fn entropy(value: &str) -> f64 {
    let mut counts = [0usize; 256];
    for byte in value.bytes() {
        counts[usize::from(byte)] += 1;
    }
    let len = value.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// `AKIA…(20 chars)`: enough to recognise a secret, never enough to use it.
pub fn redact(value: &str) -> String {
    let shown: String = value.chars().take(4).collect();
    format!("{shown}…({} chars)", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detector_compiles() {
        assert!(compiled().is_some());
    }

    #[test]
    fn entropy_separates_keys_from_words() {
        assert!(entropy("q8Zt2LmX9pW4rKj7vB1n") > 3.5);
        assert!(entropy("password1234") < 3.5);
        assert!(entropy("aaaaaaaaaaaaaaaa") < 1.0);
    }
}
