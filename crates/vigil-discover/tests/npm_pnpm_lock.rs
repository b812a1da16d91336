//! Fixture ladder for `npm/pnpm-lock`. No real pnpm lockfile is available, so the fixtures are written
//! in the shape each pnpm release writes: 5.4 (pnpm 7), 6.0 (pnpm 8) and 9.0 (pnpm 9 and 10).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::npm_pnpm_lock::PnpmLock;

fn run(text: &str) -> Output {
    run_extractor(&PnpmLock, &[("pnpm-lock.yaml", text)]).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct line`, one string per asset.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::Npm);
    assert_eq!(asset.evidence[0].path, "pnpm-lock.yaml");
    let direct = match dep.direct {
        Some(true) => "direct",
        Some(false) => "transitive",
        None => "direct?",
    };
    format!(
        "{}@{} {} {direct} :{}",
        dep.name,
        dep.version,
        dep.scope.as_str(),
        asset.evidence[0].line.unwrap()
    )
}

fn summaries(out: &Output) -> Vec<String> {
    out.assets.iter().map(summary).collect()
}

fn sources(out: &Output) -> Vec<Option<&str>> {
    out.assets.iter().map(|a| a.attr_str("source")).collect()
}

fn workspaces(asset: &Asset) -> Option<serde_json::Value> {
    asset.attributes.get("workspaces").cloned()
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    for (text, line, message) in [
        (
            "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: [\n",
            3,
            "invalid YAML",
        ),
        ("- 1\n- 2\n", 1, "not a pnpm lockfile"),
        ("name: app\nversion: 1.0.0\n", 1, "no `lockfileVersion`"),
        (
            "lockfileVersion: '9.0'\n\npackages: 7\n",
            3,
            "`packages` must be a mapping",
        ),
    ] {
        let error = run_extractor(&PnpmLock, &[("pnpm-lock.yaml", text)]).unwrap_err();
        assert_eq!(error.path, "pnpm-lock.yaml");
        assert_eq!(error.line, Some(line), "{text:?}: {error}");
        assert!(error.message.contains(message), "{error}");
    }
}

#[test]
fn empty_file_and_empty_documents_have_no_dependencies() {
    for text in [
        "",
        "# nothing\n",
        "---\n",
        "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n",
        "lockfileVersion: 5.4\n\nspecifiers: {}\n\npackages: {}\n",
    ] {
        let out = run(text);
        assert!(out.assets.is_empty(), "{text:?}");
        assert!(out.diagnostics.is_empty(), "{text:?}: {:?}", out.diagnostics);
    }
}

const ONE: &str = "lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      ms:
        specifier: ^2.1.3
        version: 2.1.3

packages:

  ms@2.1.3:
    resolution: {integrity: sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==}

snapshots:

  ms@2.1.3: {}
";

#[test]
fn one_and_two_packages() {
    let out = run(ONE);
    assert_eq!(summaries(&out), ["ms@2.1.3 prod direct :17"]);
    assert_eq!(sources(&out), [None]);
    assert_eq!(workspaces(&out.assets[0]), Some(serde_json::json!(["."])));

    let two = ONE
        .replace(
            "packages:\n",
            "packages:\n\n  '@types/debug@4.1.12':\n    resolution: {integrity: sha512-vIChWdVG3LG1SMxEvI/AK+FWJthlrqlTu7fbrlywTkkaONwk/UAGaULXRlf8vkzFBLVm0zkMdCquhL5aOjhXlQ==}\n",
        )
        .replace(
            "snapshots:\n",
            "snapshots:\n\n  '@types/debug@4.1.12':\n    dependencies:\n      ms: 2.1.3\n",
        );
    let out = run(&two);
    assert_eq!(
        summaries(&out),
        [
            "@types/debug@4.1.12 unknown transitive :17",
            "ms@2.1.3 prod direct :20"
        ],
        "nothing the importers ask for reaches @types/debug"
    );
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:npm/%40types/debug@4.1.12")
    );
    assert!(workspaces(&out.assets[0]).is_none());
}

const V5: &str = "lockfileVersion: 5.4

specifiers:
  '@types/node': ^18.0.0
  fsevents: ^2.3.2
  local: file:../local
  lodash: ^4.17.21
  lodash-old: npm:lodash@3.10.1
  my-lib: github:o/my-lib
  react-dom: ^18.2.0
  typescript: ^4.9.0

dependencies:
  local: file:../local
  lodash: 4.17.21
  lodash-old: /lodash/3.10.1
  my-lib: github.com/o/my-lib/abc1234
  react-dom: 18.2.0_react@18.2.0

optionalDependencies:
  fsevents: 2.3.3

devDependencies:
  '@types/node': 18.19.31
  typescript: 4.9.5

packages:

  /@types/node/18.19.31:
    resolution: {integrity: sha512-ArgCD39YpyyrtFKIqMDvjz79jto5fcI/SVUs2HwB+f0dAzq68yqOdyaSivLiLugSziTpNXLQrVb7RZFmdZzbhA==}
    dependencies:
      undici-types: 5.26.5
    dev: true

  /fsevents/2.3.3:
    resolution: {integrity: sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw==}
    engines: {node: ^8.16.0 || ^10.6.0 || >=11.0.0}
    os: [darwin]
    requiresBuild: true
    dev: false
    optional: true

  /js-tokens/4.0.0:
    resolution: {integrity: sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9bcxOpYBtpD2kCM6Sbzg4CausW/PKQ==}
    dev: false

  /lodash/3.10.1:
    resolution: {integrity: sha512-9mDDwqVIma6OZX79ZlDACZl8sBm0TEnkf99zV3iMA4GzkIT/9hiqP5mY0HoT1iNLCrKc/R1HByV+yJfRWVJryQ==}
    dev: false

  /lodash/4.17.21:
    resolution: {integrity: sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==}
    dev: false

  /loose-envify/1.4.0:
    resolution: {integrity: sha512-lyuxPGr/Wfhrlem2CL/UcnUc1zcqKAImBDzukY7Y5F/yQiNdko6+fRLevlw1HgMySw7f611UIY408EtxRSoK3Q==}
    hasBin: true
    dependencies:
      js-tokens: 4.0.0
    dev: false

  /react-dom/18.2.0_react@18.2.0:
    resolution: {integrity: sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0
      scheduler: 0.23.0
    dev: false

  /react/18.2.0:
    resolution: {integrity: sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==}
    engines: {node: '>=0.10.0'}
    dependencies:
      loose-envify: 1.4.0

  /scheduler/0.23.0:
    resolution: {integrity: sha512-CtuThmgHNg7zIZWAXi3AsyIzA3n4xx7aNyjwC2VJldO2LMVDhFK+63xGqq6CsJH4rTAt6/M+N4GhZiDYPx9eUw==}
    dependencies:
      loose-envify: 1.4.0
    dev: false

  /typescript/4.9.5:
    resolution: {integrity: sha512-1FXk9E2Hm+QzZQ7z+McJiHL4NW1F995jxGwVOYpnBWFqnLdahfJf4F8+eN0R1U3HTJ/vgMNNUsL8Vc93SnLuXg==}
    engines: {node: '>=4.2.0'}
    hasBin: true
    dev: true

  /undici-types/5.26.5:
    resolution: {integrity: sha512-JlCMO+ehdEIKqlFxk6IfVoAUVmgz7cU7zD/h9XZ0qzeosSHmUJVOzSQvvYSYWXkFXC+IfLKSIffhv0sVZup6pA==}
    dev: true

  file:../local:
    resolution: {directory: ../local, type: directory}
    name: local
    version: 0.1.0
    dev: false

  github.com/o/my-lib/abc1234:
    resolution: {tarball: https://codeload.github.com/o/my-lib/tar.gz/abc1234}
    name: my-lib
    version: 1.0.0
    dev: false
";

#[test]
fn version_5_single_project() {
    let out = run(V5);
    assert_eq!(
        summaries(&out),
        [
            "@types/node@18.19.31 dev direct :29",
            "fsevents@2.3.3 optional direct :35",
            "js-tokens@4.0.0 prod transitive :43",
            "lodash@3.10.1 prod direct :47",
            "lodash@4.17.21 prod direct :51",
            "loose-envify@1.4.0 prod transitive :55",
            "react-dom@18.2.0 prod direct :62",
            "react@18.2.0 prod transitive :72",
            "scheduler@0.23.0 prod transitive :78",
            "typescript@4.9.5 dev direct :84",
            "undici-types@5.26.5 dev transitive :90",
            "local@0.1.0 prod direct :94",
            "my-lib@1.0.0 prod direct :100",
        ],
        "no `dev` flag (react) means prod and dev; aliases report the real package"
    );
    let non_registry: Vec<_> = sources(&out).into_iter().flatten().collect();
    assert_eq!(non_registry, ["path", "git"]);
}

const V6: &str = "lockfileVersion: '6.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    devDependencies:
      typescript:
        specifier: ^5.3.0
        version: 5.3.3

  packages/ui:
    dependencies:
      react:
        specifier: ^17.0.2
        version: 17.0.2
      styled:
        specifier: ^1.0.0
        version: 1.0.0(react@17.0.2)

  packages/web:
    dependencies:
      '@acme/ui':
        specifier: workspace:*
        version: link:../ui
      lodash-old:
        specifier: npm:lodash@3.10.1
        version: /lodash@3.10.1
      react:
        specifier: ^18.2.0
        version: 18.2.0
    devDependencies:
      styled:
        specifier: ^1.0.0
        version: 1.0.0(react@18.2.0)
      typescript:
        specifier: ^5.3.0
        version: 5.3.3

packages:

  /@babel/runtime@7.23.9:
    resolution: {integrity: sha512-0CX6F+BI2s9dkUqr08KFrAIZgNFj75rdBU/DjCyYLIaV/quFjkk6T+EJ2LkZHyZTbEV4L5p97mNkUsHl2wLFAw==}
    engines: {node: '>=6.9.0'}
    dependencies:
      regenerator-runtime: 0.14.1

  /fsevents@2.3.3:
    resolution: {integrity: sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw==}
    engines: {node: ^8.16.0 || ^10.6.0 || >=11.0.0}
    os: [darwin]
    requiresBuild: true
    dev: true
    optional: true

  /lodash@3.10.1:
    resolution: {integrity: sha512-9mDDwqVIma6OZX79ZlDACZl8sBm0TEnkf99zV3iMA4GzkIT/9hiqP5mY0HoT1iNLCrKc/R1HByV+yJfRWVJryQ==}
    dev: false

  /react@17.0.2:
    resolution: {integrity: sha512-gnhPt75i/dq/z3/6q/0asP78D0u592D5L1pd7M8P+dck6Fu/jJeL6iVVK23fptSUZj8Vjf++7wXA8UNclGQcbA==}
    engines: {node: '>=0.10.0'}
    dev: false

  /react@18.2.0:
    resolution: {integrity: sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==}
    engines: {node: '>=0.10.0'}
    dev: false

  /regenerator-runtime@0.14.1:
    resolution: {integrity: sha512-dYnhHh0nJoMfnkZs6GmmhFknAGRrLznOu5nc9ML+EJxGvrx6H7teuevqVqCuPcPK//3eDrrjQhehXVx9cnKGdw==}

  /styled@1.0.0(react@17.0.2):
    resolution: {integrity: sha512-aaaa==}
    peerDependencies:
      react: '>=17'
    dependencies:
      react: 17.0.2
    dev: false

  /styled@1.0.0(react@18.2.0):
    resolution: {integrity: sha512-aaaa==}
    peerDependencies:
      react: '>=17'
    dependencies:
      react: 18.2.0
    dev: true

  /typescript@5.3.3:
    resolution: {integrity: sha512-pXWcraxM0uxAS+tN0AG/BF2TyqmHO014Z070UsJ+pFvYuRSq8KH8DmWpnbXe0pEPDHXZV3FcAbJkijJ5oNEnWw==}
    engines: {node: '>=14.17'}
    hasBin: true
    dev: true
";

#[test]
fn version_6_workspaces_and_peer_variants() {
    let out = run(V6);
    assert_eq!(
        summaries(&out),
        [
            "@babel/runtime@7.23.9 prod transitive :45",
            "fsevents@2.3.3 dev transitive :51",
            "lodash@3.10.1 prod direct :59",
            "react@17.0.2 prod direct :63",
            "react@18.2.0 prod direct :68",
            "regenerator-runtime@0.14.1 prod transitive :73",
            "styled@1.0.0 prod direct :76",
            "typescript@5.3.3 dev direct :92",
        ],
        "peer variants merge into the first, keeping the widest scope; links are workspaces"
    );
    let attributed: Vec<_> = out.assets.iter().map(workspaces).collect();
    assert_eq!(attributed[3], Some(serde_json::json!(["packages/ui"])));
    assert_eq!(attributed[4], Some(serde_json::json!(["packages/web"])));
    assert_eq!(
        attributed[6],
        Some(serde_json::json!(["packages/ui", "packages/web"]))
    );
    assert_eq!(attributed[7], Some(serde_json::json!([".", "packages/web"])));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

const V9: &str = "lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    devDependencies:
      typescript:
        specifier: ^5.4.0
        version: 5.4.5

  apps/api:
    dependencies:
      express:
        specifier: ^4.18.2
        version: 4.18.2
      local:
        specifier: file:../../local
        version: file:local
      lodash-old:
        specifier: npm:lodash@3.10.1
        version: lodash@3.10.1
      my-lib:
        specifier: github:o/my-lib
        version: https://codeload.github.com/o/my-lib/tar.gz/abc1234
      shared:
        specifier: workspace:*
        version: link:../../packages/shared
      tarball:
        specifier: https://example.com/tarball-1.0.0.tgz
        version: https://example.com/tarball-1.0.0.tgz
    optionalDependencies:
      fsevents:
        specifier: ^2.3.3
        version: 2.3.3
    devDependencies:
      vitest:
        specifier: ^1.6.0
        version: 1.6.0(@types/node@20.12.7)

packages:

  '@types/node@20.12.7':
    resolution: {integrity: sha512-wq0cICSkRLVaf3UGLMGItu/PtdY7oaXaI/RVU+xliKVOtRna3PRY57ZDfztpDL0n11vfymMUnXv8QwYCO7L1wg==}

  bufferutil@4.0.8:
    resolution: {integrity: sha512-4T53u4PdgsXqKaIctwF8ifXlRTTmEPJ8iEPWFdGZvcf7sbwYo6FKFEX9eNNAnzFZ7EzJAQ3CJeOtCRA4rDp7Pw==}
    engines: {node: '>=6.14.2'}

  debug@2.6.9:
    resolution: {integrity: sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==}

  express@4.18.2:
    resolution: {integrity: sha512-5/PsL6iGPdfQ/lKM1UuielYgv3BUoJfz1aUwU9vHZ+J7gyvwdQXFEBIEIaxeGf0GIcreATNyBExtalisDbuMqQ==}
    engines: {node: '>= 0.10.0'}

  fsevents@2.3.3:
    resolution: {integrity: sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw==}
    engines: {node: ^8.16.0 || ^10.6.0 || >=11.0.0}
    os: [darwin]

  local@file:local:
    resolution: {directory: local, type: directory}
    version: 0.1.0

  lodash@3.10.1:
    resolution: {integrity: sha512-9mDDwqVIma6OZX79ZlDACZl8sBm0TEnkf99zV3iMA4GzkIT/9hiqP5mY0HoT1iNLCrKc/R1HByV+yJfRWVJryQ==}

  ms@2.0.0:
    resolution: {integrity: sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==}

  my-lib@https://codeload.github.com/o/my-lib/tar.gz/abc1234:
    resolution: {tarball: https://codeload.github.com/o/my-lib/tar.gz/abc1234}
    version: 1.0.0

  tarball@https://example.com/tarball-1.0.0.tgz:
    resolution: {tarball: https://example.com/tarball-1.0.0.tgz}
    version: 1.0.0

  tinypool@0.8.4:
    resolution: {integrity: sha512-i11VH5gS6IFeLY3gMBQ00/MmLncVP7JLXOw1vlgkytLmJK7QnEr7NXf0LBdxfmNPAeyetukOk0bOYrJrFGjYJQ==}
    engines: {node: '>=14.0.0'}

  typescript@5.4.5:
    resolution: {integrity: sha512-vcI4UpRgg81oIRUFwR0WSIHKt11nJ7SAVlYNIu+QpqeyXP+gpQJy/Z4+F0aGxSE4MqwjyXvW/TzgkLAx2AGHwQ==}
    engines: {node: '>=14.17'}
    hasBin: true

  undici-types@5.26.5:
    resolution: {integrity: sha512-JlCMO+ehdEIKqlFxk6IfVoAUVmgz7cU7zD/h9XZ0qzeosSHmUJVOzSQvvYSYWXkFXC+IfLKSIffhv0sVZup6pA==}

  unused@1.0.0:
    resolution: {integrity: sha512-bbbb==}

  vitest@1.6.0:
    resolution: {integrity: sha512-H5r/dN06swuFnzNFhq/dnz37bPXnq8xB2xB5JOVk8K09rUtoeNN+LHWkoQ0A/i3hvbUKKcCei9KpbxqHMLhLLA==}
    engines: {node: ^18.0.0 || >=20.0.0}
    peerDependencies:
      '@types/node': ^18.0.0 || >=20.0.0

snapshots:

  '@types/node@20.12.7':
    dependencies:
      undici-types: 5.26.5

  bufferutil@4.0.8:
    optional: true

  debug@2.6.9:
    dependencies:
      ms: 2.0.0

  express@4.18.2:
    dependencies:
      debug: 2.6.9
    optionalDependencies:
      bufferutil: 4.0.8

  fsevents@2.3.3:
    optional: true

  local@file:local: {}

  lodash@3.10.1: {}

  ms@2.0.0: {}

  my-lib@https://codeload.github.com/o/my-lib/tar.gz/abc1234:
    dependencies:
      ms: 2.0.0

  tarball@https://example.com/tarball-1.0.0.tgz: {}

  tinypool@0.8.4: {}

  typescript@5.4.5: {}

  undici-types@5.26.5: {}

  unused@1.0.0: {}

  vitest@1.6.0(@types/node@20.12.7):
    dependencies:
      '@types/node': 20.12.7
      tinypool: 0.8.4
";

#[test]
fn version_9_scope_comes_from_what_the_importers_reach() {
    let out = run(V9);
    assert_eq!(
        summaries(&out),
        [
            "@types/node@20.12.7 dev transitive :46",
            "bufferutil@4.0.8 optional transitive :49",
            "debug@2.6.9 prod transitive :53",
            "express@4.18.2 prod direct :56",
            "fsevents@2.3.3 optional direct :60",
            "local@0.1.0 prod direct :65",
            "lodash@3.10.1 prod direct :69",
            "ms@2.0.0 prod transitive :72",
            "my-lib@1.0.0 prod direct :75",
            "tarball@1.0.0 prod direct :79",
            "tinypool@0.8.4 dev transitive :83",
            "typescript@5.4.5 dev direct :87",
            "undici-types@5.26.5 dev transitive :92",
            "unused@1.0.0 unknown transitive :95",
            "vitest@1.6.0 dev direct :98",
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
            Some("path"),
            None,
            None,
            Some("git"),
            Some("url"),
            None,
            None,
            None,
            None,
            None
        ]
    );
    assert_eq!(workspaces(&out.assets[3]), Some(serde_json::json!(["apps/api"])));
    assert_eq!(workspaces(&out.assets[11]), Some(serde_json::json!(["."])));
}

#[test]
fn unknown_or_missing_lockfile_version_is_a_warning() {
    let out = run(&ONE.replace("lockfileVersion: '9.0'", "lockfileVersion: '10.0'"));
    assert_eq!(summaries(&out), ["ms@2.1.3 prod direct :17"]);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(1));
    assert!(out.diagnostics[0].message.contains("reading it as 9.0"));

    let without = V6.replace("lockfileVersion: '6.0'\n", "");
    let out = run(&without);
    assert_eq!(out.assets.len(), 8);
    assert!(out.diagnostics[0].message.contains("reading it as 6.0"));

    let v5 = "packages:\n  /ms/2.1.3:\n    dev: false\n";
    let out = run(v5);
    assert_eq!(summaries(&out), ["ms@2.1.3 prod direct? :2"]);
    assert!(out.diagnostics[0].message.contains("reading it as 5.4"));
}

#[test]
fn broken_entries_are_warnings_and_the_rest_is_read() {
    let text = "lockfileVersion: '6.0'

packages:

  /a@1.0.0: 42

  '@':
    dev: false

  github.com/o/r/abc:
    resolution: {tarball: https://codeload.github.com/o/r/tar.gz/abc}
    name: r

  /ok@1.0.0:
    dev: false
";
    let out = run(text);
    assert_eq!(summaries(&out), ["ok@1.0.0 prod direct? :14"]);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(5), Some(7), Some(10)]);
}

#[test]
fn hostile_input_never_panics() {
    for text in [V5, V6, V9] {
        for cut in (0..text.len()).step_by(97) {
            let Some(prefix) = text.get(..cut) else { continue };
            let _ = run_extractor(&PnpmLock, &[("pnpm-lock.yaml", prefix)]);
        }
    }
    let bomb = "lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let _ = run_extractor(&PnpmLock, &[("pnpm-lock.yaml", bomb)]);
    for text in [
        "lockfileVersion: []\npackages:\n  /x: {}\n",
        "lockfileVersion: '9.0'\npackages:\n  '(': {}\n  '@a/(': {}\n  '@/': {}\n",
        "lockfileVersion: 5\npackages:\n  /@s: {}\n  /a/: {}\n  //: {}\n",
        "lockfileVersion: '9.0'\nimporters: 3\nsnapshots: []\npackages:\n  a@1.0.0: {}\n",
        "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: {version: [1]}\n      ? [x]\n      : 1\npackages: ~\n",
    ] {
        let _ = run_extractor(&PnpmLock, &[("pnpm-lock.yaml", text)]);
    }
}
