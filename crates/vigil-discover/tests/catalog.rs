//! The SDK catalog (`catalog/sdks.toml`) as the inventory sees it: its coverage, its consistency (one entry
//! per package, no import prefix shadowed by an earlier entry) and lookups across ecosystems, including
//! the tricky ones (Python import names that differ from distribution names, prefixes at module
//! boundaries, umbrella packages, collision-prone names that must not match).

use std::collections::BTreeMap;

use vigil_core::Ecosystem;
use vigil_discover::catalog::Catalog;

fn package(ecosystem: Ecosystem, name: &str) -> Option<&'static str> {
    Catalog::get().by_package(ecosystem, name).map(|s| s.id.as_str())
}

fn import(module: &str) -> Option<&'static str> {
    Catalog::get().by_import(module).map(|s| s.id.as_str())
}

#[test]
fn the_catalog_covers_every_kind() {
    let catalog = Catalog::get();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for sdk in &catalog.sdks {
        *kinds.entry(sdk.kind.as_str()).or_default() += 1;
    }
    let count = |kind: &str| kinds.get(kind).copied().unwrap_or_default();
    assert!(catalog.sdks.len() >= 170, "{} entries", catalog.sdks.len());
    assert!(count("ai-usage") >= 25, "{kinds:?}");
    assert!(count("telemetry") >= 15, "{kinds:?}");
    assert!(count("datastore") >= 20, "{kinds:?}");
    assert!(count("identity") >= 15, "{kinds:?}");
    assert!(count("integration") >= 50, "{kinds:?}");
}

#[test]
fn every_package_belongs_to_one_entry() {
    let catalog = Catalog::get();
    for sdk in &catalog.sdks {
        for entry in &sdk.packages {
            let Some((ecosystem, name)) = entry.split_once(':') else {
                panic!("{}: `{entry}`", sdk.id)
            };
            let Some(ecosystem) = Ecosystem::from_osv(ecosystem) else {
                panic!("{}: `{entry}`", sdk.id)
            };
            let found = catalog.by_package(ecosystem, name).map(|s| s.id.as_str());
            assert_eq!(
                found,
                Some(sdk.id.as_str()),
                "`{entry}` is listed by {} and a later entry",
                sdk.id
            );
        }
    }
}

#[test]
fn no_import_prefix_is_shadowed_by_an_earlier_entry() {
    let catalog = Catalog::get();
    for sdk in &catalog.sdks {
        assert!(
            sdk.imports.iter().all(|p| !p.is_empty() && p.trim() == p),
            "{}: {:?}",
            sdk.id,
            sdk.imports
        );
        for prefix in &sdk.imports {
            assert_eq!(
                catalog.by_import(prefix).map(|s| s.id.as_str()),
                Some(sdk.id.as_str()),
                "`{prefix}` of {}",
                sdk.id
            );
        }
    }
}

