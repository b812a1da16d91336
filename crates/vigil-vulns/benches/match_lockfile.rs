//! Matching a large real lockfile (astral-sh/uv, 753 packages) against the full RustSec OSV export.
//!
//! `match_only` times the matcher with the advisories already loaded and the lockfile parsed;
//! `cold` times what a `cargo audit` run does: read the advisory data, parse the lockfile, match.
//! Reads ../shared/data; prints that it is skipped when that is absent.

#![allow(clippy::print_stderr)] // a benchmark reports on stderr
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use vigil_core::Scope;
use vigil_vulns::MemoryIndex;

fn shared() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    path.is_dir().then_some(path)
}

fn repository_with(lockfile: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(lockfile, dir.path().join("Cargo.lock")).expect("copy lockfile");
    dir
}

fn bench(c: &mut Criterion) {
    let Some(data) = shared() else {
        eprintln!("skipped: ../shared/data not present");
        return;
    };
    let zip = data.join("osv/rustsec-osv.zip");
    let repo = repository_with(&data.join("lockfiles/cargo/uv-26a9dd4.Cargo.lock"));
    let index = MemoryIndex::load(&[&zip]).expect("rustsec advisories");
    let inventory = vigil_discover::run(repo.path(), &Scope::default())
        .expect("discover")
        .inventory;
    assert_eq!(vigil_vulns::run(&inventory, Some(&index)).findings.len(), 3);

    let mut group = c.benchmark_group("uv-26a9dd4.Cargo.lock");
    group.sample_size(20);
    group.bench_function("match_only", |b| {
        b.iter(|| vigil_vulns::run(&inventory, Some(&index)))
    });
    group.bench_function("cold", |b| {
        b.iter(|| {
            let index = MemoryIndex::load(&[&zip]).expect("rustsec advisories");
            let inventory = vigil_discover::run(repo.path(), &Scope::default())
                .expect("discover")
                .inventory;
            vigil_vulns::run(&inventory, Some(&index))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
