//! Fixture ladder for `packagist/composer-lock`. No real composer.lock is available, so the fixtures are
//! written in the layout Composer 2 writes (four-space indentation, the fields of Packagist packages).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::php_composer_lock::ComposerLock;

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&ComposerLock, files).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct path:line`, one string per asset.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::Packagist);
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
    for (text, line, message) in [
        ("{\n    \"packages\": [\n        {\n    ]\n}\n", 4, "invalid JSON"),
        ("[\"monolog/monolog\"]", 1, "not a composer.lock"),
        (
            "{\n    \"_readme\": [],\n    \"packages\": {\"a/b\": \"1.0.0\"}\n}",
            3,
            "`packages` must be an array",
        ),
    ] {
        let error = run_extractor(&ComposerLock, &[("composer.lock", text)]).unwrap_err();
        assert_eq!(error.path, "composer.lock");
        assert_eq!(error.line, Some(line), "{text:?}: {error}");
        assert!(error.message.contains(message), "{error}");
    }
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        "",
        "\n",
        "{}",
        "{\n    \"content-hash\": \"d751713988987e9331980363e24189ce\",\n    \"packages\": [],\n    \"packages-dev\": null,\n    \"aliases\": []\n}\n",
    ] {
        let out = run(&[("composer.lock", text)]);
        assert!(out.assets.is_empty(), "{text:?}");
        assert!(out.diagnostics.is_empty(), "{text:?}");
    }
}

const ONE: &str = r#"{
    "content-hash": "1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f",
    "packages": [
        {
            "name": "guzzlehttp/psr7",
            "version": "2.6.2",
            "source": {
                "type": "git",
                "url": "https://github.com/guzzle/psr7.git",
                "reference": "45b30f99ac27b5ca93cb4831afe16285f57b8221"
            },
            "dist": {
                "type": "zip",
                "url": "https://api.github.com/repos/guzzle/psr7/zipball/45b30f99ac27b5ca93cb4831afe16285f57b8221",
                "reference": "45b30f99ac27b5ca93cb4831afe16285f57b8221",
                "shasum": ""
            },
            "type": "library"
        }
    ],
    "packages-dev": [],
    "plugin-api-version": "2.6.0"
}
"#;

#[test]
fn one_and_two_packages() {
    let out = run(&[("composer.lock", ONE)]);
    assert_eq!(
        summaries(&out),
        ["guzzlehttp/psr7@2.6.2 prod direct? composer.lock:5"]
    );
    assert_eq!(
        sources(&out),
        [None],
        "Packagist packages carry a git source and a dist"
    );
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:composer/guzzlehttp/psr7@2.6.2")
    );

    let two = ONE.replace(
        "    \"packages-dev\": [],",
        "    \"packages-dev\": [\n        {\n            \"name\": \"mockery/mockery\",\n            \"version\": \"1.6.7\",\n            \"type\": \"library\"\n        }\n    ],",
    );
    let manifest = r#"{"require": {"php": ">=8.1", "guzzlehttp/psr7": "^2.6"}}"#;
    let out = run(&[("app/composer.lock", &two), ("app/composer.json", manifest)]);
    assert_eq!(
        summaries(&out),
        [
            "guzzlehttp/psr7@2.6.2 prod direct app/composer.lock:5",
            "mockery/mockery@1.6.7 dev transitive app/composer.lock:23",
        ]
    );
}

const FULL: &str = r#"{
    "_readme": [
        "This file locks the dependencies of your project to a known state",
        "Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies",
        "This file is @generated automatically"
    ],
    "content-hash": "9f4b1a3c5d7e2f60812c4a7b9e3d5f10",
    "packages": [
        {
            "name": "monolog/monolog",
            "version": "3.5.0",
            "source": {
                "type": "git",
                "url": "https://github.com/Seldaek/monolog.git",
                "reference": "c915e2634718dbc8a4a15c61b0e62e7a44e14448"
            },
            "dist": {
                "type": "zip",
                "url": "https://api.github.com/repos/Seldaek/monolog/zipball/c915e2634718dbc8a4a15c61b0e62e7a44e14448",
                "reference": "c915e2634718dbc8a4a15c61b0e62e7a44e14448",
                "shasum": ""
            },
            "require": {
                "php": ">=8.1",
                "psr/log": "^2.0 || ^3.0"
            },
            "type": "library",
            "license": [
                "MIT"
            ],
            "time": "2023-10-27T15:32:31+00:00"
        },
        {
            "name": "psr/log",
            "version": "3.0.0",
            "source": {
                "type": "git",
                "url": "https://github.com/php-fig/log.git",
                "reference": "fe5ea303b0887d5caefd3d431c3e61ad47037001"
            },
            "dist": {
                "type": "zip",
                "url": "https://api.github.com/repos/php-fig/log/zipball/fe5ea303b0887d5caefd3d431c3e61ad47037001",
                "reference": "fe5ea303b0887d5caefd3d431c3e61ad47037001",
                "shasum": ""
            },
            "require": {
                "php": ">=8.0.0"
            },
            "type": "library",
            "time": "2021-07-14T16:46:02+00:00"
        },
        {
            "name": "symfony/polyfill-mbstring",
            "version": "v1.29.0",
            "source": {
                "type": "git",
                "url": "https://github.com/symfony/polyfill-mbstring.git",
                "reference": "9773676c8a1bb1f8d4340a62efe641cf76eda7ec"
            },
            "dist": {
                "type": "zip",
                "url": "https://api.github.com/repos/symfony/polyfill-mbstring/zipball/9773676c8a1bb1f8d4340a62efe641cf76eda7ec",
                "reference": "9773676c8a1bb1f8d4340a62efe641cf76eda7ec",
                "shasum": ""
            },
            "type": "library"
        },
        {
            "name": "acme/internal-sdk",
            "version": "dev-main",
            "source": {
                "type": "git",
                "url": "git@git.acme.example:php/internal-sdk.git",
                "reference": "4d2c8f0e1b3a5c7d9e0f1a2b3c4d5e6f7a8b9c0d"
            },
            "type": "library"
        },
        {
            "name": "acme/billing",
            "version": "1.0.0",
            "dist": {
                "type": "path",
                "url": "packages/billing",
                "reference": "0f5c1b9a7e3d2c4b6a8f0e1d3c5b7a9f2e4d6c8b"
            },
            "require": {
                "monolog/monolog": "^3.0"
            },
            "type": "library",
            "transport-options": {
                "relative": true
            }
        },
        {
            "name": "acme/legacy-svn",
            "version": "2.3.1",
            "source": {
                "type": "svn",
                "url": "https://svn.acme.example/legacy",
                "reference": "trunk/@1024"
            },
            "dist": null,
            "type": "library"
        },
        {
            "name": "acme/artifact",
            "version": "1.4.0",
            "dist": {
                "type": "zip",
                "url": "artifacts/acme-artifact-1.4.0.zip",
                "shasum": "5f7d3c8a1b2e4f6a8c0d2e4f6a8b0c2d4e6f8a0b"
            },
            "type": "library"
        }
    ],
    "packages-dev": [
        {
            "name": "phpunit/phpunit",
            "version": "10.5.10",
            "source": {
                "type": "git",
                "url": "https://github.com/sebastianbergmann/phpunit.git",
                "reference": "50b8e314b6d0dd06521dc31d1abffa73f25f850c"
            },
            "dist": {
                "type": "zip",
                "url": "https://api.github.com/repos/sebastianbergmann/phpunit/zipball/50b8e314b6d0dd06521dc31d1abffa73f25f850c",
                "reference": "50b8e314b6d0dd06521dc31d1abffa73f25f850c",
                "shasum": ""
            },
            "type": "library"
        },
        {
            "name": "myclabs/deep-copy",
            "version": "1.11.1",
            "dist": {
                "type": "zip",
                "url": "https://api.github.com/repos/myclabs/DeepCopy/zipball/7284c22080590fb39f2ffa3e9057f10a4ddd0e0c",
                "reference": "7284c22080590fb39f2ffa3e9057f10a4ddd0e0c",
                "shasum": ""
            },
            "type": "library"
        }
    ],
    "aliases": [],
    "minimum-stability": "stable",
    "stability-flags": {
        "acme/internal-sdk": 20
    },
    "prefer-stable": false,
    "prefer-lowest": false,
    "platform": {
        "php": "^8.1",
        "ext-mbstring": "*"
    },
    "platform-dev": [],
    "plugin-api-version": "2.6.0"
}
"#;

const FULL_MANIFEST: &str = r#"{
    "name": "acme/shop",
    "type": "project",
    "require": {
        "php": "^8.1",
        "ext-mbstring": "*",
        "Monolog/Monolog": "^3.5",
        "acme/internal-sdk": "dev-main",
        "acme/billing": "*",
        "acme/legacy-svn": "^2.3",
        "acme/artifact": "^1.4"
    },
    "require-dev": {
        "phpunit/phpunit": "^10.5"
    },
    "repositories": [
        {"type": "vcs", "url": "git@git.acme.example:php/internal-sdk.git"},
        {"type": "path", "url": "packages/billing"},
        {"type": "svn", "url": "https://svn.acme.example/legacy"},
        {"type": "artifact", "url": "artifacts/"}
    ]
}"#;

#[test]
fn scopes_sources_and_direct_requirements() {
    let out = run(&[("composer.lock", FULL), ("composer.json", FULL_MANIFEST)]);
    assert_eq!(
        summaries(&out),
        [
            "monolog/monolog@3.5.0 prod direct composer.lock:10",
            "psr/log@3.0.0 prod transitive composer.lock:34",
            "symfony/polyfill-mbstring@v1.29.0 prod transitive composer.lock:54",
            "acme/internal-sdk@dev-main prod direct composer.lock:70",
            "acme/billing@1.0.0 prod direct composer.lock:80",
            "acme/legacy-svn@2.3.1 prod direct composer.lock:96",
            "acme/artifact@1.4.0 prod direct composer.lock:107",
            "phpunit/phpunit@10.5.10 dev direct composer.lock:119",
            "myclabs/deep-copy@1.11.1 dev transitive composer.lock:135",
        ],
        "versions stay as written; requirement names compare case-insensitively"
    );
    assert_eq!(
        sources(&out),
        [
            None,
            None,
            None,
            Some("git"),
            Some("path"),
            Some("url"),
            Some("path"),
            None,
            None
        ]
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn without_a_readable_manifest_directness_is_unknown() {
    let out = run(&[("composer.lock", FULL)]);
    assert!(out.assets.iter().all(|a| summary(a).contains(" direct? ")));

    let out = run(&[
        ("composer.lock", FULL),
        ("composer.json", "{\n  \"require\": {\n"),
    ]);
    assert!(out.assets.iter().all(|a| summary(a).contains(" direct? ")));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].path, "composer.json");
    assert_eq!(out.diagnostics[0].line, Some(3));
}

#[test]
fn broken_entries_are_warnings_and_the_rest_is_read() {
    let text = r#"{
    "packages": [
        {
            "name": "no/version"
        },
        "a string",
        {
            "name": "ok/ok",
            "version": "1.0.0"
        }
    ],
    "packages-dev": [
        {
            "name": "bad/version",
            "version": 1
        }
    ]
}"#;
    let out = run(&[("composer.lock", text)]);
    assert_eq!(summaries(&out), ["ok/ok@1.0.0 prod direct? composer.lock:8"]);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(4), Some(2), Some(14)]);
}

#[test]
fn odd_input_never_panics() {
    for cut in (0..FULL.len()).step_by(61) {
        let Some(prefix) = FULL.get(..cut) else { continue };
        let _ = run_extractor(&ComposerLock, &[("composer.lock", prefix)]);
    }
    for text in [
        "null",
        "\"x\"",
        "{\"packages\": [null, 1, [], {\"name\": \"a/b\", \"version\": \"1\", \"dist\": 3, \"source\": []}]}",
        "{\"packages-dev\": [{\"name\": \"a/b\", \"version\": \"1\", \"dist\": {\"url\": 5}, \"source\": {\"type\": 7}}]}",
    ] {
        let _ = run_extractor(&ComposerLock, &[("composer.lock", text)]);
    }
}
