//! A finding's fingerprint survives line shifts and unrelated edits, and changes when what it is about
//! changes.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{assessment, copy_tree, workspace};

fn findings(repo: &Path) -> BTreeMap<String, (String, String)> {
    let advisories = workspace().join("examples/shop-advisories");
    let document = assessment(&[
        "assess",
        repo.to_str().unwrap(),
        "--advisories",
        advisories.to_str().unwrap(),
        "--as-of",
        "2026-11-27",
    ]);
    document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let location = format!(
                "{}:{}",
                f["evidence"][0]["path"].as_str().unwrap(),
                f["evidence"][0]["line"]
            );
            (
                f["fingerprint"].as_str().unwrap().to_owned(),
                (f["title"].as_str().unwrap().to_owned(), location),
            )
        })
        .collect()
}

fn prepend(repo: &Path, file: &str, text: &str) {
    let path = repo.join(file);
    let original = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}{original}")).unwrap();
}

#[test]
fn fingerprints_survive_line_shifts_and_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("shop");
    copy_tree(&workspace().join("examples/shop"), &repo);
    let before = findings(&repo);

    // Shift every file that holds a finding, and add unrelated content.
    prepend(&repo, "infra/storage.tf", "# Buckets\n\n\n");
    prepend(&repo, "infra/database.tf", "# Orders database\n\n");
    prepend(&repo, "infra/main.tf", "# Provider and audit trail\n");
    prepend(&repo, "infra/compute.tf", "\n\n\n\n");
    prepend(&repo, ".github/workflows/pr-preview.yml", "# previews\n\n");
    prepend(&repo, ".github/workflows/ci.yml", "# continuous integration\n");
    prepend(&repo, "services/worker/requirements.txt", "# pins\n\n");
    prepend(&repo, "services/ledger/Cargo.lock", "\n");
    prepend(&repo, "services/api/src/server.js", "// storefront API\n\n");
    prepend(&repo, "services/api/package.json", "\n");
    let lock = fs::read_to_string(repo.join("services/api/package-lock.json")).unwrap();
    fs::write(
        repo.join("services/api/package-lock.json"),
        lock.replace("\"requires\": true,", "\"requires\": true,\n\n"),
    )
    .unwrap();
    fs::write(
        repo.join("infra/extra.tf"),
        "resource \"aws_sqs_queue\" \"orders\" {\n  name = \"orders\"\n}\n",
    )
    .unwrap();

    let after = findings(&repo);
    assert_eq!(before.len(), after.len());
    let mut moved = 0;
    for (fingerprint, (title, location)) in &before {
        let (_, new_location) = after
            .get(fingerprint)
            .unwrap_or_else(|| panic!("{title} lost its fingerprint"));
        moved += usize::from(new_location != location);
    }
    assert_eq!(
        moved,
        before.len(),
        "every finding moved to another line, and kept its fingerprint"
    );
}

#[test]
fn fingerprints_change_when_the_subject_changes() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("shop");
    copy_tree(&workspace().join("examples/shop"), &repo);
    let before = findings(&repo);
    let storage = fs::read_to_string(repo.join("infra/storage.tf")).unwrap();
    fs::write(
        repo.join("infra/storage.tf"),
        storage.replace("product_images", "catalogue_images"),
    )
    .unwrap();
    let after = findings(&repo);
    let gone: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let new: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let of_bucket = before
        .values()
        .filter(|(title, _)| title.contains("product_images"))
        .count();
    assert!(of_bucket >= 1);
    assert_eq!(
        (gone.len(), new.len()),
        (of_bucket, of_bucket),
        "renaming the bucket replaces exactly its findings"
    );
    assert!(new.iter().all(|k| after[*k].0.contains("catalogue_images")));
}
