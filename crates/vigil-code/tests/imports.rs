//! Imports for every language.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
use vigil_code::analyze;

fn modules(path: &str, text: &str) -> Vec<(String, u32)> {
    analyze(path, text)
        .unwrap()
        .imports
        .into_iter()
        .map(|i| (i.module, i.line))
        .collect()
}

fn owned(items: &[(&str, u32)]) -> Vec<(String, u32)> {
    items.iter().map(|(m, l)| ((*m).to_owned(), *l)).collect()
}

#[test]
fn javascript_and_typescript() {
    let js = "import express from 'express';\nconst _ = require(\"lodash/fp\");\nimport './local.css';\nconst x = await import('openai');\nexport { a } from '@aws-sdk/client-s3';\nconst rel = require('./util');\n";
    assert_eq!(
        modules("src/app.js", js),
        owned(&[
            ("@aws-sdk/client-s3", 5),
            ("express", 1),
            ("lodash/fp", 2),
            ("openai", 4)
        ])
    );
    let ts = "import type { Request } from 'express';\nimport * as Sentry from '@sentry/node';\n";
    assert_eq!(
        modules("src/app.ts", ts),
        owned(&[("@sentry/node", 2), ("express", 1)])
    );
    assert_eq!(
        modules(
            "src/App.tsx",
            "import React from 'react';\nexport const A = () => <div/>;\n"
        ),
        owned(&[("react", 1)])
    );
}

#[test]
fn python() {
    let py = "import os, boto3.session\nimport numpy as np\nfrom flask import Flask\nfrom . import models\nfrom .db import x\nfrom openai import OpenAI\n";
    assert_eq!(
        modules("app.py", py),
        owned(&[
            ("boto3.session", 1),
            ("flask", 3),
            ("numpy", 2),
            ("openai", 6),
            ("os", 1)
        ])
    );
}

#[test]
fn go_java_ruby_php_csharp_rust() {
    let go = "package main\n\nimport (\n\t\"fmt\"\n\t\"github.com/gin-gonic/gin\"\n)\n";
    assert_eq!(
        modules("main.go", go),
        owned(&[("fmt", 4), ("github.com/gin-gonic/gin", 5)])
    );
    let java = "package a;\nimport org.springframework.web.bind.annotation.GetMapping;\nimport static java.util.Objects.requireNonNull;\n";
    let found = modules("A.java", java);
    assert_eq!(found[0], ("java.util.Objects.requireNonNull".to_owned(), 3));
    assert_eq!(
        found[1],
        ("org.springframework.web.bind.annotation.GetMapping".to_owned(), 2)
    );
    assert_eq!(
        modules("app.rb", "require 'stripe'\nrequire_relative 'lib/x'\n"),
        owned(&[("stripe", 1)])
    );
    assert_eq!(
        modules(
            "a.php",
            "<?php\nuse Illuminate\\Support\\Facades\\Route;\nuse Stripe\\StripeClient;\n"
        ),
        owned(&[
            ("Illuminate\\Support\\Facades\\Route", 2),
            ("Stripe\\StripeClient", 3)
        ])
    );
    assert_eq!(
        modules("A.cs", "using System;\nusing Microsoft.AspNetCore.Mvc;\n"),
        owned(&[("Microsoft.AspNetCore.Mvc", 2), ("System", 1)])
    );
    assert_eq!(
        modules(
            "main.rs",
            "use axum::{Router, routing::get};\nuse crate::x;\nuse std::fs;\nextern crate serde;\n"
        ),
        owned(&[("axum", 1), ("serde", 4)])
    );
    // Paths in code name crates too; a module of the file and path keywords do not.
    assert_eq!(
        modules(
            "main.rs",
            "mod config;\n#[tokio::main]\nasync fn main() {\n    let re = regex::Regex::new(\"x\");\n    config::load();\n    let v: Vec<u8> = Vec::new();\n    self::f(); std::process::exit(0);\n}\n"
        ),
        owned(&[("regex", 4), ("tokio", 2)])
    );
}

#[test]
fn unsupported_files_are_not_read() {
    assert!(analyze("README.md", "# hi").is_none());
    assert!(analyze("dist/app.min.js", "var a=1").is_none());
}

#[test]
fn comments_and_strings_are_not_imports() {
    let js = r#"/**
 * Example:
 *   const x = require('jsdoc-example');
 *   import y from 'also-not';
 */
// import z from 'commented';
const message = "require('in-a-string')";
const pattern = /import 'regex'/;
import {
  a,
  b as c,
} from 'multi-line';
export * from 'star-export';
const lib = obj.require('member-call');
"#;
    assert_eq!(
        modules("src/a.ts", js),
        owned(&[("multi-line", 9), ("star-export", 13)])
    );
    let py = "\"\"\"Usage:\n\n    >>> import doctest_only\n\"\"\"\n# import commented\nimport requests  # trailing\ndef f():\n    from boto3.session import Session\ns = 'import nope'\n";
    assert_eq!(
        modules("a.py", py),
        owned(&[("boto3.session", 8), ("requests", 6)])
    );
}

#[test]
fn every_import_form() {
    let go = "package main\n\nimport \"net/http\"\nimport log \"github.com/sirupsen/logrus\"\nimport (\n\t_ \"github.com/lib/pq\"\n\t. \"strings\" // dot import\n\t// \"commented/out\"\n)\n";
    assert_eq!(
        modules("main.go", go),
        owned(&[
            ("github.com/lib/pq", 6),
            ("github.com/sirupsen/logrus", 4),
            ("net/http", 3),
            ("strings", 7)
        ])
    );
    assert_eq!(
        modules(
            "A.java",
            "package a;\nimport java.util.*;\n/* import hidden.Thing; */\n"
        ),
        owned(&[("java.util", 2)])
    );
    assert_eq!(
        modules(
            "a.php",
            "<?php\nuse App\\{Models\\User, Http\\Kernel as K};\nuse function Illuminate\\Support\\collect;\nuse \\Stripe\\Stripe, Monolog\\Logger as Log;\n$f = function () use ($x) {};\n"
        ),
        owned(&[
            ("App\\Http\\Kernel", 2),
            ("App\\Models\\User", 2),
            ("Illuminate\\Support\\collect", 3),
            ("Monolog\\Logger", 4),
            ("Stripe\\Stripe", 4)
        ])
    );
    assert_eq!(
        modules(
            "A.cs",
            "global using System.Text;\nusing Json = Newtonsoft.Json;\nusing static System.Math;\nusing (var s = Open()) { }\n"
        ),
        owned(&[("Newtonsoft.Json", 2), ("System.Math", 3), ("System.Text", 1)])
    );
    assert_eq!(
        modules(
            "lib.rs",
            "pub use serde::Serialize;\npub(crate) use ::tokio::sync;\n// use commented::x;\nlet s = \"use fake::y\";\n"
        ),
        owned(&[("serde", 1), ("tokio", 2)])
    );
    assert_eq!(
        modules(
            "app.rb",
            "require \"json\"\nrequire \"#{dir}/x\"\n# require 'commented'\nrequire('net/http')\n"
        ),
        owned(&[("json", 1), ("net/http", 4)])
    );
}
