#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `nuget/packages-lock`.

mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::nuget_packages_lock::NugetPackagesLock;

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&NugetPackagesLock, files).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct path:line`, one string per asset.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::NuGet);
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

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &NugetPackagesLock,
        &[(
            "packages.lock.json",
            "{\n  \"version\": 1,\n  \"dependencies\": {\n}\n",
        )],
    )
    .unwrap_err();
    assert_eq!(error.path, "packages.lock.json");
    assert_eq!(error.line, Some(5));
    assert!(error.message.contains("invalid JSON"), "{error}");

    let error = run_extractor(&NugetPackagesLock, &[("packages.lock.json", "[]")]).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("not a NuGet lockfile"), "{error}");

    let error = run_extractor(
        &NugetPackagesLock,
        &[(
            "packages.lock.json",
            "{\n  \"version\": 1,\n  \"dependencies\": []\n}",
        )],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3));
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        "",
        "\u{feff}\n",
        "{}",
        "{\"version\": 1, \"dependencies\": {}}",
        "{\"version\": 2, \"dependencies\": {\"net8.0\": {}}}",
    ] {
        let out = run(&[("packages.lock.json", text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
    }
}

const ONE: &str = r#"{
  "version": 1,
  "dependencies": {
    "net8.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.3, )",
        "resolved": "13.0.3",
        "contentHash": "HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ=="
      }
    }
  }
}
"#;

#[test]
fn one_package() {
    let out = run(&[("packages.lock.json", ONE)]);
    assert_eq!(
        summaries(&out),
        ["Newtonsoft.Json@13.0.3 unknown direct packages.lock.json:5"]
    );
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:nuget/Newtonsoft.Json@13.0.3")
    );
    assert_eq!(out.assets[0].attr_str("source"), None);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn two_packages() {
    let text = ONE.replace(
        "      }\n    }\n  }",
        "      },\n      \"System.Text.Json\": {\n        \"type\": \"Transitive\",\n        \"resolved\": \"8.0.0\"\n      }\n    }\n  }",
    );
    let out = run(&[("src/App/packages.lock.json", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "Newtonsoft.Json@13.0.3 unknown direct src/App/packages.lock.json:5",
            "System.Text.Json@8.0.0 unknown transitive src/App/packages.lock.json:11",
        ]
    );
}

#[test]
fn frameworks_merge_projects_are_skipped_and_central_transitives_count() {
    let text = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Serilog": { "type": "Transitive", "resolved": "3.0.1" },
      "Microsoft.Extensions.Logging": { "type": "Direct", "requested": "[6.0.0, )", "resolved": "6.0.0" },
      "My.Library": { "type": "Project", "dependencies": { "Serilog": "[3.0.1, )" } }
    },
    "net8.0": {
      "Serilog": { "type": "Direct", "requested": "[3.0.1, )", "resolved": "3.0.1" },
      "Microsoft.Extensions.Logging": { "type": "Direct", "requested": "[8.0.0, )", "resolved": "8.0.0" },
      "System.Memory": { "type": "CentralTransitive", "requested": "[4.5.5, )", "resolved": "4.5.5" },
      "my.library": { "type": "Project" }
    },
    "net8.0/linux-x64": {
      "serilog": { "type": "Transitive", "resolved": "3.0.1" }
    }
  }
}
"#;
    let out = run(&[("packages.lock.json", text)]);
    assert_eq!(
        summaries(&out),
        [
            // Transitive for net6.0, direct for net8.0: direct; the line of its first entry.
            "Serilog@3.0.1 unknown direct packages.lock.json:5",
            "Microsoft.Extensions.Logging@6.0.0 unknown direct packages.lock.json:6",
            "Microsoft.Extensions.Logging@8.0.0 unknown direct packages.lock.json:11",
            "System.Memory@4.5.5 unknown transitive packages.lock.json:12",
        ]
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn bad_entries_are_warnings() {
    let text = r#"{
  "version": 3,
  "dependencies": {
    "net8.0": {
      "NoVersion": { "type": "Direct" },
      "Odd": { "type": "Something", "resolved": "1.0.0" }
    },
    "net9.0": []
  }
}
"#;
    let out = run(&[("packages.lock.json", text)]);
    assert_eq!(
        summaries(&out),
        ["Odd@1.0.0 unknown direct? packages.lock.json:6"]
    );
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(2), Some(5), Some(8)]);
}

#[test]
fn truncated_input_never_panics() {
    for cut in 0..ONE.len() {
        let _ = run_extractor(&NugetPackagesLock, &[("packages.lock.json", &ONE[..cut])]);
    }
}
