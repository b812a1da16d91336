#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `maven/gradle-lockfile`.

mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, Ecosystem};
use vigil_discover::Extractor;
use vigil_discover::Output;
use vigil_discover::extractors::gradle_lockfile::GradleLockfile;

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&GradleLockfile, files).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct path:line`, one string per asset.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::Maven);
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

const HEADER: &str = "# This is a Gradle generated file for dependency locking.\n\
                      # Manual edits can break the build and are not advised.\n\
                      # This file is expected to be part of source control.\n";

#[test]
fn claims_current_and_legacy_names() {
    let claims = |path: &str| GradleLockfile.claims(path, path.rsplit('/').next().unwrap());
    assert!(claims("gradle.lockfile"));
    assert!(claims("app/gradle.lockfile"));
    assert!(claims("buildscript-gradle.lockfile"));
    assert!(claims("gradle/dependency-locks/compileClasspath.lockfile"));
    assert!(claims(
        "lib/gradle/dependency-locks/buildscript-classpath.lockfile"
    ));
    assert!(!claims("other.lockfile"));
    assert!(!claims("dependency-locks/compileClasspath.lockfile"));
    assert!(!claims("gradle.lockfile.bak"));
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &GradleLockfile,
        &[("gradle.lockfile", "# comment\n{\n  \"lockfileVersion\": 3\n}\n")],
    )
    .unwrap_err();
    assert_eq!(error.path, "gradle.lockfile");
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("not a Gradle lockfile"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        String::new(),
        "\n\n".to_owned(),
        HEADER.to_owned(),
        format!("{HEADER}empty=\n"),
        format!("{HEADER}empty=annotationProcessor,testAnnotationProcessor\n"),
    ] {
        let out = run(&[("gradle.lockfile", &text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
    }
}

#[test]
fn one_package() {
    let text =
        format!("{HEADER}com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath\nempty=\n");
    let out = run(&[("gradle.lockfile", &text)]);
    assert_eq!(
        summaries(&out),
        ["com.google.guava:guava@32.1.2-jre prod direct? gradle.lockfile:4"]
    );
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:maven/com.google.guava/guava@32.1.2-jre")
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn two_packages() {
    let text = format!(
        "{HEADER}com.google.guava:failureaccess:1.0.1=compileClasspath,runtimeClasspath\n\
         com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath\nempty=\n"
    );
    let out = run(&[("app/gradle.lockfile", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "com.google.guava:failureaccess@1.0.1 prod direct? app/gradle.lockfile:4",
            "com.google.guava:guava@32.1.2-jre prod direct? app/gradle.lockfile:5",
        ]
    );
}

#[test]
fn scopes_follow_configurations() {
    let text = format!(
        "{HEADER}\
         a:prod:1=compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath\n\
         a:compile-only:1=compileClasspath\n\
         a:android:1=releaseRuntimeClasspath\n\
         a:junit:1=testCompileClasspath,testRuntimeClasspath\n\
         a:fixtures:1=testFixturesRuntimeClasspath\n\
         a:it:1=integrationTestRuntimeClasspath\n\
         a:android-test:1=debugAndroidTestCompileClasspath,debugUnitTestRuntimeClasspath\n\
         a:processor:1=annotationProcessor,kaptDebug\n\
         a:detekt:1=detekt\n\
         a:none:1\n\
         empty=\n"
    );
    let out = run(&[("gradle.lockfile", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "a:prod@1 prod direct? gradle.lockfile:4",
            "a:compile-only@1 prod direct? gradle.lockfile:5",
            "a:android@1 prod direct? gradle.lockfile:6",
            "a:junit@1 dev direct? gradle.lockfile:7",
            "a:fixtures@1 dev direct? gradle.lockfile:8",
            "a:it@1 dev direct? gradle.lockfile:9",
            "a:android-test@1 dev direct? gradle.lockfile:10",
            "a:processor@1 dev direct? gradle.lockfile:11",
            // A plugin's own configuration: nothing says whether it ships.
            "a:detekt@1 unknown direct? gradle.lockfile:12",
            "a:none@1 unknown direct? gradle.lockfile:13",
        ]
    );
}

#[test]
fn several_versions_of_one_package() {
    let text = format!(
        "{HEADER}org.slf4j:slf4j-api:1.7.36=compileClasspath\norg.slf4j:slf4j-api:2.0.9=runtimeClasspath,testRuntimeClasspath\n"
    );
    let out = run(&[("gradle.lockfile", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "org.slf4j:slf4j-api@1.7.36 prod direct? gradle.lockfile:4",
            "org.slf4j:slf4j-api@2.0.9 prod direct? gradle.lockfile:5",
        ]
    );
}

#[test]
fn legacy_per_configuration_files() {
    let text = format!("{HEADER}junit:junit:4.13.2\norg.hamcrest:hamcrest-core:1.3\n");
    let out = run(&[("gradle/dependency-locks/testRuntimeClasspath.lockfile", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "junit:junit@4.13.2 dev direct? gradle/dependency-locks/testRuntimeClasspath.lockfile:4",
            "org.hamcrest:hamcrest-core@1.3 dev direct? gradle/dependency-locks/testRuntimeClasspath.lockfile:5",
        ]
    );
    let out = run(&[("lib/gradle/dependency-locks/runtimeClasspath.lockfile", "a:b:1\n")]);
    assert_eq!(
        summaries(&out),
        ["a:b@1 prod direct? lib/gradle/dependency-locks/runtimeClasspath.lockfile:1"]
    );
    // The build script's own classpath: plugins, not the product.
    let out = run(&[(
        "gradle/dependency-locks/buildscript-classpath.lockfile",
        "a:plugin:1\n",
    )]);
    assert_eq!(out.assets[0].attr_str("scope"), Some("dev"));
    let out = run(&[("buildscript-gradle.lockfile", "a:plugin:1=classpath\n")]);
    assert_eq!(out.assets[0].attr_str("scope"), Some("dev"));
}

#[test]
fn bad_lines_are_warnings() {
    let text = format!(
        "{HEADER}a:b:1=runtimeClasspath\nnot a coordinate\na:b=runtimeClasspath\na::1=runtimeClasspath\nc:d:2=runtimeClasspath\r\n"
    );
    let out = run(&[("gradle.lockfile", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "a:b@1 prod direct? gradle.lockfile:4",
            "c:d@2 prod direct? gradle.lockfile:8"
        ]
    );
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(5), Some(6), Some(7)]);
}
