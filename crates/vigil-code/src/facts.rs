//! What reading one source file yields. Lines are 1-based.

/// A module the file imports, as written (`lodash/fp`, `boto3.session`, `github.com/gin-gonic/gin`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Import {
    pub module: String,
    pub line: u32,
}

/// An HTTP endpoint declared in code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    /// Upper case (`GET`), or `ANY` for handlers that take every method.
    pub method: String,
    /// As written in the code, prefixes from routers/controllers applied (`/api/users/:id`).
    pub path: String,
    pub handler: Option<String>,
    /// `Some(true)` when a recognised authentication guard protects it, `Some(false)` when the framework's
    /// guard mechanism is visible and absent, `None` when the code does not say (a guard may apply elsewhere).
    pub authenticated: Option<bool>,
    /// What guards it (`passport.authenticate`, `@login_required`, `[Authorize]`).
    pub guard: Option<String>,
    pub framework: &'static str,
    pub line: u32,
}

/// A data model (ORM model, entity, schema) and its fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Model {
    pub name: String,
    pub framework: &'static str,
    pub fields: Vec<Field>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Field {
    pub name: String,
    pub line: u32,
}

/// A connection string in a string literal (`postgres://app:secret@db:5432/shop`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Connection {
    /// The URL scheme, lower case (`postgres`, `mongodb+srv`, `redis`, `amqp`).
    pub scheme: String,
    pub host: Option<String>,
    /// The literal embeds a password (a secret in code).
    pub has_password: bool,
    pub line: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeFacts {
    pub imports: Vec<Import>,
    pub endpoints: Vec<Endpoint>,
    pub models: Vec<Model>,
    pub connections: Vec<Connection>,
}
