//! Diagnostics: problems met while assessing (a file that would not parse, a config key that is wrong).
//! A diagnostic never stops the run; it is reported so that nothing unchecked passes for clean.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub level: Level,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, line: Option<u32>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line,
            level: Level::Error,
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<String>, line: Option<u32>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line,
            level: Level::Warning,
            message: message.into(),
        }
    }

    pub fn info(path: impl Into<String>, line: Option<u32>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line,
            level: Level::Info,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        };
        match self.line {
            Some(line) => write!(f, "{}:{line}: {level}: {}", self.path, self.message),
            None => write!(f, "{}: {level}: {}", self.path, self.message),
        }
    }
}