#[test]
fn declared_packages_are_found_per_ecosystem() {
    let cases: &[(Ecosystem, &str, &str)] = &[
        // npm
        (Ecosystem::Npm, "@anthropic-ai/sdk", "anthropic"),
        (Ecosystem::Npm, "@aws-sdk/client-s3", "aws-s3"),
        (Ecosystem::Npm, "@aws-sdk/client-dynamodb", "dynamodb"),
        (Ecosystem::Npm, "@aws-sdk/client-sqs", "aws-sqs"),
        (
            Ecosystem::Npm,
            "@aws-sdk/client-cognito-identity-provider",
            "aws-cognito",
        ),
        (Ecosystem::Npm, "@aws-sdk/client-bedrock-runtime", "aws-bedrock"),
        (Ecosystem::Npm, "aws-sdk", "aws"),
        (Ecosystem::Npm, "ai", "vercel-ai"),
        (Ecosystem::Npm, "@ai-sdk/openai", "openai"),
        (Ecosystem::Npm, "@langchain/anthropic", "anthropic"),
        (Ecosystem::Npm, "@langchain/core", "langchain"),
        (Ecosystem::Npm, "@prisma/client", "prisma"),
        (Ecosystem::Npm, "ioredis", "redis"),
        (Ecosystem::Npm, "kafkajs", "kafka"),
        (Ecosystem::Npm, "mongoose", "mongodb"),
        (Ecosystem::Npm, "passport-google-oauth20", "passport"),
        (Ecosystem::Npm, "next-auth", "nextauth"),
        (Ecosystem::Npm, "keycloak-js", "keycloak"),
        (Ecosystem::Npm, "pino", "pino"),
        (Ecosystem::Npm, "@opentelemetry/api", "opentelemetry"),
        (Ecosystem::Npm, "dd-trace", "datadog"),
        (Ecosystem::Npm, "@sendgrid/mail", "sendgrid"),
        (Ecosystem::Npm, "@supabase/supabase-js", "supabase"),
        (Ecosystem::Npm, "@google-cloud/storage", "gcs"),
        (Ecosystem::Npm, "firebase-admin", "firebase"),
        // PyPI, with PEP 503 normalisation
        (Ecosystem::PyPI, "boto3", "aws"),
        (Ecosystem::PyPI, "google-cloud-storage", "gcs"),
        (Ecosystem::PyPI, "Google_Cloud_BigQuery", "bigquery"),
        (Ecosystem::PyPI, "sentry-sdk", "sentry"),
        (Ecosystem::PyPI, "PyJWT", "jwt"),
        (Ecosystem::PyPI, "pyjwt", "jwt"),
        (Ecosystem::PyPI, "python-jose", "jose"),
        (Ecosystem::PyPI, "mysqlclient", "mysql"),
        (Ecosystem::PyPI, "psycopg2-binary", "postgresql"),
        (Ecosystem::PyPI, "huggingface_hub", "huggingface"),
        (Ecosystem::PyPI, "scikit-learn", "scikit-learn"),
        (Ecosystem::PyPI, "torch", "pytorch"),
        (Ecosystem::PyPI, "llama-cpp-python", "llama-cpp"),
        (Ecosystem::PyPI, "langchain-openai", "openai"),
        (Ecosystem::PyPI, "groq", "groq"),
        (Ecosystem::PyPI, "django-allauth", "django-allauth"),
        (Ecosystem::PyPI, "Flask-Login", "flask-login"),
        (Ecosystem::PyPI, "opentelemetry-sdk", "opentelemetry"),
        (Ecosystem::PyPI, "prometheus-client", "prometheus"),
        (Ecosystem::PyPI, "confluent-kafka", "kafka"),
        (Ecosystem::PyPI, "hvac", "hashicorp-vault"),
        // Go modules (with their major version)
        (Ecosystem::Go, "github.com/redis/go-redis/v9", "redis"),
        (Ecosystem::Go, "go.mongodb.org/mongo-driver", "mongodb"),
        (Ecosystem::Go, "github.com/golang-jwt/jwt/v5", "golang-jwt"),
        (Ecosystem::Go, "golang.org/x/oauth2", "golang-oauth2"),
        (Ecosystem::Go, "github.com/aws/aws-sdk-go-v2/service/s3", "aws-s3"),
        (Ecosystem::Go, "go.uber.org/zap", "zap"),
        (Ecosystem::Go, "github.com/IBM/sarama", "kafka"),
        (Ecosystem::Go, "cloud.google.com/go/firestore", "firestore"),
        // Maven group:artifact
        (Ecosystem::Maven, "com.twilio.sdk:twilio", "twilio"),
        (Ecosystem::Maven, "software.amazon.awssdk:s3", "aws-s3"),
        (Ecosystem::Maven, "io.jsonwebtoken:jjwt-api", "jjwt"),
        (Ecosystem::Maven, "com.auth0:java-jwt", "java-jwt"),
        (
            Ecosystem::Maven,
            "org.springframework.security:spring-security-oauth2-client",
            "spring-security-oauth2",
        ),
        (Ecosystem::Maven, "redis.clients:jedis", "redis"),
        (Ecosystem::Maven, "org.apache.kafka:kafka-clients", "kafka"),
        (Ecosystem::Maven, "ch.qos.logback:logback-classic", "logback"),
        (Ecosystem::Maven, "dev.langchain4j:langchain4j", "langchain"),
        (
            Ecosystem::Maven,
            "io.micrometer:micrometer-registry-prometheus",
            "prometheus",
        ),
        // RubyGems
        (Ecosystem::RubyGems, "twilio-ruby", "twilio"),
        (Ecosystem::RubyGems, "aws-sdk-s3", "aws-s3"),
        (Ecosystem::RubyGems, "devise", "devise"),
        (Ecosystem::RubyGems, "jwt", "jwt"),
        (Ecosystem::RubyGems, "bunny", "rabbitmq"),
        (Ecosystem::RubyGems, "newrelic_rpm", "newrelic"),
        // Packagist
        (Ecosystem::Packagist, "firebase/php-jwt", "php-jwt"),
        (Ecosystem::Packagist, "aws/aws-sdk-php", "aws"),
        (Ecosystem::Packagist, "predis/predis", "redis"),
        (Ecosystem::Packagist, "monolog/monolog", "monolog"),
        (Ecosystem::Packagist, "league/oauth2-client", "league-oauth2"),
        // NuGet
        (Ecosystem::NuGet, "System.IdentityModel.Tokens.Jwt", "dotnet-jwt"),
        (Ecosystem::NuGet, "StackExchange.Redis", "redis"),
        (Ecosystem::NuGet, "MongoDB.Driver", "mongodb"),
        (Ecosystem::NuGet, "Azure.AI.OpenAI", "azure-openai"),
        (Ecosystem::NuGet, "AWSSDK.S3", "aws-s3"),
        (Ecosystem::NuGet, "Serilog", "serilog"),
        (Ecosystem::NuGet, "prometheus-net", "prometheus"),
        (Ecosystem::NuGet, "RabbitMQ.Client", "rabbitmq"),
        // crates.io
        (Ecosystem::CratesIo, "jsonwebtoken", "jsonwebtoken"),
        (Ecosystem::CratesIo, "redis", "redis"),
        (Ecosystem::CratesIo, "prometheus", "prometheus"),
        (Ecosystem::CratesIo, "lapin", "rabbitmq"),
        (Ecosystem::CratesIo, "async-openai", "openai"),
        (Ecosystem::CratesIo, "aws-sdk-dynamodb", "dynamodb"),
        // Pub
        (Ecosystem::Pub, "firebase_messaging", "firebase-cloud-messaging"),
        (Ecosystem::Pub, "supabase_flutter", "supabase"),
    ];
    for (ecosystem, name, id) in cases {
        assert_eq!(package(*ecosystem, name), Some(*id), "{ecosystem}:{name}");
    }
}

