//! The commit being assessed, read from `.git` without running git (the repository is untrusted input:
//! nothing in it is executed, and nothing outside it is read).

use std::path::Path;

/// The full hash HEAD points at, when `root/.git` is a plain repository directory. Worktrees and
/// submodules (`.git` as a file pointing elsewhere) are not followed.
pub fn head_commit(root: &Path) -> Option<String> {
    let git = root.join(".git");
    if !git.is_dir() || git.is_symlink() {
        return None;
    }
    let head = read_small(&git.join("HEAD"))?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref: ") else {
        return is_hash(head).then(|| head.to_owned());
    };
    if reference.split('/').any(|p| p == ".." || p.is_empty()) || !reference.starts_with("refs/") {
        return None;
    }
    if let Some(hash) = read_small(&git.join(reference)) {
        let hash = hash.trim();
        return is_hash(hash).then(|| hash.to_owned());
    }
    let packed = read_small(&git.join("packed-refs"))?;
    packed.lines().find_map(|line| {
        let (hash, name) = line.split_once(' ')?;
        (name == reference && is_hash(hash)).then(|| hash.to_owned())
    })
}

fn read_small(path: &Path) -> Option<String> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn is_hash(text: &str) -> bool {
    (text.len() == 40 || text.len() == 64) && text.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::head_commit;

    #[test]
    fn reads_loose_and_packed_refs() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let git = dir.join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        assert_eq!(head_commit(dir), None);
        let hash = "0123456789abcdef0123456789abcdef01234567";
        std::fs::write(
            git.join("packed-refs"),
            format!("# pack-refs\n{hash} refs/heads/main\n"),
        )
        .unwrap();
        assert_eq!(head_commit(dir).as_deref(), Some(hash));
        let loose = "89abcdef0123456789abcdef0123456789abcdef";
        std::fs::write(git.join("refs/heads/main"), format!("{loose}\n")).unwrap();
        assert_eq!(head_commit(dir).as_deref(), Some(loose));
        std::fs::write(git.join("HEAD"), "ref: refs/../../../etc/passwd\n").unwrap();
        assert_eq!(head_commit(dir), None);
    }
}
