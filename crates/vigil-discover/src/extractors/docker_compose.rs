//! Docker Compose files (`compose.yaml`, `docker-compose.yml`, `docker-compose.<env>.yml`, ...): one
//! `cloud-resource` asset per service.
//!
//! The YAML is read with the shared reader (YAML 1.2, as the Compose specification asks, so `80:80` is a
//! string, never a base-60 number); anchors and `<<` merges, common in `x-` blocks, are applied by the
//! parser. Nothing is interpolated: `${VAR:-default}` stays as written, and `env_file`, `extends` and
//! `include` are not followed. Files of the legacy version 1 format, whose services sit at the top level, are
//! read too.
//!
//! Layout (id `cloud-resource:<file>:<service>`, evidence at the service's name): `provider`
//! (`docker-compose`), `resource_type` (`compose::service`), `resource_name` and `address` (the service
//! name), `module_dir`, `mode` (`managed`), `format` (`compose`), `config` (the service as written, with
//! these keys normalised: `build` is always a mapping (`{"context": ...}`); `ports` items are
//! `{host_ip, published, target, protocol}` (`host_ip` null = all interfaces, `published` null = a random
//! host port; numbers when numeric, strings for ranges and variables; `protocol` defaults to `tcp`);
//! `environment` is a mapping in both its forms, values of secret-looking names that are literals (no `$`)
//! redacted to `hunt…(14 chars)`; `volumes` items are `{type, source, target, read_only, sensitive}` where
//! `sensitive` is `docker-socket`, `host-root` or `host-system` (`/etc`, `/proc`, `/sys`, ... mounted
//! whole) for such bind mounts, else null), `mounts_docker_socket` and `mounts_host_root` (booleans), and
//! `secrets_in_environment` (the names whose values were redacted). `attribute_lines` holds every path
//! inside `config` (`image`, `ports.0`, `environment.DB_PASSWORD`, `volumes.1`, `privileged`, `cap_add.0`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::extractors::dockerfile::{is_literal, is_secret_name};
use crate::extractors::secrets::redact;
use crate::yaml::{self, Entries, Node, Spanned, get, key_text, line_of};

#[derive(Debug)]
pub struct DockerCompose;

/// Top-level keys of the Compose specification, besides `services`.
const TOP_LEVEL: [&str; 7] = [
    "version", "name", "networks", "volumes", "secrets", "configs", "include",
];

/// Host paths whose bind mount hands the container the host.
const SOCKETS: [&str; 3] = ["docker.sock", "podman.sock", "containerd.sock"];
const SYSTEM_DIRS: [&str; 11] = [
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/root",
    "/home",
    "/var/lib/docker",
    "/lib/modules",
    "/var/run",
    "/run",
];

impl Extractor for DockerCompose {
    fn name(&self) -> &'static str {
        "docker/compose"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        let yaml = file_name.ends_with(".yml") || file_name.ends_with(".yaml");
        yaml && (file_name.starts_with("docker-compose.") || file_name.starts_with("compose."))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let root = yaml::parse(file)?;
        let top = match root.value.untagged() {
            Node::Null => return Ok(()),
            Node::Map(entries) => entries.as_slice(),
            other => {
                return Err(file.error(
                    Some(line_of(&root)),
                    format!(
                        "not a Compose file: the document is {}, not a mapping",
                        other.describe()
                    ),
                ));
            }
        };
        let services = match get(top, "services") {
            Some((key, services)) => match services.value.untagged() {
                Node::Map(entries) => entries.as_slice(),
                Node::Null => return Ok(()),
                other => {
                    out.diagnostics.push(file.warning(
                        Some(line_of(key)),
                        format!(
                            "`services` is {}, not a mapping; no services read",
                            other.describe()
                        ),
                    ));
                    return Ok(());
                }
            },
            None if is_version_1(top) => top,
            None => {
                let known = top.iter().any(|(k, _)| {
                    let key = key_text(k);
                    TOP_LEVEL.contains(&key.as_ref()) || key.starts_with("x-")
                });
                if known {
                    return Ok(()); // networks or volumes only: a fragment for other files
                }
                return Err(file.error(
                    top.first().map(|(k, _)| line_of(k)),
                    "not a Compose file: no `services` and no other Compose key",
                ));
            }
        };
        let module_dir = match file.dir() {
            "" => ".",
            dir => dir,
        };
        for (key, service) in services {
            let name = key_text(key).into_owned();
            if name.starts_with("x-") {
                continue;
            }
            match service.value.untagged() {
                // `service:` with nothing under it is a service with defaults only.
                Node::Map(_) | Node::Null => {
                    out.assets
                        .push(read_service(file, module_dir, &name, line_of(key), service));
                }
                other => out.diagnostics.push(file.warning(
                    Some(line_of(key)),
                    format!("service `{name}` is {}, not a mapping; skipped", other.describe()),
                )),
            }
        }
        Ok(())
    }
}

