//! Web frameworks: each file finds the HTTP endpoints one framework declares. Listed in [`FRAMEWORKS`];
//! adding a framework is one file and one line.

mod actix;
mod aspnet;
mod axum;
mod django;
mod express;
mod go_routers;
mod jaxrs;
mod laravel;
mod nestjs;
mod nextjs;
mod python_web;
mod rails;
mod spring;

use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::syntax::SyntaxFile;

/// One web framework's endpoint finder.
pub trait Framework: Sync {
    fn name(&self) -> &'static str;
    /// Whether the file may declare endpoints of this framework, from its path, text and imports only: a
    /// file no framework or reader applies to is never parsed, so this must hold whenever `endpoints`
    /// could find something.
    fn applies(&self, source: &Source<'_>) -> bool;
    fn endpoints(&self, file: &SyntaxFile<'_>, imports: &[Import], out: &mut Vec<Endpoint>);
}

pub static FRAMEWORKS: &[&dyn Framework] = &[
    // JavaScript / TypeScript
    &express::Express,
    &nestjs::NestJs,
    &nextjs::NextJs,
    // Python
    &python_web::Flask,
    &python_web::FastApi,
    &django::Django,
    // Java
    &spring::Spring,
    &jaxrs::JaxRs,
    // Go
    &go_routers::GoRouters,
    // Ruby, PHP
    &rails::Rails,
    &laravel::Laravel,
    // C#
    &aspnet::AspNetCore,
    // Rust
    &actix::Actix,
    &axum::Axum,
];

/// HTTP methods as route-registration method names (lower case).
pub const HTTP_METHODS: [&str; 8] = ["get", "post", "put", "patch", "delete", "options", "head", "all"];

/// Whether an identifier or expression names an authentication guard (middleware, decorator, dependency).
pub fn looks_like_auth(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    const WORDS: [&str; 14] = [
        "auth",
        "login",
        "jwt",
        "token",
        "session",
        "passport",
        "guard",
        "protect",
        "permission",
        "role",
        "verify",
        "signedin",
        "loggedin",
        "currentuser",
    ];
    let compact: String = lower.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    WORDS.iter().any(|w| compact.contains(w))
        || compact.contains("requireuser")
        || compact.contains("ensureuser")
}

/// Whether any import names one of `modules` (exactly or as a parent: `flask` matches `flask.views`).
pub fn imports_any(imports: &[Import], modules: &[&str]) -> bool {
    imports.iter().any(|i| {
        modules.iter().any(|m| {
            i.module == *m || i.module.starts_with(&format!("{m}/")) || i.module.starts_with(&format!("{m}."))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::looks_like_auth;

    #[test]
    fn auth_names() {
        for name in [
            "requireAuth",
            "passport.authenticate('jwt')",
            "login_required",
            "verifyToken",
            "isLoggedIn",
            "AuthGuard",
            "get_current_user",
        ] {
            assert!(looks_like_auth(name), "{name}");
        }
        for name in [
            "validateBody",
            "rateLimit",
            "cors()",
            "upload.single('file')",
            "listProducts",
        ] {
            assert!(!looks_like_auth(name), "{name}");
        }
    }
}
