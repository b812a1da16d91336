//! The on-disk advisory database: import, merge, lazy lookup, and that a failed or interrupted import
//! never damages the current data.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use std::io::Write;
use std::path::Path;

use vigil_core::Ecosystem;
use vigil_vulns::{AdvisorySource, DbError, Store, import};

const NOW: &str = "2026-11-27T00:00:00Z";

fn record(id: &str, ecosystem: &str, name: &str, modified: &str, summary: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"{modified}","summary":"{summary}","affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"{name}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"1.0.0"}}]}}]}}]}}"#
    )
}

fn zip_with(path: &Path, entries: &[(&str, &str)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for (name, text) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn subset() -> std::path::PathBuf {
    common::fixtures().join("osv/rustsec-subset")
}

#[test]
fn import_then_lookup_lazily() {
    let home = tempfile::tempdir().unwrap();
    assert!(
        Store::open(home.path()).unwrap().is_none(),
        "nothing imported yet"
    );
    let report = import(home.path(), &[&subset()], NOW).unwrap();
    assert_eq!(report.manifest.ecosystems.get("crates.io"), Some(&22));
    let store = Store::open(home.path()).unwrap().unwrap();
    assert!(store.covers(Ecosystem::CratesIo));
    assert!(!store.covers(Ecosystem::Npm));
    let regex = store.lookup(Ecosystem::CratesIo, "regex").unwrap();
    assert!(regex.iter().any(|a| a.id == "RUSTSEC-2022-0013"));
    assert!(
        store
            .lookup(Ecosystem::CratesIo, "no-such-crate")
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.snapshot().imported_at.as_deref(), Some(NOW));
}

#[test]
fn imports_merge_and_newer_records_win() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.json");
    std::fs::write(
        &first,
        record(
            "GHSA-aaaa-bbbb-cccc",
            "npm",
            "left-pad",
            "2020-01-01T00:00:00Z",
            "old text",
        ),
    )
    .unwrap();
    import(home.path(), &[&subset(), &first], NOW).unwrap();

    let newer = dir.path().join("newer.json");
    std::fs::write(
        &newer,
        record(
            "GHSA-aaaa-bbbb-cccc",
            "npm",
            "left-pad",
            "2021-01-01T00:00:00Z",
            "new text",
        ),
    )
    .unwrap();
    let report = import(home.path(), &[&newer], NOW).unwrap();
    assert_eq!(
        report.manifest.ecosystems.get("crates.io"),
        Some(&22),
        "earlier imports are kept"
    );
    let store = Store::open(home.path()).unwrap().unwrap();
    assert_eq!(
        store.lookup(Ecosystem::Npm, "left-pad").unwrap()[0].summary,
        "new text"
    );

    // Importing the older copy again does not roll it back.
    import(home.path(), &[&first], NOW).unwrap();
    let store = Store::open(home.path()).unwrap().unwrap();
    assert_eq!(
        store.lookup(Ecosystem::Npm, "left-pad").unwrap()[0].summary,
        "new text"
    );
}

#[test]
fn a_failed_import_leaves_the_database_untouched() {
    let home = tempfile::tempdir().unwrap();
    import(home.path(), &[&subset()], NOW).unwrap();
    let manifest = std::fs::read(Store::dir(home.path()).join("manifest.json")).unwrap();

    let dir = tempfile::tempdir().unwrap();
    // A truncated download: the first half of a real zip.
    let whole = dir.path().join("whole.zip");
    zip_with(
        &whole,
        &[
            (
                "A-1.json",
                &record("A-1", "npm", "a", "2024-01-01T00:00:00Z", "a"),
            ),
            (
                "A-2.json",
                &record("A-2", "npm", "b", "2024-01-01T00:00:00Z", "b"),
            ),
        ],
    );
    let bytes = std::fs::read(&whole).unwrap();
    let truncated = dir.path().join("all.zip");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert!(import(home.path(), &[&truncated], NOW).is_err());
    assert!(import(home.path(), &[&dir.path().join("missing.zip")], NOW).is_err());
    let garbage = dir.path().join("garbage.zip");
    std::fs::write(&garbage, b"PK\x03\x04 this is not really a zip").unwrap();
    assert!(import(home.path(), &[&garbage], NOW).is_err());

    assert_eq!(
        std::fs::read(Store::dir(home.path()).join("manifest.json")).unwrap(),
        manifest
    );
    let store = Store::open(home.path()).unwrap().unwrap();
    assert!(!store.lookup(Ecosystem::CratesIo, "regex").unwrap().is_empty());
    assert!(!store.covers(Ecosystem::Npm));
}

#[test]
fn an_import_interrupted_between_the_renames_is_recovered() {
    let home = tempfile::tempdir().unwrap();
    import(home.path(), &[&subset()], NOW).unwrap();
    // The process died after moving the current database aside and before moving the new one in.
    std::fs::rename(Store::dir(home.path()), home.path().join("advisories.old")).unwrap();
    let store = Store::open(home.path()).unwrap().unwrap();
    assert!(!store.lookup(Ecosystem::CratesIo, "regex").unwrap().is_empty());
    assert!(!home.path().join("advisories.old").exists());

    // A staging directory left by an import that died is cleaned up by the next import.
    std::fs::create_dir_all(home.path().join("advisories.tmp-999999/junk")).unwrap();
    import(home.path(), &[&subset()], NOW).unwrap();
    assert!(!home.path().join("advisories.tmp-999999").exists());
}

#[test]
fn zip_entries_are_never_extracted_so_zip_slip_cannot_write() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("evil.zip");
    zip_with(
        &evil,
        &[
            (
                "../../evil.json",
                &record("EVIL-1", "npm", "evil", "2024-01-01T00:00:00Z", "slip"),
            ),
            (
                "/etc/evil.json",
                &record("EVIL-2", "npm", "evil", "2024-01-01T00:00:00Z", "slip"),
            ),
            (
                "GOOD-1.json",
                &record("GOOD-1", "npm", "good", "2024-01-01T00:00:00Z", "fine"),
            ),
        ],
    );
    let report = import(home.path(), &[&evil], NOW).unwrap();
    assert!(!home.path().join("../../evil.json").exists());
    assert!(!dir.path().join("../evil.json").exists());
    // A name that climbs out of the archive marks a crafted one: its entries are reported, not trusted.
    let unsafe_entries = report
        .skipped
        .iter()
        .filter(|s| s.contains("unsafe path"))
        .count();
    assert_eq!(unsafe_entries, 2, "{:?}", report.skipped);
    let store = Store::open(home.path()).unwrap().unwrap();
    assert!(store.lookup(Ecosystem::Npm, "evil").unwrap().is_empty());
    assert_eq!(store.lookup(Ecosystem::Npm, "good").unwrap().len(), 1);
}

#[test]
fn withdrawn_and_unknown_records_are_skipped() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let withdrawn = record("W-1", "npm", "w", "2024-01-01T00:00:00Z", "w").replacen(
        "{",
        "{\"withdrawn\":\"2024-02-01T00:00:00Z\",",
        1,
    );
    std::fs::write(dir.path().join("w.json"), withdrawn).unwrap();
    std::fs::write(
        dir.path().join("other.json"),
        record("D-1", "Debian:12", "openssl", "2024-01-01T00:00:00Z", "d"),
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.json"), "{ not json").unwrap();
    std::fs::write(
        dir.path().join("ok.json"),
        record("K-1", "npm", "k", "2024-01-01T00:00:00Z", "k"),
    )
    .unwrap();
    let report = import(home.path(), &[dir.path()], NOW).unwrap();
    assert_eq!(report.manifest.ecosystems.get("npm"), Some(&1));
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert!(report.skipped[0].contains("bad.json"));
}

#[test]
fn a_second_concurrent_import_is_refused() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("advisories.lock"), "12345").unwrap();
    assert!(matches!(
        import(home.path(), &[&subset()], NOW),
        Err(DbError::Locked { .. })
    ));
}