/// Version 1 files have no `services` key: every top-level entry is a service.
fn is_version_1(top: &Entries) -> bool {
    !top.is_empty()
        && top.iter().all(|(_, service)| {
            service
                .value
                .as_map()
                .is_some_and(|fields| get(fields, "image").is_some() || get(fields, "build").is_some())
        })
}

fn read_service(
    file: &SourceFile<'_>,
    module_dir: &str,
    name: &str,
    line: u32,
    service: &Spanned<Node>,
) -> Asset {
    let mut lines = BTreeMap::new();
    let mut config = match yaml::to_json_lines(service, "", &mut lines) {
        Value::Object(config) => config,
        _ => Map::new(),
    };
    if let Some(Value::String(context)) = config.get("build") {
        let context = context.clone();
        config.insert("build".to_owned(), json!({ "context": context }));
    }
    if let Some(Value::Array(ports)) = config.get_mut("ports") {
        for item in ports.iter_mut() {
            *item = port(item);
        }
    }
    let mut secrets = Vec::new();
    if let Some(environment) = config.get_mut("environment") {
        *environment = Value::Object(read_environment(environment, &mut lines, &mut secrets));
    }
    let (mut docker_socket, mut host_root) = (false, false);
    if let Some(Value::Array(volumes)) = config.get_mut("volumes") {
        for item in volumes.iter_mut() {
            *item = volume(item);
            match item.get("sensitive").and_then(Value::as_str) {
                Some("docker-socket") => docker_socket = true,
                Some("host-root") => host_root = true,
                _ => {}
            }
        }
    }
    let id = AssetId::from_parts(AssetKind::CloudResource, &[file.path, name]);
    let mut asset = Asset::new(AssetKind::CloudResource, id, name, file.evidence(Some(line)))
        .with("provider", "docker-compose")
        .with("resource_type", "compose::service")
        .with("resource_name", name)
        .with("address", name)
        .with("module_dir", module_dir)
        .with("mode", "managed")
        .with("format", "compose")
        .with("config", Value::Object(config))
        .with("mounts_docker_socket", docker_socket)
        .with("mounts_host_root", host_root)
        .with("secrets_in_environment", secrets);
    asset.attribute_lines = lines;
    asset
}

