#![allow(dead_code, clippy::unwrap_used)]
//! Helpers shared by the vulnerability tests.

use std::path::{Path, PathBuf};

use vigil_core::{Inventory, Scope};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixtures() -> PathBuf {
    workspace().join("fixtures")
}

/// `../shared/data` when this checkout sits beside it, else `None` (tests say they are skipped).
pub fn shared_data() -> Option<PathBuf> {
    let path = workspace().join("../shared/data");
    path.is_dir().then_some(path)
}

/// The inventory of a repository holding just `file` under the name `as_name`.
pub fn inventory_of(file: &Path, as_name: &str) -> Inventory {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(file, dir.path().join(as_name)).unwrap();
    vigil_discover::run(dir.path(), &Scope::default())
        .unwrap()
        .inventory
}

/// The inventory of a repository holding these (name, text) files.
pub fn inventory_with(files: &[(&str, &str)]) -> Inventory {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    vigil_discover::run(dir.path(), &Scope::default())
        .unwrap()
        .inventory
}
