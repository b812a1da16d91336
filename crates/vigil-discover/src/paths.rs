//! Path conventions shared by extractors.

/// Paths of tests, fixtures and examples: routes, models and secrets there describe test doubles, not the
/// running system (they are still reported, marked, and weigh less).
pub fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    lower.split('/').any(|part| {
        matches!(
            part,
            "test" | "tests" | "__tests__" | "spec" | "specs" | "fixtures" | "testdata" | "__mocks__" | "e2e"
        )
    }) || name.contains(".test.")
        || name.contains(".spec.")
        || name.starts_with("test_")
        || name.ends_with("_test.go")
        || name.ends_with("_test.py")
}

#[cfg(test)]
mod tests {
    use super::is_test_path;

    #[test]
    fn recognises_test_paths() {
        for path in [
            "tests/a.py",
            "src/__tests__/x.js",
            "pkg/x_test.go",
            "app/user.spec.ts",
            "spec/models/user_spec.rb",
            "test_app.py",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in ["src/app.js", "contest/entry.py", "latest/x.go"] {
            assert!(!is_test_path(path), "{path}");
        }
    }
}
