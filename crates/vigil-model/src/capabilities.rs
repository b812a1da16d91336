//! Capabilities of service components: what their code does that makes a class of threat relevant (an XML
//! parser makes XXE relevant, an LLM SDK prompt injection). Read from the catalog SDKs a service uses, the
//! modules it imports and its endpoints, each with its evidence.

use vigil_core::CapabilityKind::{self, *};
use vigil_core::SystemModel;

use crate::code_facts::{Fact, What, component_positions, module_matches};

/// Imported modules that show a capability: (language family, module, capability). Only modules whose
/// import means the capability is used (an XML parser), not general-purpose ones (`os`, `net/http`).
const IMPORTS: &[(&str, &str, CapabilityKind)] = &[
    // Uploads
    ("js", "multer", AcceptsUploads),
    ("js", "formidable", AcceptsUploads),
    ("js", "busboy", AcceptsUploads),
    ("js", "express-fileupload", AcceptsUploads),
    ("py", "werkzeug.datastructures", AcceptsUploads),
    ("java", "org.springframework.web.multipart", AcceptsUploads),
    ("java", "jakarta.servlet.http.Part", AcceptsUploads),
    ("go", "mime/multipart", AcceptsUploads),
    ("rb", "carrierwave", AcceptsUploads),
    ("rb", "shrine", AcceptsUploads),
    ("php", "Symfony\\Component\\HttpFoundation\\File", AcceptsUploads),
    // XML parsers that resolve entities unless configured not to (Go's encoding/xml does not)
    ("py", "lxml", ParsesXml),
    ("py", "xml.etree", ParsesXml),
    ("py", "xml.dom", ParsesXml),
    ("py", "xml.sax", ParsesXml),
    ("js", "libxmljs", ParsesXml),
    ("js", "libxmljs2", ParsesXml),
    ("js", "xml2js", ParsesXml),
    ("js", "@xmldom/xmldom", ParsesXml),
    ("js", "xmldom", ParsesXml),
    ("java", "javax.xml.parsers", ParsesXml),
    ("java", "org.xml.sax", ParsesXml),
    ("java", "org.dom4j", ParsesXml),
    ("java", "javax.xml.stream", ParsesXml),
    ("rb", "nokogiri", ParsesXml),
    ("rb", "rexml", ParsesXml),
    ("cs", "System.Xml", ParsesXml),
    // Deserializers that can build arbitrary objects
    ("py", "pickle", Deserializes),
    ("py", "cPickle", Deserializes),
    ("py", "dill", Deserializes),
    ("py", "cloudpickle", Deserializes),
    ("py", "jsonpickle", Deserializes),
    ("py", "shelve", Deserializes),
    ("py", "marshal", Deserializes),
    ("js", "node-serialize", Deserializes),
    ("js", "funcster", Deserializes),
    ("java", "java.io.ObjectInputStream", Deserializes),
    ("java", "com.thoughtworks.xstream", Deserializes),
    ("java", "org.yaml.snakeyaml", Deserializes),
    ("java", "com.esotericsoftware.kryo", Deserializes),
    ("go", "encoding/gob", Deserializes),
    ("rb", "oj", Deserializes),
    (
        "cs",
        "System.Runtime.Serialization.Formatters.Binary",
        Deserializes,
    ),
    ("cs", "Newtonsoft.Json", Deserializes),
    // Outbound HTTP clients
    ("py", "requests", FetchesUrls),
    ("py", "httpx", FetchesUrls),
    ("py", "aiohttp", FetchesUrls),
    ("py", "urllib.request", FetchesUrls),
    ("py", "urllib3", FetchesUrls),
    ("js", "axios", FetchesUrls),
    ("js", "node-fetch", FetchesUrls),
    ("js", "got", FetchesUrls),
    ("js", "undici", FetchesUrls),
    ("js", "superagent", FetchesUrls),
    ("js", "request", FetchesUrls),
    ("java", "java.net.http", FetchesUrls),
    ("java", "org.apache.http.client", FetchesUrls),
    ("java", "okhttp3", FetchesUrls),
    ("rb", "faraday", FetchesUrls),
    ("rb", "httparty", FetchesUrls),
    ("rb", "open-uri", FetchesUrls),
    ("php", "GuzzleHttp", FetchesUrls),
    ("go", "github.com/go-resty/resty", FetchesUrls),
    // Query languages (ORMs and drivers the catalog does not list)
    ("js", "knex", QueriesSql),
    ("js", "sequelize", QueriesSql),
    ("js", "typeorm", QueriesSql),
    ("py", "sqlite3", QueriesSql),
    ("py", "sqlalchemy", QueriesSql),
    ("go", "database/sql", QueriesSql),
    ("java", "java.sql", QueriesSql),
    ("java", "javax.persistence", QueriesSql),
    ("java", "jakarta.persistence", QueriesSql),
    ("php", "PDO", QueriesSql),
    ("js", "mongoose", QueriesNosql),
    ("js", "ldapjs", QueriesLdap),
    ("py", "ldap", QueriesLdap),
    ("py", "ldap3", QueriesLdap),
    ("java", "javax.naming.directory", QueriesLdap),
    ("go", "github.com/go-ldap/ldap", QueriesLdap),
    ("rb", "net/ldap", QueriesLdap),
    // Commands
    ("js", "child_process", ExecutesCommands),
    ("js", "execa", ExecutesCommands),
    ("js", "shelljs", ExecutesCommands),
    ("py", "subprocess", ExecutesCommands),
    ("go", "os/exec", ExecutesCommands),
    ("rb", "open3", ExecutesCommands),
    ("php", "Symfony\\Component\\Process", ExecutesCommands),
    ("cs", "System.Diagnostics.Process", ExecutesCommands),
    // Server-side templates
    ("py", "jinja2", RendersTemplates),
    ("py", "mako", RendersTemplates),
    ("js", "ejs", RendersTemplates),
    ("js", "pug", RendersTemplates),
    ("js", "handlebars", RendersTemplates),
    ("js", "nunjucks", RendersTemplates),
    ("java", "freemarker", RendersTemplates),
    ("java", "org.apache.velocity", RendersTemplates),
    ("java", "org.thymeleaf", RendersTemplates),
    ("go", "text/template", RendersTemplates),
    ("rb", "erb", RendersTemplates),
    ("php", "Twig", RendersTemplates),
    // Model loading
    ("py", "joblib", LoadsModels),
    ("py", "huggingface_hub", LoadsModels),
    ("py", "torch", LoadsModels),
    // Tokens and sessions
    ("js", "express-session", CookieSessions),
    ("js", "cookie-session", CookieSessions),
    ("py", "flask_login", CookieSessions),
    ("py", "django.contrib.sessions", CookieSessions),
    ("java", "javax.servlet.http.HttpSession", CookieSessions),
    // Mail
    ("js", "nodemailer", SendsEmail),
    ("py", "smtplib", SendsEmail),
    // JWT libraries the catalog lists without the token capability
    ("java", "io.jsonwebtoken", IssuesTokens),
    ("java", "com.auth0.jwt", IssuesTokens),
    ("java", "com.nimbusds.jwt", IssuesTokens),
    ("php", "Firebase\\JWT", IssuesTokens),
    ("cs", "System.IdentityModel.Tokens.Jwt", IssuesTokens),
    // Solr clients (Elasticsearch and OpenSearch come from the catalog)
    ("py", "pysolr", QueriesSearch),
    ("java", "org.apache.solr.client", QueriesSearch),
];

