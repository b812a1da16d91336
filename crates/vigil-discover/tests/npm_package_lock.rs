//! Fixture ladder for `npm/package-lock`.

mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::npm_package_lock::NpmPackageLock;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/lockfiles/npm/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&NpmPackageLock, files).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct path:line`, one string per asset, to compare whole results at a glance.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).expect("a dependency asset");
    assert_eq!(dep.ecosystem, Ecosystem::Npm);
    let direct = match dep.direct {
        Some(true) => "direct",
        Some(false) => "transitive",
        None => "direct?",
    };
    format!(
        "{}@{} {} {direct} {}",
        dep.name,
        dep.version,
        dep.scope.as_str(),
        asset.evidence[0].location()
    )
}

fn summaries(out: &Output) -> Vec<String> {
    out.assets.iter().map(summary).collect()
}

fn sources(out: &Output) -> Vec<Option<&str>> {
    out.assets.iter().map(|a| a.attr_str("source")).collect()
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &NpmPackageLock,
        &[(
            "package-lock.json",
            "{\n  \"lockfileVersion\": 3,\n  \"packages\": [\n}\n",
        )],
    )
    .unwrap_err();
    assert_eq!(error.path, "package-lock.json");
    assert_eq!(error.line, Some(4));
    assert!(error.message.contains("invalid JSON"), "{error}");

    let error = run_extractor(&NpmPackageLock, &[("package-lock.json", "[1, 2]")]).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("not an npm lockfile"), "{error}");

    let error = run_extractor(
        &NpmPackageLock,
        &[(
            "package-lock.json",
            "{\n  \"lockfileVersion\": 3,\n  \"packages\": 7\n}",
        )],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3));
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        "",
        "  \n",
        "{}",
        "{\"name\": \"app\", \"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"app\"}}}",
    ] {
        let out = run(&[("package-lock.json", text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
    }
}

const ONE: &str = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "app",
      "dependencies": {
        "lodash": "^4.17.0"
      }
    },
    "node_modules/lodash": {
      "version": "4.17.21",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"
    }
  }
}
"#;

#[test]
fn one_package() {
    let out = run(&[("package-lock.json", ONE)]);
    assert_eq!(
        summaries(&out),
        ["lodash@4.17.21 prod direct package-lock.json:12"]
    );
    assert_eq!(sources(&out), [None], "registry packages carry no source");
    assert_eq!(out.assets[0].attr_str("purl"), Some("pkg:npm/lodash@4.17.21"));
    assert!(out.diagnostics.is_empty());
}

#[test]
fn two_packages() {
    let two = ONE.replace(
        "\"resolved\": \"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz\"\n    }",
        "\"resolved\": \"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz\"\n    },\n    \"node_modules/ms\": {\n      \"version\": \"2.1.3\"\n    }",
    );
    let out = run(&[("web/package-lock.json", &two)]);
    assert_eq!(
        summaries(&out),
        [
            "lodash@4.17.21 prod direct web/package-lock.json:12",
            "ms@2.1.3 prod transitive web/package-lock.json:16"
        ]
    );
}

#[test]
fn dev_optional_nested_and_scoped_packages() {
    let text = r#"{
  "lockfileVersion": 3,
  "packages": {
    "": {
      "devDependencies": { "jest": "^29.0.0" },
      "optionalDependencies": { "fsevents": "^2.0.0" },
      "peerDependencies": { "@types/node": "*" }
    },
    "node_modules/jest": { "version": "29.7.0", "dev": true },
    "node_modules/fsevents": { "version": "2.3.3", "optional": true },
    "node_modules/chokidar": { "version": "3.6.0", "devOptional": true },
    "node_modules/@types/node": { "version": "20.1.0" },
    "node_modules/jest/node_modules/ms": { "version": "2.0.0", "dev": true },
    "node_modules/@types/node/node_modules/@scope/deep": { "version": "1.0.0" }
  }
}"#;
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(
        summaries(&out),
        [
            "jest@29.7.0 dev direct package-lock.json:9",
            "fsevents@2.3.3 optional direct package-lock.json:10",
            "chokidar@3.6.0 dev transitive package-lock.json:11",
            "@types/node@20.1.0 prod direct package-lock.json:12",
            "ms@2.0.0 dev transitive package-lock.json:13",
            "@scope/deep@1.0.0 prod transitive package-lock.json:14",
        ]
    );
    assert_eq!(
        out.assets[3].attr_str("purl"),
        Some("pkg:npm/%40types/node@20.1.0")
    );
}

#[test]
fn aliases_use_the_real_package_name() {
    let text = r#"{
  "lockfileVersion": 3,
  "packages": {
    "": { "dependencies": { "lodash-old": "npm:lodash@3.10.1" } },
    "node_modules/lodash-old": { "name": "lodash", "version": "3.10.1" }
  }
}"#;
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(summaries(&out), ["lodash@3.10.1 prod direct package-lock.json:5"]);
}

#[test]
fn git_and_path_sources_are_marked() {
    let text = r#"{
  "lockfileVersion": 2,
  "packages": {
    "": { "dependencies": { "a": "github:o/a", "b": "git+ssh://git@host/b.git", "c": "file:../c.tgz", "d": "^1" } },
    "node_modules/a": { "version": "1.0.0", "resolved": "git+ssh://git@github.com/o/a.git#0123abc" },
    "node_modules/b": { "version": "2.0.0", "resolved": "git://host/b.git#abc" },
    "node_modules/c": { "version": "3.0.0", "resolved": "file:../c.tgz" },
    "node_modules/d": { "version": "4.0.0", "resolved": "https://registry.npmjs.org/d/-/d-4.0.0.tgz" }
  }
}"#;
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(sources(&out), [Some("git"), Some("git"), Some("path"), None]);
    assert!(summaries(&out).iter().all(|s| s.contains(" prod direct ")));
}

#[test]
fn workspaces_and_links_are_the_project_itself() {
    let text = r#"{
  "lockfileVersion": 3,
  "packages": {
    "": { "workspaces": ["packages/*"], "devDependencies": { "typescript": "^5" } },
    "node_modules/web": { "resolved": "packages/web", "link": true },
    "node_modules/react": { "version": "18.2.0" },
    "node_modules/typescript": { "version": "5.4.0", "dev": true },
    "packages/web": { "name": "web", "version": "0.1.0", "dependencies": { "react": "^18", "zod": "^3" } },
    "packages/web/node_modules/zod": { "version": "3.22.0" },
    "packages/web/node_modules/kleur": { "version": "4.1.5" }
  }
}"#;
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(
        summaries(&out),
        [
            "react@18.2.0 prod direct package-lock.json:6",
            "typescript@5.4.0 dev direct package-lock.json:7",
            "zod@3.22.0 prod direct package-lock.json:9",
            "kleur@4.1.5 prod transitive package-lock.json:10",
        ],
        "a workspace's own dependencies are direct, whether hoisted or not"
    );
}

#[test]
fn version_2_reads_packages_not_the_legacy_tree() {
    let text = r#"{
  "lockfileVersion": 2,
  "packages": {
    "": { "dependencies": { "ms": "^2" } },
    "node_modules/ms": { "version": "2.1.3" }
  },
  "dependencies": {
    "ms": { "version": "2.1.3" }
  }
}"#;
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(summaries(&out), ["ms@2.1.3 prod direct package-lock.json:5"]);
}

#[test]
fn a_broken_entry_is_a_warning_and_the_rest_is_read() {
    let text = r#"{
  "lockfileVersion": 3,
  "packages": {
    "": {},
    "node_modules/no-version": { "resolved": "https://example.com/x.tgz" },
    "node_modules/weird": 42,
    "node_modules/": { "version": "1.0.0" },
    "node_modules/ok": { "version": "1.0.0" }
  }
}"#;
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(summaries(&out), ["ok@1.0.0 prod transitive package-lock.json:8"]);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(5), Some(6), Some(7)]);
}

#[test]
fn unknown_lockfile_version_is_a_warning() {
    let text = "{\n  \"lockfileVersion\": 9,\n  \"packages\": {\"\": {}, \"node_modules/a\": {\"version\": \"1.0.0\"}}\n}";
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(out.assets.len(), 1);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(2));
}

const V1: &str = r#"{
  "name": "app",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "express": {
      "version": "4.18.2",
      "requires": { "debug": "2.6.9" },
      "dependencies": {
        "debug": {
          "version": "2.6.9",
          "dependencies": {
            "ms": { "version": "2.0.0" }
          }
        }
      }
    },
    "jest": { "version": "29.7.0", "dev": true },
    "fsevents": { "version": "2.3.3", "optional": true },
    "old-lodash": { "version": "npm:lodash@3.10.1" },
    "types-alias": { "version": "npm:@types/node@20.1.0", "dev": true },
    "forked": { "version": "git+https://github.com/o/forked.git#abc123", "from": "git+https://github.com/o/forked.git" },
    "gh": { "version": "github:o/gh#abc123" },
    "local": { "version": "file:../local" },
    "tarball": { "version": "https://example.com/tarball-1.0.0.tgz" },
    "ms": { "version": "2.1.3" }
  }
}
"#;

const V1_MANIFEST: &str = r#"{
  "name": "app",
  "dependencies": { "express": "^4", "old-lodash": "npm:lodash@3", "forked": "o/forked", "gh": "o/gh", "local": "file:../local", "tarball": "https://example.com/tarball-1.0.0.tgz" },
  "devDependencies": { "jest": "^29", "types-alias": "npm:@types/node@20" },
  "optionalDependencies": { "fsevents": "^2" }
}"#;

#[test]
fn version_1_tree_with_the_sibling_manifest() {
    let out = run(&[("app/package-lock.json", V1), ("app/package.json", V1_MANIFEST)]);
    assert_eq!(
        summaries(&out),
        [
            "express@4.18.2 prod direct app/package-lock.json:6",
            "debug@2.6.9 prod transitive app/package-lock.json:10",
            "ms@2.0.0 prod transitive app/package-lock.json:13",
            "jest@29.7.0 dev direct app/package-lock.json:18",
            "fsevents@2.3.3 optional direct app/package-lock.json:19",
            "lodash@3.10.1 prod direct app/package-lock.json:20",
            "@types/node@20.1.0 dev direct app/package-lock.json:21",
            "forked@git+https://github.com/o/forked.git#abc123 prod direct app/package-lock.json:22",
            "gh@github:o/gh#abc123 prod direct app/package-lock.json:23",
            "local@file:../local prod direct app/package-lock.json:24",
            "tarball@https://example.com/tarball-1.0.0.tgz prod direct app/package-lock.json:25",
            "ms@2.1.3 prod transitive app/package-lock.json:26",
        ]
    );
    assert_eq!(
        sources(&out),
        [
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some("git"),
            Some("git"),
            Some("path"),
            Some("url"),
            None
        ]
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn version_1_without_a_manifest_does_not_guess_directness() {
    let out = run(&[("package-lock.json", V1)]);
    let found = summaries(&out);
    assert_eq!(found[0], "express@4.18.2 prod direct? package-lock.json:6");
    assert_eq!(
        found[1], "debug@2.6.9 prod transitive package-lock.json:10",
        "nested installs are never direct"
    );

    let out = run(&[("package-lock.json", V1), ("package.json", "{ not json")]);
    assert_eq!(
        summary(&out.assets[0]),
        "express@4.18.2 prod direct? package-lock.json:6"
    );
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].path, "package.json");
}

#[test]
fn version_1_broken_entries_are_warnings() {
    let text = "{\n  \"dependencies\": {\n    \"a\": 1,\n    \"b\": {},\n    \"c\": {\"version\": \"npm:nothing\"},\n    \"d\": {\"version\": \"1.0.0\"}\n  }\n}";
    let out = run(&[("package-lock.json", text)]);
    assert_eq!(summaries(&out), ["d@1.0.0 prod direct? package-lock.json:6"]);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(3), Some(4), Some(5)]);
}

#[test]
fn shrinkwrap_is_claimed_too() {
    let out = run(&[("npm-shrinkwrap.json", ONE)]);
    assert_eq!(
        summaries(&out),
        ["lodash@4.17.21 prod direct npm-shrinkwrap.json:12"]
    );
}

#[test]
fn real_version_1_lockfile() {
    // Angular 13.2.0-next.0 via terragoat's node-base (Apache-2.0). Counted independently with python3's
    // json module: 2540 entries in the nested tree (1673 top level), 1196 dev, 36 optional and not dev,
    // 16 `npm:` aliases, 1 git URL; package.json names 146 packages, all installed at top level.
    let lock = fixture("terragoat-node-base.package-lock.json");
    let manifest = fixture("terragoat-node-base.package.json");
    let out = run(&[("package-lock.json", &lock), ("package.json", &manifest)]);
    let deps: Vec<Dependency> = out
        .assets
        .iter()
        .map(|a| Dependency::from_asset(a).unwrap())
        .collect();
    assert_eq!(deps.len(), 2540);
    assert!(out.diagnostics.is_empty());
    let count = |f: &dyn Fn(&Dependency) -> bool| deps.iter().filter(|d| f(d)).count();
    assert_eq!(count(&|d| d.scope == DependencyScope::Dev), 1196);
    assert_eq!(count(&|d| d.scope == DependencyScope::Optional), 36);
    assert_eq!(count(&|d| d.scope == DependencyScope::Prod), 1308);
    assert_eq!(count(&|d| d.direct == Some(true)), 146);
    assert_eq!(count(&|d| d.direct.is_none()), 0);
    assert_eq!(sources(&out).iter().filter(|s| **s == Some("git")).count(), 1);

    assert_eq!(
        summary(&out.assets[0]),
        "@actions/core@1.6.0 dev transitive package-lock.json:7"
    );
    let alias = out
        .assets
        .iter()
        .find(|a| a.evidence[0].line == Some(425))
        .unwrap();
    assert_eq!(
        summary(alias),
        "@angular/animations@12.2.13 prod direct package-lock.json:425"
    );
    let git = out
        .assets
        .iter()
        .find(|a| a.attr_str("source") == Some("git"))
        .unwrap();
    assert_eq!(git.attr_str("name"), Some("@angular/dev-infra-private"));
    assert_eq!(git.evidence[0].location(), "package-lock.json:504");
}

#[test]
fn real_version_3_lockfile() {
    // wrongsecrets is AGPL-licensed, so it is read in place rather than copied into the repository.
    let path = format!(
        "{}/../../../shared/data/lockfiles/npm/wrongsecrets.package-lock.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(lock) = std::fs::read_to_string(&path) else {
        println!("skipped: ../shared/data not present");
        return;
    };
    // Counted with python3: 241 `node_modules/` entries, no links, all `dev: true`; the root entry's 9
    // devDependencies are all installed at top level.
    let out = run(&[("package-lock.json", &lock)]);
    let deps: Vec<Dependency> = out
        .assets
        .iter()
        .map(|a| Dependency::from_asset(a).unwrap())
        .collect();
    assert_eq!(deps.len(), 241);
    assert!(deps.iter().all(|d| d.scope == DependencyScope::Dev));
    assert_eq!(deps.iter().filter(|d| d.direct == Some(true)).count(), 9);
    assert!(
        out.assets.iter().all(|a| a.evidence[0].line.is_some()),
        "every package has a line"
    );
    let eslint = out
        .assets
        .iter()
        .find(|a| a.attr_str("name") == Some("eslint"))
        .unwrap();
    assert_eq!(summary(eslint), "eslint@9.39.5 dev direct package-lock.json:2309");
}

#[test]
fn truncated_input_never_panics() {
    let lock = fixture("terragoat-node-base.package-lock.json");
    for cut in (0..lock.len()).step_by(lock.len() / 40).chain([1, 2, 3]) {
        let Some(prefix) = lock.get(..cut) else { continue };
        let _ = run_extractor(&NpmPackageLock, &[("package-lock.json", prefix)]);
    }
    for text in [
        "{\"dependencies\": {\"a\": {\"version\": \"npm:@\"}}}",
        "{\"packages\": {\"node_modules/\": 1}}",
        "\"x\"",
        "null",
    ] {
        let _ = run_extractor(&NpmPackageLock, &[("package-lock.json", text)]);
    }
}
