//! Reachability graded from the code's imports: is the vulnerable package imported by production code
//! beside the lockfile that pins it?
//!
//! - `dev-only`: the dependency is only for development or tests;
//! - `imported`: a production file under the lockfile's project root imports one of the package's modules
//!   (with the places as evidence);
//! - `present`: code of the package's language is there and none of it imports the package;
//! - `unknown`: no code of that language was read under the root, or the ecosystem's module names cannot be
//!   told from package names (Maven classes outside the group id, RubyGems loaded by `Bundler.require`,
//!   Composer namespaces, NuGet namespaces unlike the package id, languages vigil does not read). Unknown is
//!   said, never treated as safe.
//!
//! Module names per ecosystem: npm `lodash`, `lodash/fp`, `@scope/pkg/sub`; PyPI the distribution's
//! top-level module (`PyYAML` provides `yaml`; the usual renames are listed below, otherwise the name with
//! `-` as `_`); crates `foo-bar` as `foo_bar`; Go the module path and its packages; Maven packages under the
//! group id; NuGet namespaces equal to or below the package id; RubyGems `require 'net/http'` for
//! `net-http`.

use vigil_core::{DependencyScope, Ecosystem, Evidence, ModuleImport, Reachability};

/// At most this many import places are kept as evidence.
const MAX_EVIDENCE: usize = 3;

/// PyPI distributions whose top-level module is not their name (lower case, `-` separated).
const PYPI_MODULES: [(&str, &str); 33] = [
    ("beautifulsoup4", "bs4"),
    ("pillow", "PIL"),
    ("pyyaml", "yaml"),
    ("scikit-learn", "sklearn"),
    ("opencv-python", "cv2"),
    ("opencv-python-headless", "cv2"),
    ("python-dateutil", "dateutil"),
    ("pyjwt", "jwt"),
    ("psycopg2-binary", "psycopg2"),
    ("psycopg-binary", "psycopg"),
    ("protobuf", "google.protobuf"),
    ("attrs", "attr"),
    ("pymongo", "bson"),
    ("python-jose", "jose"),
    ("djangorestframework", "rest_framework"),
    ("django-filter", "django_filters"),
    ("django-cors-headers", "corsheaders"),
    ("pycryptodome", "Crypto"),
    ("pycryptodomex", "Cryptodome"),
    ("pyopenssl", "OpenSSL"),
    ("python-multipart", "multipart"),
    ("dnspython", "dns"),
    ("pyserial", "serial"),
    ("gitpython", "git"),
    ("ruamel-yaml", "ruamel"),
    ("setuptools", "pkg_resources"),
    ("msgpack-python", "msgpack"),
    ("python-magic", "magic"),
    ("pysaml2", "saml2"),
    ("python-ldap", "ldap"),
    ("mysqlclient", "MySQLdb"),
    ("websocket-client", "websocket"),
    ("python-socketio", "socketio"),
];

/// The reachability of `package` pinned by the manifest at `manifest_path`, and its evidence.
pub fn grade(
    ecosystem: Ecosystem,
    package: &str,
    scope: DependencyScope,
    manifest_path: &str,
    imports: &[ModuleImport],
) -> (Reachability, Vec<Evidence>) {
    if scope == DependencyScope::Dev {
        return (Reachability::DevOnly, Vec::new());
    }
    let Some(languages) = languages(ecosystem) else {
        // GitHub Actions run in CI whenever their workflow does: present by definition.
        let grade = if ecosystem == Ecosystem::GitHubActions {
            Reachability::Present
        } else {
            Reachability::Unknown
        };
        return (grade, Vec::new());
    };
    let root = manifest_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let in_root = |import: &&ModuleImport| {
        languages.contains(&import.language.as_str())
            && import.production_roots.iter().any(|r| r.root == root)
    };
    let evidence: Vec<Evidence> = imports
        .iter()
        .filter(in_root)
        .filter(|import| provides(ecosystem, package, &import.module))
        .flat_map(|import| import.production_roots.iter().filter(|r| r.root == root))
        .map(|r| r.evidence.clone())
        .take(MAX_EVIDENCE)
        .collect();
    if !evidence.is_empty() {
        return (Reachability::Imported, evidence);
    }
    let code_read = imports.iter().any(|import| in_root(&import));
    let names_are_reliable = matches!(
        ecosystem,
        Ecosystem::Npm | Ecosystem::PyPI | Ecosystem::CratesIo | Ecosystem::Go
    );
    if code_read && names_are_reliable {
        (Reachability::Present, Vec::new())
    } else {
        (Reachability::Unknown, Vec::new())
    }
}

