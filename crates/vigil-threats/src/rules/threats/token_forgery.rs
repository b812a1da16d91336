//! `token-forgery`: a component that signs or verifies JWTs on Internet requests, where a lax verification
//! lets an attacker mint tokens.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::TOKEN_VALIDATION;
use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::IssuesTokens,
    threat: "Token forgery",
    doing: "signs or verifies JSON Web Tokens",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "token-forgery",
    title: "JSON Web Tokens accepted without strict verification",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-347", "CWE-327"],
    capec: &["CAPEC-196"],
    attack: &["T1606"],
    likelihood: 4,
    impact: 8,
    what: "A component with the `issues-tokens` capability (jsonwebtoken, jose, PyJWT, golang-jwt, jjwt, \
           java-jwt, Nimbus, firebase/php-jwt, System.IdentityModel.Tokens.Jwt) that input from the Internet \
           reaches, so the tokens it verifies come from callers, with no `token-validation` control recorded \
           (algorithms pinned, key strength, expiry, issuer and audience checked).",
    why: "A verifier that takes the algorithm from the token accepts `alg: none`, or verifies an HS256 token \
          with the RSA public key as the HMAC secret (algorithm confusion); a short HMAC secret is brute-forced \
          offline from one token (hashcat mode 16500); a missing `exp`/`aud` check accepts tokens meant for \
          another service. Each lets the attacker sign in as anyone, administrators included.",
    example: "// svc/server.js\nconst jwt = require(\"jsonwebtoken\");\n\
              const claims = jwt.verify(req.headers.authorization.slice(7), process.env.SECRET); // no algorithms list",
    remediation: "Pin the accepted algorithms and keys, use a strong key, and check expiry, issuer and audience on every verification.",
    fix: &[
        "Pass the expected algorithms explicitly on every verify call (`algorithms: [\"RS256\"]`, `jwt.decode(..., algorithms=[\"RS256\"])`, `WithValidMethods`), never read them from the token header.",
        "Use asymmetric keys from a JWKS for tokens verified by other services; an HMAC secret must be at least 256 random bits from the secrets manager.",
        "Require and check `exp`, `nbf`, `iss` and `aud`, and keep token lifetimes short with revocation for refresh tokens.",
        "Keep the JWT library current (algorithm-confusion and `none` bugs are fixed in recent versions).",
        "Record `token-validation` in vigil-model.yaml for the component once the above holds for every verification path.",
    ],
    verify: &[
        "A token with `alg: none`, one re-signed with HS256 using the public key, one expired and one with another audience are all rejected with 401.",
        "`hashcat -m 16500` against a sample token does not recover the secret with common wordlists.",
    ],
    mitigated_by: &[TOKEN_VALIDATION],
    false_positives: "Services that only pass tokens through to an identity provider or gateway that verifies \
                      them (and never decode them themselves) are not exposed: record `token-validation` after \
                      checking. Libraries that refuse `none` and require an algorithm list by default still need \
                      the issuer and audience checks.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html",
        "https://datatracker.ietf.org/doc/html/rfc8725",
        "https://cwe.mitre.org/data/definitions/347.html",
        "https://capec.mitre.org/data/definitions/196.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V3.5.3"),
        (Objective::PciDss4, "8.3.2"),
        (Objective::Hipaa, "164.312(d)"),
        (Objective::Soc2, "CC6.1"),
    ],
};
