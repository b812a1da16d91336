//! `vigil db update` against a local HTTP server serving fixtures: a first full update, an incremental
//! one through `modified_id.csv`, a truncated download that leaves the database intact and resumes with a
//! `Range` request, an archive with a zip-slip entry, and broken intelligence files.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use vigil_core::Ecosystem;
use vigil_vulns::update::{Fetcher, Quiet, Sources, update};
use vigil_vulns::{AdvisorySource, Store};

/// How the server answers one path.
#[derive(Clone)]
struct Route {
    body: Vec<u8>,
    /// Answer the first request with only this many bytes of the body (announcing all of it).
    truncate_first: Option<usize>,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    /// (path, Range header) of every request, in order.
    requests: Vec<(String, Option<String>)>,
    served: HashMap<String, usize>,
}

struct Server {
    base: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let mut headers = HashMap::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
                    }
                }
                let (route, count) = {
                    let mut state = shared.lock().unwrap();
                    state.requests.push((path.clone(), headers.get("range").cloned()));
                    let count = *state
                        .served
                        .entry(path.clone())
                        .and_modify(|c| *c += 1)
                        .or_insert(1);
                    (state.routes.get(&path).cloned(), count)
                };
                let Some(route) = route else {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    continue;
                };
                let etag = format!("\"{}\"", route.body.len());
                let start = headers
                    .get("range")
                    .filter(|_| headers.get("if-range") == Some(&etag))
                    .and_then(|r| r.strip_prefix("bytes="))
                    .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
                    .filter(|s| *s < route.body.len());
                let (status, body) = match start {
                    Some(start) => ("206 Partial Content", &route.body[start..]),
                    None => ("200 OK", &route.body[..]),
                };
                let mut head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nETag: {etag}\r\nConnection: close\r\n",
                    body.len()
                );
                if let Some(start) = start {
                    head.push_str(&format!(
                        "Content-Range: bytes {start}-{}/{}\r\n",
                        route.body.len() - 1,
                        route.body.len()
                    ));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let sent = match route.truncate_first {
                    Some(cut) if count == 1 => &body[..cut.min(body.len())],
                    _ => body,
                };
                let _ = stream.write_all(sent);
                let _ = stream.flush();
            }
        });
        Self { base, state }
    }

    fn serve(&self, path: &str, body: Vec<u8>) {
        self.route(path, body, None);
    }

    fn route(&self, path: &str, body: Vec<u8>, truncate_first: Option<usize>) {
        let mut state = self.state.lock().unwrap();
        state
            .routes
            .insert(path.to_owned(), Route { body, truncate_first });
        state.served.remove(path);
    }

    fn requests(&self) -> Vec<(String, Option<String>)> {
        std::mem::take(&mut self.state.lock().unwrap().requests)
    }
}

/// A zip of the JSON files of `dir`, plus extra (name, text) entries.
fn zip_of(dir: &Path, extra: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        zip.start_file(name, options).unwrap();
        let mut text = Vec::new();
        std::fs::File::open(&path)
            .unwrap()
            .read_to_end(&mut text)
            .unwrap();
        zip.write_all(&text).unwrap();
    }
    for (name, text) in extra {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn record(id: &str, ecosystem: &str, name: &str, modified: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"{modified}","summary":"{id}","affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"{name}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"1.0.0"}}]}}]}}]}}"#
    )
}

fn sources(server: &Server) -> Sources {
    Sources {
        osv: server.base.clone(),
        ecosystems: vec![Ecosystem::CratesIo, Ecosystem::Go],
        kev: Some(format!("{}/kev.json", server.base)),
        epss: Some(format!("{}/epss.csv", server.base)),
        exploitdb: None,
    }
}

fn serve_everything(server: &Server) {
    let fixtures = common::fixtures();
    server.serve(
        "/crates.io/all.zip",
        zip_of(&fixtures.join("osv/rustsec-subset"), &[]),
    );
    server.serve("/Go/all.zip", zip_of(&fixtures.join("osv/go-subset"), &[]));
    server.serve(
        "/kev.json",
        std::fs::read(fixtures.join("intel/kev-subset.json")).unwrap(),
    );
    server.serve(
        "/epss.csv",
        std::fs::read(fixtures.join("intel/epss-subset.csv")).unwrap(),
    );
}

fn counts(home: &Path) -> (String, Vec<(String, usize)>) {
    let store = Store::open(home).unwrap().unwrap();
    let manifest = store.manifest().clone();
    (manifest.imported_at, manifest.ecosystems.into_iter().collect())
}