/// `environment` as a mapping, from either `{KEY: value}` or `[KEY=value, KEY]`; secret values redacted.
fn read_environment(
    environment: &Value,
    lines: &mut BTreeMap<String, u32>,
    secrets: &mut Vec<String>,
) -> Map<String, Value> {
    let pairs: Vec<(String, Value)> = match environment {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let text = match item {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let (name, value) = match text.split_once('=') {
                    Some((name, value)) => (name.to_owned(), Value::String(value.to_owned())),
                    // `- KEY` passes the variable through from the shell running compose.
                    None => (text, Value::Null),
                };
                if let Some(line) = lines.remove(&format!("environment.{index}")) {
                    lines.insert(format!("environment.{name}"), line);
                }
                (name, value)
            })
            .collect(),
        _ => Vec::new(),
    };
    pairs
        .into_iter()
        .map(|(name, value)| {
            let literal = match &value {
                Value::String(s) => is_literal(s).then(|| s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let shown = match literal {
                Some(text) if is_secret_name(&name) => {
                    secrets.push(name.clone());
                    Value::String(redact(&text))
                }
                _ => value,
            };
            (name, shown)
        })
        .collect()
}

/// A port in its short (`"127.0.0.1:8080:80/tcp"`, `3000`) or long form, normalised.
fn port(item: &Value) -> Value {
    let (host_ip, published, target, protocol) = match item {
        Value::Number(target) => (
            Value::Null,
            Value::Null,
            Value::Number(target.clone()),
            "tcp".to_owned(),
        ),
        Value::String(short) => {
            let (spec, protocol) = short.rsplit_once('/').unwrap_or((short.as_str(), "tcp"));
            // `[::1]:8080:80`: an IPv6 host address is bracketed.
            let (host_ip, rest) = match spec.strip_prefix('[').and_then(|s| s.split_once("]:")) {
                Some((ip, rest)) => (Some(ip), rest),
                None => (None, spec),
            };
            let mut parts = rest.rsplitn(3, ':');
            let target = parts.next().unwrap_or_default();
            let published = parts.next();
            let host_ip = host_ip.or_else(|| parts.next());
            (
                host_ip
                    .filter(|ip| !ip.is_empty())
                    .map_or(Value::Null, |ip| json!(ip)),
                published
                    .filter(|p| !p.is_empty())
                    .map_or(Value::Null, number_or_text),
                number_or_text(target),
                protocol.to_ascii_lowercase(),
            )
        }
        Value::Object(long) => (
            long.get("host_ip").cloned().unwrap_or(Value::Null),
            match long.get("published") {
                Some(Value::String(p)) => number_or_text(p),
                Some(other) => other.clone(),
                None => Value::Null,
            },
            match long.get("target") {
                Some(Value::String(t)) => number_or_text(t),
                Some(other) => other.clone(),
                None => Value::Null,
            },
            long.get("protocol")
                .and_then(Value::as_str)
                .unwrap_or("tcp")
                .to_ascii_lowercase(),
        ),
        other => return other.clone(),
    };
    json!({"host_ip": host_ip, "published": published, "target": target, "protocol": protocol})
}

fn number_or_text(text: &str) -> Value {
    text.parse::<u64>().map_or_else(|_| json!(text), Value::from)
}

/// A volume in its short (`./data:/data:ro`, `name:/data`, `/data`) or long form, normalised.
fn volume(item: &Value) -> Value {
    let (kind, source, target, read_only) = match item {
        Value::String(short) => {
            // A Windows drive letter is part of the source, not a separator.
            let drive = short.len() > 2
                && short.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
                && short.get(1..3).is_some_and(|s| s == ":\\" || s == ":/");
            let (prefix, rest) = match (drive, short.get(..2), short.get(2..)) {
                (true, Some(prefix), Some(rest)) => (prefix, rest),
                _ => ("", short.as_str()),
            };
            let parts: Vec<&str> = rest.split(':').collect();
            match parts.as_slice() {
                [target] => ("volume".to_owned(), None, (*target).to_owned(), false),
                [source, target, modes @ ..] => {
                    let source = format!("{prefix}{source}");
                    let read_only = modes.iter().any(|m| m.split(',').any(|m| m == "ro"));
                    let kind = if is_host_path(&source) { "bind" } else { "volume" };
                    (kind.to_owned(), Some(source), (*target).to_owned(), read_only)
                }
                [] => return item.clone(),
            }
        }
        Value::Object(long) => (
            long.get("type")
                .and_then(Value::as_str)
                .unwrap_or("volume")
                .to_owned(),
            long.get("source").and_then(Value::as_str).map(str::to_owned),
            long.get("target")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            long.get("read_only") == Some(&Value::Bool(true)),
        ),
        other => return other.clone(),
    };
    let sensitive = source
        .as_deref()
        .filter(|_| kind == "bind")
        .and_then(sensitive_host_path);
    json!({
        "type": kind,
        "source": source,
        "target": target,
        "read_only": read_only,
        "sensitive": sensitive,
    })
}

fn is_host_path(source: &str) -> bool {
    source.starts_with(['/', '.', '~', '$', '\\']) || source.get(1..2) == Some(":")
}

fn sensitive_host_path(source: &str) -> Option<&'static str> {
    let path = source.trim_end_matches('/');
    if path.is_empty() && source.starts_with('/') {
        return Some("host-root");
    }
    if SOCKETS.iter().any(|s| path.ends_with(s)) {
        return Some("docker-socket");
    }
    SYSTEM_DIRS.contains(&path).then_some("host-system")
}