#[test]
fn imported_modules_are_found_per_language() {
    let cases: &[(&str, &str)] = &[
        // JavaScript / TypeScript specifiers
        ("@anthropic-ai/sdk", "anthropic"),
        ("@aws-sdk/client-s3", "aws-s3"),
        ("@aws-sdk/client-sqs", "aws-sqs"),
        ("@aws-sdk/client-secrets-manager", "aws-secrets-manager"),
        ("@aws-sdk/client-ec2", "aws"),
        ("aws-sdk/clients/s3", "aws-s3"),
        ("aws-sdk", "aws"),
        ("ai", "vercel-ai"),
        ("ai/rsc", "vercel-ai"),
        ("@ai-sdk/react", "vercel-ai"),
        ("@ai-sdk/anthropic", "anthropic"),
        ("@langchain/openai", "openai"),
        ("@langchain/core/prompts", "langchain"),
        ("firebase/auth", "firebase-auth"),
        ("firebase-admin/messaging", "firebase-cloud-messaging"),
        ("firebase/firestore", "firestore"),
        ("firebase/app", "firebase"),
        ("mysql2/promise", "mysql"),
        ("@sentry/nextjs", "sentry"),
        ("posthog-js/react", "posthog"),
        ("@azure/openai", "azure-openai"),
        ("@azure/storage-blob", "azure-blob-storage"),
        ("@azure/core-auth", "azure"),
        ("@prisma/client", "prisma"),
        ("groq-sdk", "groq"),
        // Python top-level import names, which differ from distribution names
        ("google.cloud.storage", "gcs"),
        ("google.cloud.bigquery.job", "bigquery"),
        ("google.cloud.firestore_v1", "firestore"),
        ("google.cloud", "google-cloud"),
        ("google.generativeai", "google-gemini"),
        ("vertexai.generative_models", "vertex-ai"),
        ("sentry_sdk", "sentry"),
        ("sentry_sdk.integrations.django", "sentry"),
        ("jwt", "jwt"),
        ("jose.jwt", "jose"),
        ("anthropic", "anthropic"),
        ("boto3", "aws"),
        ("botocore.exceptions", "aws"),
        ("MySQLdb", "mysql"),
        ("pymysql.cursors", "mysql"),
        ("psycopg2.extras", "postgresql"),
        ("motor.motor_asyncio", "mongodb"),
        ("sklearn.ensemble", "scikit-learn"),
        ("torch.nn", "pytorch"),
        ("huggingface_hub", "huggingface"),
        ("transformers", "transformers"),
        ("llama_index.core", "llamaindex"),
        ("langchain_core.messages", "langchain"),
        ("langchain_anthropic", "anthropic"),
        ("azure.identity", "azure-identity"),
        ("azure.storage.blob", "azure-blob-storage"),
        ("azure.mgmt.compute", "azure"),
        ("firebase_admin", "firebase"),
        ("allauth.account", "django-allauth"),
        ("flask_login", "flask-login"),
        ("opentelemetry.trace", "opentelemetry"),
        ("prometheus_client", "prometheus"),
        ("confluent_kafka", "kafka"),
        ("snowflake.connector", "snowflake"),
        ("haystack.components.generators", "haystack"),
        // Go import paths
        ("github.com/aws/aws-sdk-go-v2/service/s3", "aws-s3"),
        ("github.com/aws/aws-sdk-go-v2/config", "aws"),
        ("github.com/redis/go-redis/v9", "redis"),
        ("github.com/golang-jwt/jwt/v5", "golang-jwt"),
        ("golang.org/x/oauth2/google", "golang-oauth2"),
        ("go.opentelemetry.io/otel/trace", "opentelemetry"),
        ("go.uber.org/zap", "zap"),
        ("cloud.google.com/go/pubsub/v2", "google-pubsub"),
        ("cloud.google.com/go/compute/metadata", "google-cloud"),
        ("github.com/google/go-github/v62/github", "github"),
        ("gitlab.com/gitlab-org/api/client-go", "gitlab"),
        ("firebase.google.com/go/v4/messaging", "firebase-cloud-messaging"),
        ("firebase.google.com/go/v4", "firebase"),
        // Java package prefixes
        ("com.twilio.rest.api.v2010.account.Message", "twilio"),
        ("com.auth0.jwt.JWT", "java-jwt"),
        ("com.auth0.client.auth.AuthAPI", "auth0"),
        (
            "org.springframework.security.oauth2.jwt.Jwt",
            "spring-security-oauth2",
        ),
        (
            "org.springframework.security.core.Authentication",
            "spring-security",
        ),
        ("software.amazon.awssdk.services.s3.S3Client", "aws-s3"),
        ("software.amazon.awssdk.regions.Region", "aws"),
        ("io.jsonwebtoken.Jwts", "jjwt"),
        ("ai.onnxruntime.OrtSession", "onnxruntime"),
        ("com.squareup.square.SquareClient", "square"),
        ("org.slf4j.Logger", "slf4j"),
        // Ruby require names
        ("twilio-ruby", "twilio"),
        ("aws-sdk-s3", "aws-s3"),
        ("google/cloud/storage", "gcs"),
        ("telegram/bot", "telegram"),
        ("segment/analytics", "segment"),
        ("onelogin/ruby-saml", "saml"),
        // PHP namespaces
        ("Stripe\\StripeClient", "stripe"),
        ("Twilio\\Rest\\Client", "twilio"),
        ("Aws\\S3\\S3Client", "aws-s3"),
        ("Aws\\Sdk", "aws"),
        ("Firebase\\JWT\\JWT", "php-jwt"),
        ("Kreait\\Firebase\\Factory", "firebase"),
        ("Google\\Cloud\\Storage\\StorageClient", "gcs"),
        ("Monolog\\Logger", "monolog"),
        // C# namespaces
        ("Stripe", "stripe"),
        ("Amazon.S3.Model", "aws-s3"),
        ("Amazon.Runtime", "aws"),
        ("Azure.AI.OpenAI", "azure-openai"),
        ("Azure.Core", "azure"),
        ("Microsoft.ML.OnnxRuntime", "onnxruntime"),
        ("Microsoft.ML.Data", "mlnet"),
        ("Microsoft.IdentityModel.Tokens", "dotnet-jwt"),
        ("Microsoft.Identity.Client", "microsoft-entra-msal"),
        ("StackExchange.Redis", "redis"),
        ("Serilog", "serilog"),
        // Rust crate roots (`-` becomes `_`)
        ("aws_sdk_s3", "aws-s3"),
        ("tokio_postgres", "postgresql"),
        ("async_openai", "openai"),
        ("opentelemetry_sdk", "opentelemetry"),
        ("jsonwebtoken", "jsonwebtoken"),
        ("tracing_subscriber", "rust-tracing"),
    ];
    for (module, id) in cases {
        assert_eq!(import(module), Some(*id), "{module}");
    }
}

