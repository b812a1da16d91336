#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `maven/pom`.

mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::maven_pom::MavenPom;

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&MavenPom, files).unwrap_or_else(|e| panic!("{e}"))
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

/// A POM with `body` inside `<project>`; the project element starts on line 2.
fn pom(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  \
         <modelVersion>4.0.0</modelVersion>\n{body}</project>\n"
    )
}

/// One `<dependency>` element spread over one line per child, as in real POMs.
fn dependency(group: &str, artifact: &str, extra: &str) -> String {
    format!(
        "    <dependency>\n      <groupId>{group}</groupId>\n      <artifactId>{artifact}</artifactId>\n{extra}    </dependency>\n"
    )
}

fn dependencies(items: &[String]) -> String {
    format!("  <dependencies>\n{}  </dependencies>\n", items.concat())
}

fn version(v: &str) -> String {
    format!("      <version>{v}</version>\n")
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &MavenPom,
        &[("pom.xml", "<?xml version=\"1.0\"?>\n\n<html><body/></html>\n")],
    )
    .unwrap_err();
    assert_eq!(error.path, "pom.xml");
    assert_eq!(error.line, Some(3));
    assert!(error.message.contains("not a Maven POM"), "{error}");

    let error = run_extractor(
        &MavenPom,
        &[(
            "pom.xml",
            "<project>\n  <dependencies>\n  </dependency>\n</project>\n",
        )],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3));
    assert!(error.message.contains("invalid XML"), "{error}");

    let error = run_extractor(&MavenPom, &[("pom.xml", "<project>\n  <dependencies>\n")]).unwrap_err();
    assert!(error.line.is_some(), "{error}");

    let error = run_extractor(&MavenPom, &[("pom.xml", "\n{\"name\": \"app\"}")]).unwrap_err();
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("invalid XML"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        String::new(),
        "  \n".to_owned(),
        "<?xml version=\"1.0\"?>\n<!-- nothing -->\n".to_owned(),
        "<project/>".to_owned(),
        pom(""),
        pom("  <dependencies>\n  </dependencies>\n"),
    ] {
        let out = run(&[("pom.xml", &text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
        assert!(out.not_checked.is_empty(), "{text}");
    }
}

#[test]
fn one_dependency() {
    let text = pom(&dependencies(&[dependency(
        "org.apache.commons",
        "commons-text",
        &version("1.10.0"),
    )]));
    let out = run(&[("pom.xml", &text)]);
    assert_eq!(
        summaries(&out),
        ["org.apache.commons:commons-text@1.10.0 prod direct pom.xml:5"]
    );
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:maven/org.apache.commons/commons-text@1.10.0")
    );
    assert_eq!(out.assets[0].attr_str("source"), None);
    assert!(out.diagnostics.is_empty());
    assert!(out.not_checked.is_empty());
}

#[test]
fn two_dependencies() {
    let text = pom(&dependencies(&[
        dependency("org.apache.commons", "commons-text", &version("1.10.0")),
        dependency("com.google.guava", "guava", &version("32.1.2-jre")),
    ]));
    let out = run(&[("service/pom.xml", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "org.apache.commons:commons-text@1.10.0 prod direct service/pom.xml:5",
            "com.google.guava:guava@32.1.2-jre prod direct service/pom.xml:10",
        ]
    );
}

#[test]
fn scopes_and_optional() {
    let scoped = |scope: &str| format!("{}      <scope>{scope}</scope>\n", version("1.0"));
    let text = pom(&dependencies(&[
        dependency("g", "compiled", &scoped("compile")),
        dependency("g", "runtime", &scoped("runtime")),
        dependency("g", "tested", &scoped("test")),
        dependency("g", "provided", &scoped("provided")),
        dependency(
            "g",
            "system",
            &format!(
                "{}      <systemPath>${{basedir}}/lib/x.jar</systemPath>\n",
                scoped("system")
            ),
        ),
        dependency(
            "g",
            "optional",
            &format!("{}      <optional>true</optional>\n", version("1.0")),
        ),
        dependency(
            "g",
            "optional-test",
            &format!("{}      <optional>true</optional>\n", scoped("test")),
        ),
        dependency("g", "odd", &scoped("weird")),
    ]));
    let out = run(&[("pom.xml", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "g:compiled@1.0 prod direct pom.xml:5",
            "g:runtime@1.0 prod direct pom.xml:11",
            "g:tested@1.0 dev direct pom.xml:17",
            // Supplied by the runtime in production: still prod.
            "g:provided@1.0 prod direct pom.xml:23",
            "g:system@1.0 prod direct pom.xml:29",
            "g:optional@1.0 optional direct pom.xml:36",
            "g:optional-test@1.0 dev direct pom.xml:42",
            "g:odd@1.0 unknown direct pom.xml:49",
        ]
    );
    let sources: Vec<_> = out.assets.iter().map(|a| a.attr_str("source")).collect();
    assert_eq!(sources[4], Some("path"), "a system-scope jar is a local file");
    assert!(sources.iter().enumerate().all(|(i, s)| i == 4 || s.is_none()));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(49));
    assert!(out.diagnostics[0].message.contains("weird"));
}

#[test]
fn properties_and_project_builtins_are_interpolated() {
    let text = pom(&format!(
        "  <groupId>com.example</groupId>\n  <artifactId>app</artifactId>\n  <version>${{revision}}</version>\n  \
         <properties>\n    <revision>2.5.0</revision>\n    <jackson.version>2.15.${{jackson.patch}}</jackson.version>\n    \
         <jackson.patch>3</jackson.patch>\n    <loop.a>${{loop.b}}</loop.a>\n    <loop.b>${{loop.a}}</loop.b>\n  </properties>\n{}",
        dependencies(&[
            dependency(
                "com.fasterxml.jackson.core",
                "jackson-databind",
                &version("${jackson.version}")
            ),
            dependency("${project.groupId}", "app-core", &version("${project.version}")),
            dependency("g", "missing", &version("${nowhere.version}")),
            dependency("g", "looping", &version("${loop.a}")),
            dependency("g", "ranged", &version("[1.0,2.0)")),
            dependency("g", "unversioned", ""),
        ])
    ));
    let out = run(&[("pom.xml", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "com.fasterxml.jackson.core:jackson-databind@2.15.3 prod direct pom.xml:15",
            "com.example:app-core@2.5.0 prod direct pom.xml:20",
        ]
    );
    assert_eq!(out.not_checked.len(), 1, "one entry per file");
    let entry = &out.not_checked[0];
    assert_eq!(entry.what, "pom.xml");
    assert!(entry.why.starts_with("4 Maven dependencies"), "{}", entry.why);
    for part in [
        "g:missing (property `nowhere.version` is not defined)",
        "g:looping (property `loop.",
        "g:ranged (version range `[1.0,2.0)`)",
        "g:unversioned (no version)",
    ] {
        assert!(entry.why.contains(part), "{part} in {}", entry.why);
    }
    assert!(!entry.why.contains("outside the repository"), "{}", entry.why);
}

#[test]
fn dependency_management_gives_versions_and_scopes() {
    let text = pom(&format!(
        "  <version>3.0.0</version>\n  <properties>\n    <netty.version>4.1.100.Final</netty.version>\n  </properties>\n  \
         <dependencyManagement>\n{}  </dependencyManagement>\n{}",
        dependencies(&[
            dependency("io.netty", "netty-handler", &version("${netty.version}")),
            dependency(
                "org.mockito",
                "mockito-core",
                &format!("{}      <scope>test</scope>\n", version("5.5.0"))
            ),
            dependency(
                "com.example",
                "tool",
                &format!("{}      <classifier>linux</classifier>\n", version("9"))
            ),
        ]),
        dependencies(&[
            dependency("io.netty", "netty-handler", ""),
            dependency("org.mockito", "mockito-core", ""),
            // A declared scope and version win over managed ones.
            dependency(
                "org.mockito",
                "mockito-core",
                &format!("{}      <scope>compile</scope>\n", version("5.6.0"))
            ),
            // Management is keyed by classifier too.
            dependency("com.example", "tool", ""),
        ])
    ));
    let out = run(&[("pom.xml", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "io.netty:netty-handler@4.1.100.Final prod direct pom.xml:30",
            "org.mockito:mockito-core@5.5.0 dev direct pom.xml:34",
            "org.mockito:mockito-core@5.6.0 prod direct pom.xml:38",
        ]
    );
    assert_eq!(out.not_checked.len(), 1);
    assert!(out.not_checked[0].why.contains("com.example:tool (no version)"));
}

/// The parent's properties and management reach the child; `${project.version}` in the parent's
/// management is the child's version, and the child's properties override the parent's.
const PARENT: &str = r#"<project>
  <groupId>com.example</groupId>
  <artifactId>parent</artifactId>
  <version>1.4.0</version>
  <packaging>pom</packaging>
  <properties>
    <spring.version>6.0.0</spring.version>
    <slf4j.version>2.0.7</slf4j.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework</groupId>
        <artifactId>spring-core</artifactId>
        <version>${spring.version}</version>
      </dependency>
      <dependency>
        <groupId>${project.groupId}</groupId>
        <artifactId>common</artifactId>
        <version>${project.version}</version>
      </dependency>
      <dependency>
        <groupId>org.slf4j</groupId>
        <artifactId>slf4j-api</artifactId>
        <version>${slf4j.version}</version>
        <scope>provided</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"#;

const CHILD: &str = r#"<project>
  <parent>
    <groupId>com.example</groupId>
    <artifactId>parent</artifactId>
    <version>1.4.0</version>
  </parent>
  <artifactId>web</artifactId>
  <version>1.5.0-SNAPSHOT</version>
  <properties>
    <spring.version>6.0.11</spring.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-core</artifactId>
    </dependency>
    <dependency>
      <groupId>com.example</groupId>
      <artifactId>common</artifactId>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
    </dependency>
    <dependency>
      <groupId>${project.parent.groupId}</groupId>
      <artifactId>legacy</artifactId>
      <version>${project.parent.version}</version>
    </dependency>
  </dependencies>
</project>
"#;

#[test]
fn parent_in_the_repository_is_resolved() {
    let out = run(&[("web/pom.xml", CHILD), ("pom.xml", PARENT)]);
    // junit is the parent's own dependency: the parent's pom.xml reports it, not the child.
    assert_eq!(
        summaries(&out),
        [
            "org.springframework:spring-core@6.0.11 prod direct web/pom.xml:13",
            "com.example:common@1.5.0-SNAPSHOT prod direct web/pom.xml:17",
            "org.slf4j:slf4j-api@2.0.7 prod direct web/pom.xml:21",
            "com.example:legacy@1.4.0 prod direct web/pom.xml:25",
        ]
    );
    assert!(out.not_checked.is_empty(), "{:?}", out.not_checked);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);

    // The parent on its own.
    let out = run(&[("pom.xml", PARENT)]);
    assert_eq!(summaries(&out), ["junit:junit@4.13.2 dev direct pom.xml:31"]);
}

#[test]
fn grandparents_and_explicit_relative_paths() {
    let child = CHILD.replace(
        "<version>1.4.0</version>\n  </parent>",
        "<version>1.4.0</version>\n    <relativePath>../build/parent</relativePath>\n  </parent>",
    );
    let parent = PARENT
        .replace(
            "<groupId>com.example</groupId>\n  <artifactId>parent</artifactId>",
            "<parent>\n    <groupId>com.example</groupId>\n    <artifactId>root</artifactId>\n    \
             <version>1</version>\n    <relativePath>../../pom.xml</relativePath>\n  </parent>\n  \
             <groupId>com.example</groupId>\n  <artifactId>parent</artifactId>",
        )
        .replace("    <slf4j.version>2.0.7</slf4j.version>\n", "");
    let root = "<project>\n  <groupId>com.example</groupId>\n  <artifactId>root</artifactId>\n  <version>1</version>\n  \
                <properties><slf4j.version>2.0.9</slf4j.version></properties>\n</project>\n";
    let out = run(&[
        ("web/pom.xml", &child),
        ("build/parent/pom.xml", &parent),
        ("pom.xml", root),
    ]);
    assert_eq!(
        summaries(&out),
        [
            "org.springframework:spring-core@6.0.11 prod direct web/pom.xml:14",
            "com.example:common@1.5.0-SNAPSHOT prod direct web/pom.xml:18",
            "org.slf4j:slf4j-api@2.0.9 prod direct web/pom.xml:22",
            "com.example:legacy@1.4.0 prod direct web/pom.xml:26",
        ]
    );
    assert!(out.not_checked.is_empty(), "{:?}", out.not_checked);
}

#[test]
fn parent_outside_the_repository_is_named_for_unresolved_versions() {
    // No ../pom.xml: the parent comes from a Maven repository.
    let out = run(&[("web/pom.xml", CHILD)]);
    assert_eq!(
        summaries(&out),
        ["com.example:legacy@1.4.0 prod direct web/pom.xml:25"]
    );
    assert_eq!(out.not_checked.len(), 1);
    let why = &out.not_checked[0].why;
    assert!(why.starts_with("3 Maven dependencies"), "{why}");
    assert!(
        why.contains("org.springframework:spring-core (no version)"),
        "{why}"
    );
    assert!(why.contains("the parent POM com.example:parent:1.4.0"), "{why}");

    // An empty relativePath forbids the local lookup, even if ../pom.xml is the parent.
    let child = CHILD.replace(
        "</version>\n  </parent>",
        "</version>\n    <relativePath/>\n  </parent>",
    );
    let out = run(&[("web/pom.xml", &child), ("pom.xml", PARENT)]);
    assert_eq!(out.assets.len(), 1);
    assert_eq!(out.not_checked.len(), 1);

    // A ../pom.xml that is another project (an aggregator) is skipped quietly, as Maven does.
    let other = PARENT.replace(
        "<artifactId>parent</artifactId>",
        "<artifactId>aggregator</artifactId>",
    );
    let out = run(&[("web/pom.xml", CHILD), ("pom.xml", &other)]);
    assert_eq!(out.assets.len(), 1);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(out.not_checked[0].why.contains("com.example:parent:1.4.0"));

    // ...but an explicit relativePath to the wrong project is worth a warning.
    let child = CHILD.replace(
        "</version>\n  </parent>",
        "</version>\n    <relativePath>../pom.xml</relativePath>\n  </parent>",
    );
    let out = run(&[("web/pom.xml", &child), ("pom.xml", &other)]);
    assert_eq!(out.assets.len(), 1);
    assert_eq!(out.diagnostics.len(), 1);
    assert!(
        out.diagnostics[0]
            .message
            .contains("com.example:aggregator:1.4.0"),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn parent_cycles_and_broken_parents_do_not_hang() {
    let a = "<project>\n  <parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version>\
             <relativePath>../b/pom.xml</relativePath></parent>\n  <artifactId>a</artifactId>\n  \
             <dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>${v}</version>\
             </dependency></dependencies>\n</project>\n";
    let b = "<project>\n  <parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version>\
             <relativePath>../a/pom.xml</relativePath></parent>\n  <artifactId>b</artifactId>\n</project>\n";
    let out = run(&[("a/pom.xml", a), ("b/pom.xml", b)]);
    assert!(out.assets.is_empty());
    assert_eq!(out.not_checked.len(), 1);
    assert!(
        out.diagnostics.iter().any(|d| d.message.contains("cycle")),
        "{:?}",
        out.diagnostics
    );

    let out = run(&[("a/pom.xml", a), ("b/pom.xml", "<project><broken></project>")]);
    assert!(out.assets.is_empty());
    assert!(
        out.diagnostics.iter().any(|d| d.message.contains("b/pom.xml")),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn bom_imports_are_recorded() {
    let text = pom(&format!(
        "  <properties>\n    <boot.version>3.1.4</boot.version>\n  </properties>\n  <dependencyManagement>\n{}  \
         </dependencyManagement>\n{}",
        dependencies(&[dependency(
            "org.springframework.boot",
            "spring-boot-dependencies",
            &format!(
                "{}      <type>pom</type>\n      <scope>import</scope>\n",
                version("${boot.version}")
            ),
        )]),
        dependencies(&[
            dependency("org.springframework.boot", "spring-boot-starter-web", ""),
            dependency("org.yaml", "snakeyaml", &version("2.2")),
        ])
    ));
    let out = run(&[("pom.xml", &text)]);
    assert_eq!(summaries(&out), ["org.yaml:snakeyaml@2.2 prod direct pom.xml:23"]);
    let why = &out.not_checked[0].why;
    assert!(why.starts_with("1 Maven dependency has"), "{why}");
    assert!(
        why.contains("org.springframework.boot:spring-boot-starter-web (no version)"),
        "{why}"
    );
    assert!(
        why.contains("the imported BOMs org.springframework.boot:spring-boot-dependencies:3.1.4"),
        "{why}"
    );
}

#[test]
fn profiles_duplicates_and_bad_entries() {
    let text = pom(&format!(
        "{}  <profiles>\n    <profile>\n      <id>native</id>\n      <properties>\n        \
         <graal.version>23.0.1</graal.version>\n      </properties>\n{}    </profile>\n    <profile>\n      \
         <id>default</id>\n      <activation>\n        <activeByDefault>true</activeByDefault>\n      </activation>\n{}    \
         </profile>\n  </profiles>\n",
        dependencies(&[
            dependency(
                "io.netty",
                "netty-transport-native-epoll",
                &format!(
                    "{}      <classifier>linux-x86_64</classifier>\n      <scope>test</scope>\n",
                    version("4.1.100.Final")
                )
            ),
            dependency(
                "io.netty",
                "netty-transport-native-epoll",
                &version("4.1.100.Final")
            ),
            "    <dependency>\n      <artifactId>nameless</artifactId>\n    </dependency>\n".to_owned(),
        ]),
        dependencies(&[dependency(
            "org.graalvm.sdk",
            "graal-sdk",
            &version("${graal.version}")
        )]),
        dependencies(&[dependency("org.postgresql", "postgresql", &version("42.6.0"))]),
    ));
    let out = run(&[("pom.xml", &text)]);
    assert_eq!(
        summaries(&out),
        [
            // Two classifiers of one artifact: one asset, the first line, the scope nearest production.
            "io.netty:netty-transport-native-epoll@4.1.100.Final prod direct pom.xml:5",
            "org.graalvm.sdk:graal-sdk@23.0.1 optional direct pom.xml:28",
            "org.postgresql:postgresql@42.6.0 prod direct pom.xml:41",
        ]
    );
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(17));
    assert!(out.not_checked.is_empty());
}

#[test]
fn real_pom_terragoat() {
    let path = format!(
        "{}/../../fixtures/lockfiles/maven/terragoat-packages.pom.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    // Read by eye (and `grep -n '<dependency>'`): three dependencies with literal versions, two of them
    // `<scope>test</scope>`; the profile only configures a plugin.
    let out = run(&[("packages/pom.xml", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "org.apache.commons:commons-compress@1.15 prod direct packages/pom.xml:28",
            "junit:junit@4.12 dev direct packages/pom.xml:33",
            "com.github.stefanbirkner:system-rules@1.19.0 dev direct packages/pom.xml:39",
        ]
    );
    assert!(out.diagnostics.is_empty());
    assert!(out.not_checked.is_empty());
}

#[test]
fn real_pom_wrongsecrets() {
    // wrongsecrets is AGPL-licensed, so it is read in place rather than copied into the repository.
    let path = format!(
        "{}/../../../shared/data/lockfiles/maven/wrongsecrets.pom.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: ../shared/data not present");
        return;
    };
    // Counted with python3 (xml.etree): 43 top-level <dependency> elements; 29 carry a <version>, every
    // `${...}` of them defined in <properties>; 6 of those are `test`, lombok is `provided`. The other 14
    // have no version: they are managed by the parent spring-boot-starter-parent (not in the repository)
    // or by imported BOMs.
    let out = run(&[("pom.xml", &text)]);
    let deps: Vec<Dependency> = out
        .assets
        .iter()
        .map(|a| Dependency::from_asset(a).unwrap())
        .collect();
    assert_eq!(deps.len(), 29);
    assert_eq!(deps.iter().filter(|d| d.scope.as_str() == "dev").count(), 6);
    assert_eq!(deps.iter().filter(|d| d.scope.as_str() == "prod").count(), 23);
    let find = |name: &str| {
        summary(
            out.assets
                .iter()
                .find(|a| a.attr_str("name") == Some(name))
                .unwrap(),
        )
    };
    assert_eq!(
        find("org.projectlombok:lombok"),
        "org.projectlombok:lombok@1.18.46 prod direct pom.xml:128"
    );
    assert_eq!(
        find("io.gatling.highcharts:gatling-charts-highcharts"),
        "io.gatling.highcharts:gatling-charts-highcharts@3.15.1 dev direct pom.xml:323"
    );
    assert_eq!(
        find("org.springframework.vault:spring-vault-core"),
        "org.springframework.vault:spring-vault-core@4.1.0 prod direct pom.xml:359"
    );
    assert_eq!(out.not_checked.len(), 1);
    let why = &out.not_checked[0].why;
    assert!(why.starts_with("14 Maven dependencies"), "{why}");
    assert!(
        why.contains("org.springframework.boot:spring-boot-starter-parent:4.1.0"),
        "{why}"
    );
    assert!(why.contains("com.google.cloud:libraries-bom:26.86.0"), "{why}");
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn hostile_input_never_panics() {
    let deep = format!("<project>{}{}</project>", "<a>".repeat(500), "</a>".repeat(500));
    assert!(run_extractor(&MavenPom, &[("pom.xml", &deep)]).is_err());

    // Properties that expand exponentially stop at the lookup budget.
    let mut properties = String::new();
    for i in 0..40 {
        properties.push_str(&format!("<p{i}>{}</p{i}>", format!("${{p{}}}", i + 1).repeat(8)));
    }
    properties.push_str("<p40></p40>");
    let text = pom(&format!(
        "  <properties>{properties}</properties>\n{}",
        dependencies(&[dependency("g", "a", &version("${p0}"))])
    ));
    let out = run(&[("pom.xml", &text)]);
    assert!(out.assets.is_empty());
    assert_eq!(out.not_checked.len(), 1);

    let text = std::fs::read_to_string(format!(
        "{}/../../fixtures/lockfiles/maven/terragoat-packages.pom.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    for cut in (0..text.len()).step_by(97) {
        if text.is_char_boundary(cut) {
            let _ = run_extractor(&MavenPom, &[("pom.xml", &text[..cut])]);
        }
    }
}
