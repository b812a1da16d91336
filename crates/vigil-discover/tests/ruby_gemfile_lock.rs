//! Fixture ladder for `rubygems/gemfile-lock`.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::ruby_gemfile_lock::GemfileLock;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/lockfiles/ruby/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&GemfileLock, files).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct path:line`, one string per asset.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::RubyGems);
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

const TAIL: &str = "\nPLATFORMS\n  ruby\n\nBUNDLED WITH\n   2.5.6\n";

#[test]
fn not_this_format_is_an_error_with_a_line() {
    for (text, line) in [
        ("{\n  \"packages\": []\n}\n", 1),
        ("  specs:\n    rake (13.0.0)\n", 1),
        (
            "GEM\n  remote: https://rubygems.org/\n  specs:\nrake (13.0.0)\n",
            4,
        ),
        ("# yarn lockfile v1\n", 1),
    ] {
        let error = run_extractor(&GemfileLock, &[("Gemfile.lock", text)]).unwrap_err();
        assert_eq!(error.path, "Gemfile.lock");
        assert_eq!(error.line, Some(line), "{text:?}: {error}");
        assert!(error.message.contains("not a Gemfile.lock"), "{error}");
    }
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        "",
        "\n\n",
        "GEM\n  remote: https://rubygems.org/\n  specs:\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n\nBUNDLED WITH\n   2.5.6\n",
    ] {
        let out = run(&[("Gemfile.lock", text)]);
        assert!(out.assets.is_empty(), "{text:?}");
        assert!(out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn one_and_two_gems() {
    let one = format!(
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.6)\n{TAIL}\nDEPENDENCIES\n  rake\n"
    );
    let out = run(&[("Gemfile.lock", &one)]);
    assert_eq!(summaries(&out), ["rake@13.0.6 unknown direct Gemfile.lock:4"]);
    assert_eq!(sources(&out), [None]);
    assert_eq!(out.assets[0].attr_str("purl"), Some("pkg:gem/rake@13.0.6"));
    assert!(!out.assets[0].attributes.contains_key("platforms"));

    let two = "GEM
  remote: https://rubygems.org/
  specs:
    rack (2.2.3)
    rack-test (1.1.0)
      rack (>= 1.0, < 3)

PLATFORMS
  ruby

DEPENDENCIES
  rack-test (~> 1.1)

BUNDLED WITH
   2.1.4
";
    let gemfile = "source \"https://rubygems.org\"\n\ngem \"rack-test\", \"~> 1.1\"\n";
    let out = run(&[("app/Gemfile.lock", two), ("app/Gemfile", gemfile)]);
    assert_eq!(
        summaries(&out),
        [
            "rack@2.2.3 prod transitive app/Gemfile.lock:4",
            "rack-test@1.1.0 prod direct app/Gemfile.lock:5",
        ]
    );
}

#[test]
fn platform_variants_are_one_gem_with_their_platforms() {
    let text = format!(
        "GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.16.0)
      mini_portile2 (~> 2.8.2)
      racc (~> 1.4)
    nokogiri (1.16.0-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.16.0-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.3)
    sqlite3 (1.7.0-x86_64-linux)
    jruby-openssl (0.14.2-java)
{TAIL}"
    );
    let out = run(&[("Gemfile.lock", &text)]);
    assert_eq!(
        summaries(&out),
        [
            "nokogiri@1.16.0 unknown direct? Gemfile.lock:4",
            "racc@1.7.3 unknown direct? Gemfile.lock:11",
            "sqlite3@1.7.0 unknown direct? Gemfile.lock:12",
            "jruby-openssl@0.14.2 unknown direct? Gemfile.lock:13",
        ]
    );
    let platforms: Vec<_> = out
        .assets
        .iter()
        .map(|a| a.attributes.get("platforms").cloned())
        .collect();
    assert_eq!(
        platforms,
        [
            Some(serde_json::json!(["ruby", "arm64-darwin", "x86_64-linux"])),
            None,
            Some(serde_json::json!(["x86_64-linux"])),
            Some(serde_json::json!(["java"])),
        ]
    );
}

#[test]
fn git_path_and_private_sources_are_marked() {
    let text = "GIT
  remote: https://github.com/rails/rails.git
  revision: 1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d
  branch: main
  specs:
    activesupport (7.2.0.alpha)
      tzinfo (~> 2.0)

PATH
  remote: .
  specs:
    myapp (0.1.0)
      activesupport

PATH
  remote: engines/billing
  specs:
    billing (0.0.1)

GEM
  remote: https://rubygems.org/
  specs:
    tzinfo (2.0.6)

GEM
  remote: https://gems.contribsys.com/
  specs:
    sidekiq-pro (7.2.0)

PLUGIN SOURCE
  remote: s3://gems.example.com/
  type: s3
  specs:
    internal (1.0.0)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  activesupport!
  billing!
  myapp!
  sidekiq-pro
";
    let out = run(&[("Gemfile.lock", text)]);
    assert_eq!(
        summaries(&out),
        [
            "activesupport@7.2.0.alpha unknown direct Gemfile.lock:6",
            "myapp@0.1.0 unknown direct Gemfile.lock:12",
            "billing@0.0.1 unknown direct Gemfile.lock:18",
            "tzinfo@2.0.6 unknown transitive Gemfile.lock:23",
            "sidekiq-pro@7.2.0 unknown direct Gemfile.lock:28",
            "internal@1.0.0 unknown transitive Gemfile.lock:34",
        ]
    );
    assert_eq!(
        sources(&out),
        [
            Some("git"),
            Some("path"),
            Some("path"),
            None,
            Some("registry:https://gems.contribsys.com/"),
            Some("registry:s3://gems.example.com/"),
        ]
    );

    // Bundler 1 puts every remote in one section: with rubygems.org among them nothing can be excluded.
    let merged = "GEM\n  remote: https://gems.example.com/\n  remote: https://rubygems.org/\n  specs:\n    rake (10.5.0)\n";
    let out = run(&[("Gemfile.lock", merged)]);
    assert_eq!(sources(&out), [None]);
    let mirror = "GEM\n  remote: https://gems.ruby-china.com/\n  specs:\n    rake (10.5.0)\n";
    assert_eq!(sources(&run(&[("Gemfile.lock", mirror)])), [None]);
}

const GROUPS_LOCK: &str = "GEM
  remote: https://rubygems.org/
  specs:
    better_errors (2.10.1)
      rack (>= 0.9.0)
    capybara (3.40.0)
      rack (>= 1.6.0)
      xpath (~> 3.2)
    debug (1.9.2)
    mysql2 (0.5.6)
    pg (1.5.6)
    puma (6.4.2)
      nio4r (~> 2.0)
    nio4r (2.7.1)
    rack (3.0.9)
    rspec-rails (6.1.2)
    rubocop (1.62.1)
    simplecov (0.22.0)
    stripe (10.0.0)
    xpath (3.2.0)

PLATFORMS
  ruby

DEPENDENCIES
  better_errors
  capybara
  debug
  mysql2
  pg
  puma (~> 6.0)
  rspec-rails
  rubocop
  simplecov
  stripe
";

const GROUPS_GEMFILE: &str = r#"# frozen_string_literal: true
source "https://rubygems.org"

gem "puma", "~> 6.0" # web server
gem 'pg'
gem "simplecov", require: false, group: :test
gem "rubocop", :group => [:development, :test]
gem "debug", groups: %i[development test], platforms: %i[mri windows]

group :development, :test do
  gem "capybara"
  gem "rspec-rails" # group :production would not count: this is a comment
  platforms :mri do
    gem "better_errors"
  end
end

group :development, :mysql do
  gem "mysql2"
end

if ENV["PAYMENTS"]
  gem "stripe"
end

group :test do
  gem "pg"
end
"#;

#[test]
fn gemfile_groups_give_the_scope() {
    let out = run(&[("Gemfile.lock", GROUPS_LOCK), ("Gemfile", GROUPS_GEMFILE)]);
    assert_eq!(
        summaries(&out),
        [
            "better_errors@2.10.1 dev direct Gemfile.lock:4",
            "capybara@3.40.0 dev direct Gemfile.lock:6",
            "debug@1.9.2 dev direct Gemfile.lock:9",
            "mysql2@0.5.6 prod direct Gemfile.lock:10",
            "pg@1.5.6 prod direct Gemfile.lock:11",
            "puma@6.4.2 prod direct Gemfile.lock:12",
            "nio4r@2.7.1 prod transitive Gemfile.lock:14",
            "rack@3.0.9 dev transitive Gemfile.lock:15",
            "rspec-rails@6.1.2 dev direct Gemfile.lock:16",
            "rubocop@1.62.1 dev direct Gemfile.lock:17",
            "simplecov@0.22.0 dev direct Gemfile.lock:18",
            "stripe@10.0.0 prod direct Gemfile.lock:19",
            "xpath@3.2.0 dev transitive Gemfile.lock:20",
        ],
        "a gem also in a non-dev group, or also outside groups, ships"
    );

    // gems.locked goes with gems.rb; a gem the manifest does not name (a gemspec's) has no known scope, and
    // neither have the gems it pulls in.
    let gems_rb = "source 'https://rubygems.org'\ngemspec\ngroup :test do\n  gem 'capybara'\nend\n";
    let out = run(&[("gems.locked", GROUPS_LOCK), ("gems.rb", gems_rb)]);
    let found = summaries(&out);
    assert_eq!(found[1], "capybara@3.40.0 dev direct gems.locked:6");
    assert_eq!(found[5], "puma@6.4.2 unknown direct gems.locked:12");
    assert_eq!(found[6], "nio4r@2.7.1 unknown transitive gems.locked:14");
    assert_eq!(
        found[7], "rack@3.0.9 unknown transitive gems.locked:15",
        "better_errors (unknown) reaches rack too"
    );
    assert_eq!(found[12], "xpath@3.2.0 dev transitive gems.locked:20");
}

#[test]
fn without_dependencies_section_directness_is_unknown() {
    let text = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.6)\n";
    let out = run(&[("Gemfile.lock", text)]);
    assert_eq!(summaries(&out), ["rake@13.0.6 unknown direct? Gemfile.lock:4"]);
}