#[test]
fn common_libraries_and_near_misses_are_not_sdks() {
    for name in [
        "lodash",
        "react",
        "express",
        "axios",
        "typescript",
        "@types/node",
        "groq",
        "sift",
    ] {
        assert_eq!(package(Ecosystem::Npm, name), None, "npm:{name}");
    }
    for name in [
        "requests",
        "PyYAML",
        "numpy",
        "pandas",
        "django",
        "flask",
        "bcrypt",
        "argon2-cffi",
        "sqlalchemy",
    ] {
        assert_eq!(package(Ecosystem::PyPI, name), None, "PyPI:{name}");
    }
    assert_eq!(package(Ecosystem::Maven, "org.hibernate:hibernate-core"), None);
    assert_eq!(package(Ecosystem::Go, "github.com/gin-gonic/gin"), None);
    assert_eq!(package(Ecosystem::CratesIo, "serde"), None);
    for module in [
        "lodash",
        "react",
        "react-dom/client",
        "express",
        "requests",
        "yaml",
        "json",
        "os.path",
        "numpy",
        "django.db.models",
        "sqlalchemy.orm",
        "bcrypt",
        // Bare names that would collide if they were prefixes.
        "github",
        "github.com/gin-gonic/gin",
        "github.com/spf13/cobra",
        "gitlab.com/acme/tool",
        "google",
        "google.protobuf",
        "google.golang.org/grpc",
        "google.golang.org/api/option",
        "com.squareup.okhttp3.OkHttpClient",
        "analytics",
        "paddle",
        "groq",
        "vault",
        "motor",
        "agents",
        "mcp",
        "haystack",
        "sift",
        "snowflake",
        "github.com/DataDog/zstd",
        // Prefixes end at a module boundary.
        "stripe-mock",
        "pgx",
        "redisearch",
        "openai_helpers",
        "aiohttp",
        "airflow",
    ] {
        assert_eq!(import(module), None, "{module}");
    }
}

#[test]
fn kinds_map_to_asset_kinds_and_data_classes() {
    let catalog = Catalog::get();
    let by_id = |id: &str| {
        catalog
            .sdks
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no `{id}`"))
    };
    assert_eq!(by_id("stripe").data_classes().len(), 2);
    assert!(by_id("auth0").receives.iter().any(|c| c == "secrets"));
    assert!(by_id("anthropic").receives.iter().any(|c| c == "pii"));
    assert_eq!(by_id("dynamodb").kind, "datastore");
    assert_eq!(by_id("aws-sqs").category, "queue");
    assert_eq!(by_id("aws-secrets-manager").category, "secrets-management");
    assert_eq!(by_id("amazon-ses").category, "email");
    assert_eq!(by_id("neo4j").category, "graph-database");
    assert_eq!(by_id("pinecone").category, "vector-database");
    assert_eq!(by_id("pino").category, "logging");
    assert_eq!(by_id("prisma").name, "Prisma Client");
    for sdk in &catalog.sdks {
        assert!(!sdk.receives.is_empty(), "{}: receives nothing", sdk.id);
        assert_eq!(
            sdk.data_classes().len(),
            sdk.receives.len(),
            "{}: {:?}",
            sdk.id,
            sdk.receives
        );
    }
}