/// The languages whose imports can name a package of `ecosystem` (as `vigil_code::Language::as_str`).
fn languages(ecosystem: Ecosystem) -> Option<&'static [&'static str]> {
    Some(match ecosystem {
        Ecosystem::Npm => &["javascript", "typescript", "tsx"],
        Ecosystem::PyPI => &["python"],
        Ecosystem::CratesIo => &["rust"],
        Ecosystem::Go => &["go"],
        Ecosystem::Maven => &["java"],
        Ecosystem::NuGet => &["csharp"],
        Ecosystem::RubyGems => &["ruby"],
        Ecosystem::Packagist => &["php"],
        _ => return None,
    })
}

/// Whether importing `module` uses `package`.
pub fn provides(ecosystem: Ecosystem, package: &str, module: &str) -> bool {
    match ecosystem {
        Ecosystem::Npm => {
            let module = module.strip_prefix("npm:").unwrap_or(module);
            let mut parts = module.splitn(3, '/');
            let first = parts.next().unwrap_or("");
            let root = if first.starts_with('@') {
                match parts.next() {
                    Some(second) => format!("{first}/{second}"),
                    None => first.to_owned(),
                }
            } else {
                first.to_owned()
            };
            root == package
        }
        Ecosystem::PyPI => {
            let normalized = Ecosystem::PyPI.normalize_name(package);
            let top = PYPI_MODULES
                .iter()
                .find(|(name, _)| *name == normalized)
                .map_or_else(
                    || normalized.replace('-', "_"),
                    |(_, module)| (*module).to_owned(),
                );
            under(module, &top, '.') || module.eq_ignore_ascii_case(&top)
        }
        Ecosystem::CratesIo => module == package.replace('-', "_"),
        Ecosystem::Go => under(module, package, '/'),
        Ecosystem::Maven => {
            let group = package.split(':').next().unwrap_or(package);
            under(module, group, '.')
        }
        // A namespace above the id (`System.Text` for `System.Text.Json`) says nothing: not counted.
        Ecosystem::NuGet => under(&module.to_ascii_lowercase(), &package.to_ascii_lowercase(), '.'),
        Ecosystem::RubyGems => {
            let required = module.split('/').next().unwrap_or(module);
            required == package || under(module, &package.replace('-', "/"), '/')
        }
        _ => false,
    }
}

/// `name` is `prefix` or a child of it (`prefix` + `separator` + ...).
fn under(name: &str, prefix: &str, separator: char) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(separator))
}

#[cfg(test)]
mod tests {
    use super::provides;
    use vigil_core::Ecosystem::*;

    #[test]
    fn module_names_per_ecosystem() {
        assert!(provides(Npm, "lodash", "lodash/fp"));
        assert!(provides(Npm, "@nestjs/core", "@nestjs/core/injector"));
        assert!(!provides(Npm, "lodash", "lodash.merge"));
        assert!(provides(PyPI, "PyYAML", "yaml"));
        assert!(provides(PyPI, "Django", "django.db.models"));
        assert!(provides(PyPI, "typing-extensions", "typing_extensions"));
        assert!(!provides(PyPI, "django", "djangorestframework"));
        assert!(provides(CratesIo, "serde-json", "serde_json"));
        assert!(provides(Go, "golang.org/x/crypto", "golang.org/x/crypto/ssh"));
        assert!(!provides(Go, "golang.org/x/crypto", "golang.org/x/cryptox"));
        assert!(provides(
            Maven,
            "org.apache.logging.log4j:log4j-core",
            "org.apache.logging.log4j.core"
        ));
        assert!(provides(NuGet, "Newtonsoft.Json", "Newtonsoft.Json.Linq"));
        assert!(!provides(NuGet, "System.Text.Json", "System.Text"));
        assert!(provides(RubyGems, "net-http", "net/http"));
        assert!(provides(RubyGems, "rack", "rack/utils"));
    }
}