#[test]
fn full_then_incremental_update() {
    let server = Server::start();
    serve_everything(&server);
    let home = tempfile::tempdir().unwrap();
    let report = update(
        home.path(),
        &sources(&server),
        "2026-11-20T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap();
    assert_eq!(
        report.lines[..2],
        ["crates.io: all advisories", "Go: all advisories"]
    );
    let (_, ecosystems) = counts(home.path());
    assert_eq!(
        ecosystems.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>(),
        ["Go", "crates.io"]
    );
    let intel = vigil_vulns::intel::store::manifest(home.path()).unwrap();
    assert_eq!(intel.entries["kev"].count, 9);
    assert!(
        !home.path().join("downloads/crates-io-all.zip").exists(),
        "downloads are removed once imported"
    );
    server.requests();

    // A week later: one new crates.io advisory, nothing new for Go.
    let new = record("RUSTSEC-2026-9999", "crates.io", "base64", "2026-11-25T10:00:00Z");
    server.serve(
        "/crates.io/modified_id.csv",
        b"2026-11-25T10:00:00Z,RUSTSEC-2026-9999\n2026-11-01T00:00:00Z,RUSTSEC-2021-0001\n".to_vec(),
    );
    server.serve("/crates.io/RUSTSEC-2026-9999.json", new.into_bytes());
    server.serve(
        "/Go/modified_id.csv",
        b"2026-10-01T00:00:00Z,GO-2024-2961\n".to_vec(),
    );
    let report = update(
        home.path(),
        &sources(&server),
        "2026-11-27T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap();
    assert_eq!(
        report.lines[..2],
        ["crates.io: 1 changed advisories", "Go: 0 changed advisories"]
    );
    let paths: Vec<String> = server.requests().into_iter().map(|(p, _)| p).collect();
    assert!(!paths.iter().any(|p| p.ends_with("all.zip")), "{paths:?}");
    let store = Store::open(home.path()).unwrap().unwrap();
    let advisories = store.lookup(Ecosystem::CratesIo, "base64").unwrap();
    assert!(advisories.iter().any(|a| a.id == "RUSTSEC-2026-9999"));
    assert_eq!(store.manifest().imported_at, "2026-11-27T00:00:00Z");
}

#[test]
fn a_truncated_download_leaves_the_database_and_resumes() {
    let server = Server::start();
    serve_everything(&server);
    let home = tempfile::tempdir().unwrap();
    let mut only_crates = sources(&server);
    only_crates.ecosystems = vec![Ecosystem::CratesIo];
    update(
        home.path(),
        &only_crates,
        "2026-11-20T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap();
    let before = counts(home.path());

    // Go's first export: cut after 1000 bytes of the announced length.
    let go_zip = zip_of(&common::fixtures().join("osv/go-subset"), &[]);
    server.route("/Go/all.zip", go_zip.clone(), Some(1000));
    let mut with_go = sources(&server);
    with_go.ecosystems = vec![Ecosystem::Go];
    let error = update(
        home.path(),
        &with_go,
        "2026-11-21T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("/Go/all.zip") && message.contains("resume"),
        "{message}"
    );
    assert!(!message.contains('\n'));
    assert_eq!(counts(home.path()), before, "the database is as it was");
    let partial = home.path().join("downloads/go-all.zip.partial");
    assert_eq!(std::fs::metadata(&partial).unwrap().len(), 1000);
    server.requests();

    update(
        home.path(),
        &with_go,
        "2026-11-21T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap();
    let requests = server.requests();
    let go = requests.iter().find(|(p, _)| p == "/Go/all.zip").unwrap();
    assert_eq!(go.1.as_deref(), Some("bytes=1000-"), "the download resumed");
    let (_, ecosystems) = counts(home.path());
    assert!(
        ecosystems.iter().any(|(e, n)| e == "Go" && *n == 12),
        "{ecosystems:?}"
    );
}

#[test]
fn a_zip_slip_entry_is_ignored_and_reported() {
    let server = Server::start();
    serve_everything(&server);
    let evil = record("EVIL-1", "crates.io", "evil", "2026-11-01T00:00:00Z");
    server.serve(
        "/crates.io/all.zip",
        zip_of(
            &common::fixtures().join("osv/rustsec-subset"),
            &[("../../evil.json", evil)],
        ),
    );
    let home = tempfile::tempdir().unwrap();
    let mut only_crates = sources(&server);
    only_crates.ecosystems = vec![Ecosystem::CratesIo];
    let report = update(
        home.path(),
        &only_crates,
        "2026-11-20T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap();
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.contains("../../evil.json") && s.contains("unsafe path")),
        "{:?}",
        report.skipped
    );
    let store = Store::open(home.path()).unwrap().unwrap();
    assert!(store.lookup(Ecosystem::CratesIo, "evil").unwrap().is_empty());
    assert!(!home.path().join("../evil.json").exists() && !home.path().join("evil.json").exists());
}

#[test]
fn broken_or_missing_sources_fail_without_damage() {
    let server = Server::start();
    serve_everything(&server);
    let home = tempfile::tempdir().unwrap();
    update(
        home.path(),
        &sources(&server),
        "2026-11-20T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap();

    // A KEV feed that is not JSON: an error naming it; the imported catalog stays.
    server.serve("/kev.json", b"<html>maintenance</html>".to_vec());
    let mut intel_only = sources(&server);
    intel_only.ecosystems.clear();
    let error = update(
        home.path(),
        &intel_only,
        "2026-11-21T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap_err();
    assert!(error.to_string().contains("not a CISA KEV catalog"), "{error}");
    let intel = vigil_vulns::intel::store::manifest(home.path()).unwrap();
    assert_eq!(intel.entries["kev"].imported_at, "2026-11-20T00:00:00Z");

    // A missing export: the status is the error.
    let mut missing = sources(&server);
    missing.ecosystems = vec![Ecosystem::NuGet];
    let error = update(
        home.path(),
        &missing,
        "2026-11-21T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("/NuGet/all.zip: the server answered 404"),
        "{error}"
    );

    // A corrupt archive (complete, but not a zip), taken whole because the mirror has no listing: the
    // import refuses it and the database stays as it was.
    server.serve("/Go/all.zip", b"PK\x03\x04 not really a zip".to_vec());
    let mut go = sources(&server);
    go.ecosystems = vec![Ecosystem::Go];
    go.kev = None;
    go.epss = None;
    let before = counts(home.path());
    let error = update(
        home.path(),
        &go,
        "2026-11-22T00:00:00Z",
        &Fetcher::default(),
        &Quiet,
    )
    .unwrap_err();
    assert!(error.to_string().contains("go-all.zip"), "{error}");
    assert_eq!(counts(home.path()), before);
}
