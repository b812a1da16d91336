#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `nuget/project-file`.

mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, Ecosystem, Level};
use vigil_discover::extractors::nuget_project::NugetProject;
use vigil_discover::{Extractor, Output};

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&NugetProject, files).unwrap_or_else(|e| panic!("{e}"))
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

/// An SDK-style project whose `<ItemGroup>` holds `items` and starts on line 6.
fn project(items: &str) -> String {
    format!(
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  \
         </PropertyGroup>\n\n  <ItemGroup>\n{items}  </ItemGroup>\n</Project>\n"
    )
}

#[test]
fn claims_project_files_and_central_versions() {
    let claims = |path: &str| NugetProject.claims(path, path.rsplit('/').next().unwrap());
    assert!(claims("src/App/App.csproj"));
    assert!(claims("Lib.fsproj"));
    assert!(claims("Legacy.VBPROJ"));
    assert!(claims("Directory.Packages.props"));
    assert!(!claims("Directory.Build.props"));
    assert!(!claims("packages.config"));
    assert!(!claims("App.csproj.user"));
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &NugetProject,
        &[(
            "App.csproj",
            "<?xml version=\"1.0\"?>\n<packages>\n  <package id=\"x\" />\n</packages>\n",
        )],
    )
    .unwrap_err();
    assert_eq!(error.path, "App.csproj");
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("not an MSBuild project"), "{error}");

    let error = run_extractor(
        &NugetProject,
        &[(
            "App.csproj",
            "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"A\" Version=1.0 />\n",
        )],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3));

    let error = run_extractor(
        &NugetProject,
        &[("Directory.Packages.props", "<Project>\n<ItemGroup>\n</Project>")],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3));
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        String::new(),
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_owned(),
        "<Project Sdk=\"Microsoft.NET.Sdk\" />".to_owned(),
        project(""),
    ] {
        let out = run(&[("App.csproj", &text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
        assert!(out.not_checked.is_empty(), "{text}");
    }
}

#[test]
fn one_reference() {
    let text = project("    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />\n");
    let out = run(&[("App.csproj", &text)]);
    assert_eq!(
        summaries(&out),
        ["Newtonsoft.Json@13.0.3 prod direct App.csproj:7"]
    );
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:nuget/Newtonsoft.Json@13.0.3")
    );
    assert!(out.diagnostics.is_empty());
    assert!(out.not_checked.is_empty());
}

#[test]
fn two_references_attribute_and_element() {
    let text = project(
        "    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />\n    \
         <PackageReference Include=\"Serilog\">\n      <Version>3.1.1</Version>\n    </PackageReference>\n",
    );
    let out = run(&[("src/App/App.csproj", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "Newtonsoft.Json@13.0.3 prod direct src/App/App.csproj:7",
            "Serilog@3.1.1 prod direct src/App/App.csproj:8",
        ]
    );
}

#[test]
fn private_assets_are_dev_and_exact_ranges_resolve() {
    let text = project(
        "    <PackageReference Include=\"StyleCop.Analyzers\" Version=\"1.1.118\" PrivateAssets=\"all\" />\n    \
         <PackageReference Include=\"Microsoft.SourceLink.GitHub\" Version=\"[8.0.0]\">\n      \
         <PrivateAssets>All</PrivateAssets>\n      <IncludeAssets>runtime; build</IncludeAssets>\n    </PackageReference>\n    \
         <PackageReference Include=\"Polly\" Version=\"8.2.0\" PrivateAssets=\"compile;contentfiles\" />\n",
    );
    let out = run(&[("App.csproj", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "StyleCop.Analyzers@1.1.118 dev direct App.csproj:7",
            "Microsoft.SourceLink.GitHub@8.0.0 dev direct App.csproj:8",
            "Polly@8.2.0 prod direct App.csproj:12",
        ]
    );
}

const BUILD_PROPS: &str = r#"<Project>
  <PropertyGroup>
    <AspNetVersion>8.0.1</AspNetVersion>
    <XunitVersion>2.4.2</XunitVersion>
  </PropertyGroup>
</Project>
"#;

const CENTRAL: &str = r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
    <XunitVersion>2.6.6</XunitVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Microsoft.AspNetCore.OpenApi" Version="$(AspNetVersion)" />
    <PackageVersion Include="xunit" Version="$(XunitVersion)" />
    <PackageVersion Include="Dapper" Version="2.1.24" />
    <PackageVersion Include="FluentAssertions" Version="$(FluentVersion)" />
  </ItemGroup>
  <ItemGroup>
    <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6.133" />
  </ItemGroup>
</Project>
"#;

#[test]
fn central_package_management_and_properties() {
    let text = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <FluentVersion>6.12.0</FluentVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.AspNetCore.OpenApi" />
    <PackageReference Include="xunit" PrivateAssets="all" />
    <PackageReference Include="dapper" VersionOverride="2.0.123" />
    <PackageReference Include="FluentAssertions" />
    <PackageReference Include="Unmanaged.Package" />
  </ItemGroup>
</Project>
"#;
    let out = run(&[
        ("src/Api/Api.csproj", text),
        ("Directory.Packages.props", CENTRAL),
        ("src/Directory.Build.props", BUILD_PROPS),
    ]);
    assert_eq!(
        summaries(&out),
        [
            "Microsoft.AspNetCore.OpenApi@8.0.1 prod direct src/Api/Api.csproj:6",
            // Directory.Packages.props is imported after Directory.Build.props and overrides it.
            "xunit@2.6.6 dev direct src/Api/Api.csproj:7",
            "dapper@2.0.123 prod direct src/Api/Api.csproj:8",
            // The project's own property reaches the central version: properties are evaluated first.
            "FluentAssertions@6.12.0 prod direct src/Api/Api.csproj:9",
        ]
    );
    assert_eq!(out.not_checked.len(), 1);
    assert_eq!(out.not_checked[0].what, "src/Api/Api.csproj");
    assert!(
        out.not_checked[0].why.contains("Unmanaged.Package (no version)"),
        "{:?}",
        out.not_checked
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);

    // The central file itself yields nothing.
    let out = run(&[("Directory.Packages.props", CENTRAL)]);
    assert!(out.assets.is_empty() && out.diagnostics.is_empty() && out.not_checked.is_empty());
}

#[test]
fn unresolved_versions_are_not_checked() {
    let text = project(
        "    <PackageReference Include=\"A\" Version=\"$(Missing)\" />\n    \
         <PackageReference Include=\"B\" Version=\"1.*\" />\n    \
         <PackageReference Include=\"C\" Version=\"[1.0,2.0)\" />\n    \
         <PackageReference Include=\"D\" Version=\"$([System.IO.File]::ReadAllText('v.txt'))\" />\n    \
         <PackageReference Include=\"E\" />\n",
    );
    let out = run(&[("App.csproj", &text)]);
    assert!(out.assets.is_empty());
    assert_eq!(out.not_checked.len(), 1);
    let why = &out.not_checked[0].why;
    assert!(why.starts_with("5 NuGet package references"), "{why}");
    for part in [
        "A (property `Missing` is not defined)",
        "B (`1.*` is a range or a floating version)",
        "C (`[1.0,2.0)` is a range or a floating version)",
        "D (property functions are not evaluated)",
        "E (no version)",
    ] {
        assert!(why.contains(part), "{part} in {why}");
    }
}

#[test]
fn conditions_are_not_evaluated() {
    let text = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFrameworks>net48;net8.0</TargetFrameworks>
    <JsonVersion Condition="'$(JsonVersion)' == ''">7.0.0</JsonVersion>
    <HttpVersion Condition="'$(TargetFramework)' == 'net48'">4.3.4</HttpVersion>
    <HttpVersion Condition="'$(TargetFramework)' != 'net48'">4.3.0</HttpVersion>
  </PropertyGroup>
  <PropertyGroup>
    <JsonVersion>8.0.0</JsonVersion>
  </PropertyGroup>
  <ItemGroup Condition="'$(TargetFramework)' == 'net48'">
    <PackageReference Include="System.Text.Json" Version="$(JsonVersion)" />
    <PackageReference Include="System.Net.Http" Version="$(HttpVersion)" />
    <PackageReference Include="Microsoft.Bcl.AsyncInterfaces" Version="8.0.0" PrivateAssets="all" />
  </ItemGroup>
  <Choose>
    <When Condition="'$(TargetFramework)' == 'net8.0'">
      <ItemGroup>
        <PackageReference Include="Microsoft.Bcl.AsyncInterfaces" Version="8.0.0" />
      </ItemGroup>
    </When>
  </Choose>
  <Target Name="Pack">
    <ItemGroup>
      <PackageReference Include="Not.Evaluated" Version="1.0.0" />
    </ItemGroup>
  </Target>
</Project>
"#;
    let out = run(&[("Lib.csproj", text)]);
    assert_eq!(
        summaries(&out),
        [
            // The unconditional definition wins over the conditional default.
            "System.Text.Json@8.0.0 prod direct Lib.csproj:12",
            // Dev under one condition, prod under another: prod.
            "Microsoft.Bcl.AsyncInterfaces@8.0.0 prod direct Lib.csproj:14",
        ]
    );
    assert!(
        out.not_checked[0]
            .why
            .contains("System.Net.Http (property `HttpVersion` is not defined)"),
        "{:?}",
        out.not_checked
    );
}

#[test]
fn a_sibling_lockfile_is_authoritative() {
    let text = project("    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />\n");
    let out = run(&[
        ("src/App/App.csproj", &text),
        ("src/App/packages.lock.json", "{\"version\": 1}"),
    ]);
    assert!(out.assets.is_empty());
    assert!(out.not_checked.is_empty());
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].level, Level::Info);
    assert!(out.diagnostics[0].message.contains("src/App/packages.lock.json"));

    // A lockfile elsewhere belongs to another project.
    let out = run(&[
        ("src/App/App.csproj", &text),
        ("packages.lock.json", "{\"version\": 1}"),
    ]);
    assert_eq!(out.assets.len(), 1);
}

#[test]
fn legacy_namespaced_projects_odd_items_and_case() {
    let text = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n\
                <Project ToolsVersion=\"15.0\" xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\r\n  \
                <ItemGroup>\r\n    \
                <packagereference include=\"log4net\" version=\"2.0.15\" />\r\n    \
                <PackageReference Update=\"Microsoft.NETCore.App\" Version=\"2.1.0\" />\r\n    \
                <PackageReference Version=\"1.0.0\" />\r\n    \
                <PackageReference Include=\"Azure.Core;Azure.Identity\" Version=\"1.36.0\" />\r\n    \
                <PackageReference Include=\"log4net\" Version=\"2.0.15\" />\r\n  \
                </ItemGroup>\r\n</Project>\r\n";
    let out = run(&[("Legacy.csproj", text)]);
    assert_eq!(
        summaries(&out),
        [
            "log4net@2.0.15 prod direct Legacy.csproj:4",
            "Azure.Core@1.36.0 prod direct Legacy.csproj:7",
            "Azure.Identity@1.36.0 prod direct Legacy.csproj:7",
        ]
    );
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(out.diagnostics[0].line, Some(6));
}

#[test]
fn hostile_input_never_panics() {
    let mut properties = String::new();
    for i in 0..40 {
        properties.push_str(&format!("<P{i}>{}</P{i}>", format!("$(P{})", i + 1).repeat(8)));
    }
    properties.push_str("<P40></P40>");
    let text = format!(
        "<Project><PropertyGroup>{properties}</PropertyGroup>\n{}</Project>",
        "<ItemGroup><PackageReference Include=\"A\" Version=\"1$(P0)\" /></ItemGroup>"
    );
    let out = run(&[("App.csproj", &text)]);
    assert!(out.assets.is_empty());
    assert_eq!(out.not_checked.len(), 1);

    let text = project("    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />\n");
    for cut in 0..text.len() {
        let _ = run_extractor(&NugetProject, &[("App.csproj", &text[..cut])]);
    }
}
