//! Gradle dependency locking: `gradle.lockfile` (Gradle 6+, one file per project, each line
//! `group:artifact:version=conf1,conf2`, an `empty=conf,...` line for configurations without
//! dependencies; also `buildscript-gradle.lockfile` and `settings-gradle.lockfile`) and the older per-configuration
//! files `gradle/dependency-locks/<configuration>.lockfile` (Gradle 4.8 to 6, bare `group:artifact:version`
//! lines; the configuration is the file name).
//!
//! Packages are Maven artifacts named `group:artifact` as in OSV. The lockfile does not say which were
//! asked for directly (`direct` is unknown). The scope comes from the configurations that resolve each
//! line: any non-test `*compileClasspath`/`*runtimeClasspath` is prod; configurations that are all test
//! (`test*`, `*TestCompileClasspath`, `*TestRuntimeClasspath`) or build tooling (annotation processors,
//! `kapt*`, the buildscript `classpath`) are dev; anything else (a plugin's own configuration) is unknown.
//! A line with several versions of one package under different configurations gives one asset each.

use vigil_core::{Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile, parent_dir};

#[derive(Debug)]
pub struct GradleLockfile;

const LOCKS_DIR: &str = "gradle/dependency-locks";

impl Extractor for GradleLockfile {
    fn name(&self) -> &'static str {
        "maven/gradle-lockfile"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        matches!(
            file_name,
            "gradle.lockfile" | "buildscript-gradle.lockfile" | "settings-gradle.lockfile"
        ) || (file_name.ends_with(".lockfile") && is_locks_dir(parent_dir(path)))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        // Old per-configuration files name their configuration; `buildscript-` ones lock the build's classpath.
        let file_configuration = if is_locks_dir(file.dir()) {
            let stem = file_name.strip_suffix(".lockfile").unwrap_or(file_name);
            Some(stem.strip_prefix("buildscript-").unwrap_or(stem))
        } else if file_name == "buildscript-gradle.lockfile" {
            Some("classpath")
        } else {
            None
        };

        let mut entries = 0_usize;
        let mut first_bad: Option<(u32, String)> = None;
        let mut bad = Vec::new();
        for (index, raw) in file.text.lines().enumerate() {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let text = raw.trim().trim_start_matches('\u{feff}');
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let (coordinates, configurations) = match text.split_once('=') {
                Some(("empty", _)) => {
                    entries += 1;
                    continue;
                }
                Some((coordinates, configurations)) => (coordinates.trim(), configurations.trim()),
                None => (text, file_configuration.unwrap_or("")),
            };
            let parts: Vec<&str> = coordinates.split(':').collect();
            let [group, artifact, version] = parts.as_slice() else {
                let message = format!("`{text}` is not `group:artifact:version`; skipped");
                first_bad.get_or_insert((line, message.clone()));
                bad.push(file.warning(Some(line), message));
                continue;
            };
            if [group, artifact, version]
                .iter()
                .any(|p| p.is_empty() || p.contains(char::is_whitespace))
            {
                let message = format!("`{text}` is not `group:artifact:version`; skipped");
                first_bad.get_or_insert((line, message.clone()));
                bad.push(file.warning(Some(line), message));
                continue;
            }
            entries += 1;
            let dependency = Dependency {
                ecosystem: Ecosystem::Maven,
                name: format!("{group}:{artifact}"),
                version: (*version).to_owned(),
                direct: None,
                scope: scope(configurations),
            };
            out.assets.push(dependency.into_asset(file.evidence(Some(line))));
        }
        if entries == 0
            && let Some((line, message)) = first_bad
        {
            // Not one line of the format: some other file under a lockfile's name.
            return Err(file.error(Some(line), format!("not a Gradle lockfile: {message}")));
        }
        out.diagnostics.extend(bad);
        Ok(())
    }
}

fn is_locks_dir(dir: &str) -> bool {
    dir == LOCKS_DIR || dir.ends_with(&format!("/{LOCKS_DIR}"))
}

fn scope(configurations: &str) -> DependencyScope {
    let configurations: Vec<&str> = configurations
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if configurations.iter().any(|c| is_classpath(c) && !is_test(c)) {
        DependencyScope::Prod
    } else if !configurations.is_empty() && configurations.iter().all(|c| is_test(c) || is_tooling(c)) {
        DependencyScope::Dev
    } else {
        DependencyScope::Unknown
    }
}

fn is_classpath(configuration: &str) -> bool {
    let lower = configuration.to_ascii_lowercase();
    lower.ends_with("compileclasspath") || lower.ends_with("runtimeclasspath")
}

/// `testCompileClasspath`, `testFixturesRuntimeClasspath`, `integrationTestRuntimeClasspath`,
/// Android's `debugUnitTestRuntimeClasspath` and `debugAndroidTestCompileClasspath`.
fn is_test(configuration: &str) -> bool {
    configuration.starts_with("test")
        || configuration.ends_with("TestCompileClasspath")
        || configuration.ends_with("TestRuntimeClasspath")
}

/// Configurations that run during the build and never ship.
fn is_tooling(configuration: &str) -> bool {
    configuration == "classpath"
        || configuration == "annotationProcessor"
        || configuration.ends_with("AnnotationProcessor")
        || configuration.starts_with("kapt")
}
