//! Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`) as vigil's (ecosystem, name,
//! version).

use vigil_core::Ecosystem;

/// The ecosystem, package name (as the ecosystem writes it) and version of a purl; `None` for types vigil
/// does not match or a purl without a version.
pub fn parse(purl: &str) -> Option<(Ecosystem, String, String)> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split('#').next()?;
    let rest = rest.split('?').next()?;
    let (path, version) = rest.rsplit_once('@')?;
    let (kind, path) = path.split_once('/')?;
    let path = decode(path);
    let (namespace, name) = match path.rsplit_once('/') {
        Some((namespace, name)) => (Some(namespace), name),
        None => (None, path.as_str()),
    };
    let joined = |separator: &str| match namespace {
        Some(namespace) => format!("{namespace}{separator}{name}"),
        None => name.to_owned(),
    };
    let (ecosystem, name) = match kind.to_ascii_lowercase().as_str() {
        "npm" => (Ecosystem::Npm, joined("/")),
        "pypi" => (Ecosystem::PyPI, name.to_owned()),
        "cargo" => (Ecosystem::CratesIo, name.to_owned()),
        "golang" => (Ecosystem::Go, joined("/")),
        "maven" => (Ecosystem::Maven, joined(":")),
        "gem" => (Ecosystem::RubyGems, name.to_owned()),
        "composer" => (Ecosystem::Packagist, joined("/")),
        "nuget" => (Ecosystem::NuGet, name.to_owned()),
        "pub" => (Ecosystem::Pub, name.to_owned()),
        "hex" => (Ecosystem::Hex, name.to_owned()),
        "swift" => (Ecosystem::SwiftUrl, joined("/")),
        "github" => (Ecosystem::GitHubActions, joined("/")),
        _ => return None,
    };
    Some((ecosystem, name, decode(version)))
}

/// Percent-decoding of the characters purls encode (`%40` for `@` in npm scopes...).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(value) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A purl without qualifiers and subpath, for comparing two references to one package.
pub fn base(purl: &str) -> &str {
    let purl = purl.split('#').next().unwrap_or(purl);
    purl.split('?').next().unwrap_or(purl)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use vigil_core::Ecosystem;

    #[test]
    fn purls_per_ecosystem() {
        let p = parse;
        assert_eq!(
            p("pkg:npm/%40babel/core@7.25.8"),
            Some((Ecosystem::Npm, "@babel/core".into(), "7.25.8".into()))
        );
        assert_eq!(
            p("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"),
            Some((
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core".into(),
                "2.14.1".into()
            ))
        );
        assert_eq!(
            p("pkg:golang/golang.org/x/net@v0.51.0"),
            Some((Ecosystem::Go, "golang.org/x/net".into(), "v0.51.0".into()))
        );
        assert_eq!(
            p("pkg:pypi/pyyaml@5.1"),
            Some((Ecosystem::PyPI, "pyyaml".into(), "5.1".into()))
        );
        assert_eq!(
            p("pkg:composer/symfony/http-kernel@v5.4.19"),
            Some((
                Ecosystem::Packagist,
                "symfony/http-kernel".into(),
                "v5.4.19".into()
            ))
        );
        assert_eq!(p("pkg:deb/debian/openssl@3.0.11"), None);
        assert_eq!(p("pkg:npm/lodash"), None, "no version");
    }
}
