//! Fixture ladder for `swift/package-resolved`, on files written the way SwiftPM writes them (format 1 by
//! Swift 5.0 to 5.5, 2 by 5.6 to 5.9, 3 by 5.10 and later).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::swift_package_resolved::PackageResolved;

fn run(text: &str) -> Output {
    run_extractor(&PackageResolved, &[("Package.resolved", text)]).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version path:line source`, one string per asset; direct and scope are always unknown.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::SwiftUrl);
    assert_eq!(dep.direct, None);
    assert_eq!(dep.scope, DependencyScope::Unknown);
    format!(
        "{}@{} {} {}",
        dep.name,
        dep.version,
        asset.evidence[0].location(),
        asset.attr_str("source").unwrap_or("-")
    )
}

fn summaries(out: &Output) -> Vec<String> {
    out.assets.iter().map(summary).collect()
}

/// A version-2/3 pin: 9 lines, its `identity` on the second.
fn pin(identity: &str, location: &str, state: &str) -> String {
    format!(
        "    {{\n      \"identity\" : \"{identity}\",\n      \"kind\" : \"remoteSourceControl\",\n      \"location\" : \"{location}\",\n      \"state\" : {{\n{state}\n      }}\n    }}"
    )
}

fn tagged(revision: &str, version: &str) -> String {
    format!("        \"revision\" : \"{revision}\",\n        \"version\" : \"{version}\"")
}

/// A version-3 file: `originHash` on line 2, `pins` opening on line 3.
fn v3(pins: &[String]) -> String {
    format!(
        "{{\n  \"originHash\" : \"7d6a8f2c1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c\",\n  \"pins\" : [\n{}\n  ],\n  \"version\" : 3\n}}\n",
        pins.join(",\n")
    )
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &PackageResolved,
        &[("Package.resolved", "{\n  \"pins\" : [\n    {,\n")],
    )
    .unwrap_err();
    assert_eq!(error.path, "Package.resolved");
    assert_eq!(error.line, Some(3));
    assert!(error.message.contains("invalid JSON"), "{error}");

    let error = run_extractor(&PackageResolved, &[("Package.resolved", "[]\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));

    let error = run_extractor(
        &PackageResolved,
        &[("Package.resolved", "{\n  \"version\" : 2,\n  \"pins\" : {}\n}\n")],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3));
    assert!(error.message.contains("`pins` must be an array"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        "",
        "{\n  \"pins\" : [\n\n  ],\n  \"version\" : 2\n}\n",
        &v3(&[]),
        "{\n  \"object\": {\n    \"pins\": []\n  },\n  \"version\": 1\n}\n",
    ] {
        let out = run(text);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
    }
}

#[test]
fn one_pin() {
    let text = v3(&[pin(
        "swift-nio",
        "https://github.com/apple/swift-nio.git",
        &tagged("fc63f0cf4e55a4597407a9fc95b16a2bc44b4982", "2.72.0"),
    )]);
    let out = run(&text);
    assert_eq!(
        summaries(&out),
        ["github.com/apple/swift-nio@2.72.0 Package.resolved:5 -"]
    );
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:swift/github.com/apple/swift-nio@2.72.0")
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn two_pins() {
    let text = v3(&[
        pin(
            "swift-log",
            "https://github.com/apple/swift-log.git",
            &tagged("96a2f8a0fa41e9e09af4585e2724c4e825410b91", "1.6.2"),
        ),
        pin(
            "swift-nio",
            "https://github.com/apple/swift-nio.git",
            &tagged("fc63f0cf4e55a4597407a9fc95b16a2bc44b4982", "2.72.0"),
        ),
    ]);
    let out = run_extractor(
        &PackageResolved,
        &[(
            "App.xcodeproj/project.xcworkspace/xcshareddata/swiftpm/Package.resolved",
            &text,
        )],
    )
    .unwrap();
    assert_eq!(
        summaries(&out),
        [
            "github.com/apple/swift-log@1.6.2 App.xcodeproj/project.xcworkspace/xcshareddata/swiftpm/Package.resolved:5 -",
            "github.com/apple/swift-nio@2.72.0 App.xcodeproj/project.xcworkspace/xcshareddata/swiftpm/Package.resolved:14 -",
        ]
    );
}

#[test]
fn version_1_nests_pins_under_object() {
    let text = r#"{
  "object": {
    "pins": [
      {
        "package": "Alamofire",
        "repositoryURL": "https://github.com/Alamofire/Alamofire.git",
        "state": {
          "branch": null,
          "revision": "f96b619bcb2383b43d898402283924b80e2c4bae",
          "version": "5.4.3"
        }
      },
      {
        "package": "SnapKit",
        "repositoryURL": "git@github.com:SnapKit/SnapKit.git",
        "state": {
          "branch": "develop",
          "revision": "e74fe2a978d1216c3602b129447c7301573cc2d8",
          "version": null
        }
      }
    ]
  },
  "version": 1
}
"#;
    let out = run(text);
    assert_eq!(
        summaries(&out),
        [
            "github.com/Alamofire/Alamofire@5.4.3 Package.resolved:5 -",
            "github.com/SnapKit/SnapKit@e74fe2a978d1216c3602b129447c7301573cc2d8 Package.resolved:14 git",
        ]
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn branches_revisions_local_and_registry_pins() {
    let text = v3(&[
        pin(
            "swift-syntax",
            "https://github.com/swiftlang/swift-syntax",
            "        \"branch\" : \"main\",\n        \"revision\" : \"2bc86522d115234d1f588efe2bcb4ce4be8f8b82\"",
        ),
        pin("pinned-commit", "https://gitlab.example/team/pinned-commit.git", "        \"revision\" : \"0123456789abcdef0123456789abcdef01234567\""),
        "    {\n      \"identity\" : \"local-kit\",\n      \"kind\" : \"localSourceControl\",\n      \"location\" : \"/Users/dev/src/local-kit\",\n      \"state\" : {\n        \"revision\" : \"abcdef0123456789abcdef0123456789abcdef01\",\n        \"version\" : \"1.0.0\"\n      }\n    }".to_owned(),
        "    {\n      \"identity\" : \"mona.linkedlist\",\n      \"kind\" : \"registry\",\n      \"location\" : \"\",\n      \"state\" : {\n        \"version\" : \"1.2.0\"\n      }\n    }".to_owned(),
    ]);
    let out = run(&text);
    assert_eq!(
        summaries(&out),
        [
            "github.com/swiftlang/swift-syntax@2bc86522d115234d1f588efe2bcb4ce4be8f8b82 Package.resolved:5 git",
            "gitlab.example/team/pinned-commit@0123456789abcdef0123456789abcdef01234567 Package.resolved:14 git",
            "/Users/dev/src/local-kit@1.0.0 Package.resolved:22 path",
            "mona.linkedlist@1.2.0 Package.resolved:31 registry:mona.linkedlist",
        ]
    );
}

#[test]
fn broken_pins_are_warnings_and_the_rest_is_read() {
    let text = "{\n  \"pins\" : [\n    42,\n    {\n      \"identity\" : \"no-location\",\n      \"state\" : { \"version\" : \"1.0.0\" }\n    },\n    {\n      \"identity\" : \"no-state\",\n      \"location\" : \"https://github.com/o/no-state\"\n    },\n    {\n      \"identity\" : \"odd\",\n      \"kind\" : \"fileSystem\",\n      \"location\" : \"../odd\"\n    },\n    {\n      \"identity\" : \"ok\",\n      \"location\" : \"https://github.com/o/ok.git\",\n      \"state\" : { \"version\" : \"1.0.0\" }\n    }\n  ],\n  \"version\" : 4\n}\n";
    let out = run(text);
    assert_eq!(summaries(&out), ["github.com/o/ok@1.0.0 Package.resolved:18 -"]);
    let diagnostics: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        diagnostics,
        [
            (
                Some(23),
                "unknown Package.resolved version; reading it by the shape of its contents"
            ),
            (Some(2), "pin 0 is not an object; skipped"),
            (Some(5), "pin 1: no `location` or `repositoryURL`; skipped"),
            (Some(9), "pin 2: `state` has no `version` or `revision`; skipped"),
            (Some(13), "pin 3: unknown `kind` `fileSystem`; skipped"),
        ]
    );
}

#[test]
fn truncated_input_never_panics() {
    let text = v3(&[
        pin(
            "swift-log",
            "https://github.com/apple/swift-log.git",
            &tagged("96a2f8a0", "1.6.2"),
        ),
        pin(
            "swift-nio",
            "git@github.com:apple/swift-nio.git",
            "        \"revision\" : \"fc63f0cf\"",
        ),
    ]);
    for cut in 0..text.len() {
        let Some(prefix) = text.get(..cut) else { continue };
        let _ = run_extractor(&PackageResolved, &[("Package.resolved", prefix)]);
    }
}
