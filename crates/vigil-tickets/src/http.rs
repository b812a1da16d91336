//! The HTTP client every sink uses: one configured host, credentials only in the authorization header,
//! JSON in and out, and the retry policy written once.
//!
//! - 429 is retried after `Retry-After` (seconds, capped) or an exponential backoff: the request was not
//!   carried out, so any method may be retried.
//! - 5xx and timeouts are retried only for idempotent requests (GET, PUT, a search by POST). A create that
//!   times out may have been carried out; the sync engine searches by key before trying again, which is
//!   how a retry never duplicates a ticket.
//! - Redirects are not followed and absolute URLs to another host are refused, so the token never leaves
//!   the configured host.
//! - `--dry-run`: reads go through (the engine must know what exists); writes are recorded with their
//!   exact payload and not sent.

use std::cell::RefCell;
use std::time::Duration;

use serde_json::Value;

use crate::secret::Secret;
use crate::sink::SinkError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// One request, as a sink builds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    /// Path and query under the configured base URL, starting with `/`.
    pub path: String,
    pub body: Option<Value>,
    /// `application/json` unless the API wants another (Azure DevOps: `application/json-patch+json`).
    pub content_type: &'static str,
    /// Safe to repeat: reads, searches, updates that set absolute values.
    pub idempotent: bool,
    /// Changes nothing on the tracker (a GET, or a search sent by POST): sent even in a dry run.
    pub read: bool,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::Get,
            path: path.into(),
            body: None,
            content_type: "application/json",
            idempotent: true,
            read: true,
        }
    }

    /// A search sent by POST (Jira's JQL, Azure DevOps' WIQL): a read that can be repeated.
    pub fn search(path: impl Into<String>, body: Value) -> Self {
        Self {
            method: Method::Post,
            path: path.into(),
            body: Some(body),
            content_type: "application/json",
            idempotent: true,
            read: true,
        }
    }

    pub fn send(method: Method, path: impl Into<String>, body: Value) -> Self {
        Self {
            method,
            path: path.into(),
            body: Some(body),
            content_type: "application/json",
            idempotent: matches!(method, Method::Put),
            read: false,
        }
    }

    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    pub fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }

    fn writes(&self) -> bool {
        !self.read
    }
}

/// How the client authenticates: `Authorization: Bearer TOKEN` or `Basic base64(user:token)`.
#[derive(Debug, Clone)]
pub enum Auth {
    Bearer(Secret),
    Basic { user: String, token: Secret },
}

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_backoff: Duration,
    /// A `Retry-After` longer than this is cut to it, so a sync never stalls for an hour.
    pub max_wait: Duration,
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 5,
            first_backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        }
    }
}

pub struct Http {
    agent: ureq::Agent,
    /// `scheme://host[:port]` plus an optional path prefix, without a trailing slash.
    base: String,
    host: String,
    auth: Auth,
    /// The environment variable the credential came from, named in authorisation errors.
    pub credential_variable: String,
    retry: RetryPolicy,
    dry_run: bool,
    recorded: RefCell<Vec<Request>>,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("base", &self.base)
            .field("auth", &self.auth)
            .field("dry_run", &self.dry_run)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: Value,
}