/// Catalog SDK categories that show a capability.
pub fn from_sdk(category: &str, id: &str) -> &'static [CapabilityKind] {
    match (category, id) {
        ("llm", _) => &[CallsLlm],
        ("ai-framework", "llamaindex" | "haystack" | "dspy") => &[CallsLlm],
        ("ai-framework", _) => &[CallsLlm, LlmToolUse],
        ("ml-framework", _) => &[LoadsModels],
        ("vector-database", _) => &[UsesVectorStore],
        ("sql-database", _) => &[QueriesSql],
        ("nosql-database", _) => &[QueriesNosql],
        ("search", "elasticsearch" | "opensearch") => &[QueriesSearch],
        ("payments", _) => &[ProcessesPayments],
        ("email", _) => &[SendsEmail],
        ("auth-library", "jsonwebtoken" | "jose" | "jwt" | "golang-jwt") => &[IssuesTokens, Authenticates],
        ("auth-library" | "identity-provider", _) => &[Authenticates],
        _ => &[],
    }
}

/// Endpoint paths that show what a route is for, matched on whole path segments.
fn from_endpoint(method: &str, path: &str) -> Option<CapabilityKind> {
    let segments: Vec<String> = path
        .split(['/', '-', '_', '.'])
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |words: &[&str]| segments.iter().any(|s| words.contains(&s.as_str()));
    let writes = !method.eq_ignore_ascii_case("GET");
    if writes
        && has(&[
            "upload",
            "uploads",
            "attachment",
            "attachments",
            "avatar",
            "import",
        ])
    {
        Some(AcceptsUploads)
    } else if writes && has(&["webhook", "webhooks", "hooks"]) {
        Some(ReceivesWebhooks)
    } else if has(&["login", "signin", "logon", "authenticate", "oauth", "sso", "saml"]) {
        Some(Authenticates)
    } else {
        None
    }
}

/// Adds the capabilities the facts show to the service components they belong to.
pub fn detect(facts: &[Fact<'_>], model: &mut SystemModel) {
    let positions = component_positions(model);
    for fact in facts {
        let kinds: Vec<CapabilityKind> = match &fact.what {
            What::Sdk { category, id } => from_sdk(category, id).to_vec(),
            What::Import { language, module } => IMPORTS
                .iter()
                .filter(|(family, wanted, _)| module_matches(language, module, family, wanted))
                .map(|(_, _, kind)| *kind)
                .collect(),
            What::Endpoint { method, path, .. } => from_endpoint(method, path).into_iter().collect(),
        };
        if kinds.is_empty() {
            continue;
        }
        let Some(component) = positions
            .get(&fact.component)
            .and_then(|i| model.components.get_mut(*i))
        else {
            continue;
        };
        for kind in kinds {
            component.add_capability(kind, fact.evidence.clone());
        }
    }
    for component in &mut model.components {
        component.capabilities.sort_by_key(|c| c.kind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_words_are_whole_segments() {
        assert_eq!(from_endpoint("POST", "/api/upload"), Some(AcceptsUploads));
        assert_eq!(from_endpoint("POST", "/users/:id/avatar"), Some(AcceptsUploads));
        assert_eq!(from_endpoint("GET", "/api/upload"), None);
        assert_eq!(from_endpoint("POST", "/uploader-stats"), None);
        assert_eq!(from_endpoint("POST", "/stripe/webhook"), Some(ReceivesWebhooks));
        assert_eq!(from_endpoint("POST", "/auth/login"), Some(Authenticates));
        assert_eq!(from_endpoint("GET", "/blog/logins-explained"), None);
    }
}