#[test]
fn a_bad_spec_is_a_warning_and_the_rest_is_read() {
    let text = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake\n    json ()\n    thor (1.3.1\n    ok (1.0.0)\n\nDEPENDENCIES\n  ok\n";
    let out = run(&[("Gemfile.lock", text)]);
    assert_eq!(summaries(&out), ["ok@1.0.0 unknown direct Gemfile.lock:7"]);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(4), Some(5), Some(6)]);
}

#[test]
fn real_lockfile_2020() {
    // OWASP railsgoat 0802d00 (MIT), Bundler 1.17.3. Counted with python3 over the text: 140 spec lines
    // (`^    name (version)$`) under GEM, no platform suffixes; 42 DEPENDENCIES, all among the specs. Scope by
    // the same rule in python (Gemfile blocks and `group:` options, then reachability over the spec
    // dependency lines): only simplecov (`group: :test`) and what only it needs (docile, simplecov-html) are
    // dev; the `group :development, :mysql` gems also belong to :mysql, so they and the rest are prod.
    let lock = fixture("railsgoat-0802d00-2020.Gemfile.lock");
    let gemfile = fixture("railsgoat-0802d00-2020.Gemfile");
    let out = run(&[("Gemfile.lock", &lock), ("Gemfile", &gemfile)]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let deps: Vec<Dependency> = out
        .assets
        .iter()
        .map(|a| Dependency::from_asset(a).unwrap())
        .collect();
    assert_eq!(deps.len(), 140);
    assert_eq!(deps.iter().filter(|d| d.direct == Some(true)).count(), 42);
    let dev: Vec<&str> = deps
        .iter()
        .filter(|d| d.scope == DependencyScope::Dev)
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(dev, ["docile", "simplecov", "simplecov-html"]);
    assert_eq!(
        deps.iter().filter(|d| d.scope == DependencyScope::Prod).count(),
        137
    );
    assert!(sources(&out).iter().all(Option::is_none));
    let find = |name: &str| {
        summary(
            out.assets
                .iter()
                .find(|a| a.attr_str("name") == Some(name))
                .unwrap(),
        )
    };
    assert_eq!(
        find("nokogiri"),
        "nokogiri@1.10.5 prod transitive Gemfile.lock:194"
    );
    assert_eq!(find("rails"), "rails@6.0.0 prod direct Gemfile.lock:223");
    assert_eq!(find("puma"), "puma@4.2.1 prod direct Gemfile.lock:216");
    assert_eq!(find("simplecov"), "simplecov@0.17.1 dev direct Gemfile.lock:305");
}

#[test]
fn real_lockfile_with_platforms_and_checksums() {
    // OWASP railsgoat 0222f7d (MIT), Bundler 4.0.4, with a CHECKSUMS section. Counted with python3: 197
    // spec lines, 167 distinct name and version (ffi, nokogiri, pg and sqlite3 come in platform
    // variants: nokogiri 9 lines, pg 7); 38 DEPENDENCIES. Scope as for the 2020 file: dev are simplecov
    // and docile, simplecov-html, simplecov_json_formatter; 163 prod.
    let lock = fixture("railsgoat-0222f7d.Gemfile.lock");
    let gemfile = fixture("railsgoat-0222f7d.Gemfile");
    let out = run(&[("Gemfile.lock", &lock), ("Gemfile", &gemfile)]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let deps: Vec<Dependency> = out
        .assets
        .iter()
        .map(|a| Dependency::from_asset(a).unwrap())
        .collect();
    assert_eq!(deps.len(), 167);
    assert_eq!(deps.iter().filter(|d| d.direct == Some(true)).count(), 38);
    assert_eq!(deps.iter().filter(|d| d.scope == DependencyScope::Dev).count(), 4);
    assert_eq!(
        deps.iter().filter(|d| d.scope == DependencyScope::Prod).count(),
        163
    );
    let with_platforms: Vec<&str> = out
        .assets
        .iter()
        .filter(|a| a.attributes.contains_key("platforms"))
        .filter_map(|a| a.attr_str("name"))
        .collect();
    assert_eq!(with_platforms, ["ffi", "nokogiri", "pg", "sqlite3"]);
    let nokogiri = out
        .assets
        .iter()
        .find(|a| a.attr_str("name") == Some("nokogiri"))
        .unwrap();
    assert_eq!(
        summary(nokogiri),
        "nokogiri@1.19.0 prod transitive Gemfile.lock:259"
    );
    assert_eq!(nokogiri.attributes["platforms"].as_array().unwrap().len(), 9);
    let pg = out
        .assets
        .iter()
        .find(|a| a.attr_str("name") == Some("pg"))
        .unwrap();
    assert_eq!(summary(pg), "pg@1.6.3 prod direct Gemfile.lock:285");
}

#[test]
fn odd_input_never_panics() {
    let lock = fixture("railsgoat-0222f7d.Gemfile.lock");
    for cut in (0..lock.len()).step_by(lock.len() / 50).chain([1, 2, 3]) {
        let Some(prefix) = lock.get(..cut) else { continue };
        let _ = run_extractor(&GemfileLock, &[("Gemfile.lock", prefix)]);
    }
    for gemfile in [
        "end\nend\ngroup do\n",
        "gem\ngem '\ngem \"\ngroup: :x\ngem 'a', group:\ngem 'b', :group =>\ngem 'c', groups: [\n",
        "gem \"é\", group: %i[\ngroup :a do |x|\n  gem 'rake' # \"\nend",
    ] {
        let _ = run_extractor(
            &GemfileLock,
            &[("Gemfile.lock", GROUPS_LOCK), ("Gemfile", gemfile)],
        );
    }
    for text in [
        "GEM\n  remote:\n  specs:\n    a (-)\n    b (1-)\n      \n",
        "GEM\n   \u{a0}x\n",
    ] {
        let _ = run_extractor(&GemfileLock, &[("Gemfile.lock", text)]);
    }
}