impl Http {
    pub fn new(
        base: &str,
        auth: Auth,
        credential_variable: &str,
        retry: RetryPolicy,
        dry_run: bool,
    ) -> Result<Self, SinkError> {
        let base = base.trim_end_matches('/').to_owned();
        let host =
            host_of(&base).ok_or_else(|| SinkError::Transport(format!("`{base}` is not an http(s) URL")))?;
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(retry.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("vigil/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            agent: config.into(),
            base,
            host,
            auth,
            credential_variable: credential_variable.to_owned(),
            retry,
            dry_run,
            recorded: RefCell::new(Vec::new()),
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// The writes a dry run would have sent, in order.
    pub fn recorded(&self) -> Vec<Request> {
        self.recorded.borrow().clone()
    }

    /// A full URL for a path, or the path itself when it is already a URL on the configured host.
    pub fn url(&self, path: &str) -> Result<String, SinkError> {
        if path.starts_with("http://") || path.starts_with("https://") {
            return match host_of(path) {
                Some(host) if host == self.host => Ok(path.to_owned()),
                _ => Err(SinkError::ForeignHost {
                    url: path.to_owned(),
                    host: self.host.clone(),
                }),
            };
        }
        Ok(format!("{}{path}", self.base))
    }

    /// Sends with the retry policy; in a dry run, records writes and answers them with status 0 and null.
    pub fn send(&self, request: Request) -> Result<Response, SinkError> {
        if self.dry_run && request.writes() {
            self.recorded.borrow_mut().push(request);
            return Ok(Response {
                status: 0,
                body: Value::Null,
            });
        }
        let url = self.url(&request.path)?;
        let mut wait = self.retry.first_backoff;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.once(&request, &url);
            let retry_after = match &outcome {
                Ok((429, _, retry_after)) => Some(retry_after.unwrap_or(wait)),
                Ok((status, _, _)) if *status >= 500 && request.idempotent => Some(wait),
                Err(Failure::Timeout) if request.idempotent => Some(wait),
                _ => None,
            };
            if let (Some(pause), true) = (retry_after, attempt < self.retry.attempts) {
                std::thread::sleep(pause.min(self.retry.max_wait));
                wait = (wait * 2).min(self.retry.max_wait);
                continue;
            }
            return self.conclude(outcome, attempt);
        }
    }

    fn conclude(
        &self,
        outcome: Result<(u16, Value, Option<Duration>), Failure>,
        attempts: u32,
    ) -> Result<Response, SinkError> {
        let host = self.host.clone();
        match outcome {
            Ok((status @ 200..=299, body, _)) => Ok(Response { status, body }),
            Ok((429, _, _)) => Err(SinkError::RateLimited { host, attempts }),
            Ok((status @ (401 | 403), _, _)) => Err(SinkError::Unauthorised {
                host,
                status,
                variable: self.credential_variable.clone(),
            }),
            Ok((status, _, _)) if status >= 500 => Err(SinkError::Server {
                host,
                status,
                attempts,
            }),
            Ok((status, body, _)) => Err(SinkError::Rejected {
                host,
                status,
                message: self.redact(&error_message(&body)),
            }),
            Err(Failure::Timeout) => Err(SinkError::Timeout { host, attempts }),
            Err(Failure::Other(message)) => Err(SinkError::Transport(format!("{host}: {message}"))),
        }
    }

    /// The tracker's text with the credential blanked, should a server ever echo it back.
    fn redact(&self, text: &str) -> String {
        let mut secrets = vec![];
        match &self.auth {
            Auth::Bearer(token) => secrets.push(token.expose().to_owned()),
            Auth::Basic { user, token } => {
                secrets.push(token.expose().to_owned());
                secrets.push(base64(format!("{user}:{}", token.expose()).as_bytes()));
            }
        }
        let mut out = text.to_owned();
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            out = out.replace(secret.as_str(), "***");
        }
        out
    }

    fn once(&self, request: &Request, url: &str) -> Result<(u16, Value, Option<Duration>), Failure> {
        let authorization = match &self.auth {
            Auth::Bearer(token) => format!("Bearer {}", token.expose()),
            Auth::Basic { user, token } => {
                format!(
                    "Basic {}",
                    base64(format!("{user}:{}", token.expose()).as_bytes())
                )
            }
        };
        let response = match (request.method, &request.body) {
            (Method::Get, _) => self
                .agent
                .get(url)
                .header("Authorization", &authorization)
                .header("Accept", "application/json")
                .call(),
            (Method::Delete, _) => self
                .agent
                .delete(url)
                .header("Authorization", &authorization)
                .call(),
            (method, body) => {
                let text = body.as_ref().map(Value::to_string).unwrap_or_default();
                let builder = match method {
                    Method::Post => self.agent.post(url),
                    Method::Put => self.agent.put(url),
                    _ => self.agent.patch(url),
                };
                builder
                    .header("Authorization", &authorization)
                    .header("Accept", "application/json")
                    .header("Content-Type", request.content_type)
                    .send(text.as_str())
            }
        };
        let mut response = response.map_err(|error| match error {
            ureq::Error::Timeout(_) => Failure::Timeout,
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Failure::Timeout,
            // The error text of a transport failure names the URL at most, never the headers.
            other => Failure::Other(other.to_string()),
        })?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| Failure::Other(e.to_string()))?;
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok((status, body, retry_after))
    }
}

enum Failure {
    Timeout,
    Other(String),
}

/// The host (and port) of an http(s) URL.
fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !host.contains('@')).then(|| host.to_ascii_lowercase())
}

/// The tracker's own error text, short.
fn error_message(body: &Value) -> String {
    let text = match body {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => {
            let messages: Vec<String> = ["message", "errorMessages", "errors", "error"]
                .iter()
                .filter_map(|k| other.get(k))
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                })
                .collect();
            if messages.is_empty() {
                other.to_string()
            } else {
                messages.join("; ")
            }
        }
    };
    text.chars().take(300).collect()
}

/// Standard base64 with padding, for Basic authentication (ten lines rather than a crate).
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn only_the_configured_host_is_contacted() {
        let http = Http::new(
            "https://acme.atlassian.net/",
            Auth::Bearer(Secret::new("t")),
            "VIGIL_JIRA_TOKEN",
            RetryPolicy::default(),
            false,
        )
        .unwrap();
        assert_eq!(
            http.url("/rest/api/3/issue").unwrap(),
            "https://acme.atlassian.net/rest/api/3/issue"
        );
        assert!(http.url("https://acme.atlassian.net/browse/X-1").is_ok());
        assert!(matches!(
            http.url("https://evil.example/steal"),
            Err(SinkError::ForeignHost { .. })
        ));
        assert!(matches!(
            http.url("https://acme.atlassian.net@evil.example/"),
            Err(SinkError::ForeignHost { .. })
        ));
    }

    #[test]
    fn a_dry_run_records_writes_and_sends_nothing() {
        let http = Http::new(
            "http://127.0.0.1:9",
            Auth::Bearer(Secret::new("t")),
            "T",
            RetryPolicy::default(),
            true,
        )
        .unwrap();
        let response = http
            .send(Request::send(
                Method::Post,
                "/issues",
                serde_json::json!({"title": "x"}),
            ))
            .unwrap();
        assert_eq!(response.status, 0);
        assert_eq!(http.recorded().len(), 1);
        assert_eq!(http.recorded()[0].body, Some(serde_json::json!({"title": "x"})));
    }
}
