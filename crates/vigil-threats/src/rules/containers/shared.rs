//! Facts the Kubernetes, Compose and Dockerfile rules share: dangerous capabilities, sensitive host paths
//! and ports, image references, secret-looking variable names, Compose services and Dockerfiles.

use serde_json::{Map, Value};
use vigil_core::Asset;
use vigil_model::terraform::config;

use crate::rule::Context;

/// Capabilities that hand a container the host or the kernel, with what each allows and an impact (1..10).
pub const DANGEROUS_CAPABILITIES: [(&str, &str, u8); 10] = [
    ("ALL", "every capability, as good as privileged", 9),
    (
        "SYS_ADMIN",
        "mount, namespace and cgroup control: the usual container escape (cgroup release_agent)",
        9,
    ),
    ("SYS_MODULE", "loading kernel modules into the host kernel", 10),
    ("SYS_RAWIO", "raw access to devices and I/O ports", 8),
    ("SYS_PTRACE", "tracing and injecting code into other processes", 8),
    (
        "DAC_READ_SEARCH",
        "opening host files by handle, bypassing read permissions (the Shocker escape)",
        8,
    ),
    ("BPF", "loading eBPF programs into the kernel", 8),
    ("MAC_ADMIN", "changing AppArmor or SELinux policy", 7),
    ("MAC_OVERRIDE", "overriding AppArmor or SELinux policy", 7),
    (
        "NET_ADMIN",
        "reconfiguring interfaces, routes and firewall rules, and sniffing or spoofing traffic",
        6,
    ),
];

/// What a capability allows and its impact, when it is a dangerous one (`CAP_` prefix and case ignored).
pub fn dangerous_capability(raw: &str) -> Option<(&'static str, &'static str, u8)> {
    let name = capability(raw);
    DANGEROUS_CAPABILITIES
        .iter()
        .find(|(c, _, _)| *c == name)
        .copied()
}

/// `cap_sys_admin` -> `SYS_ADMIN`.
pub fn capability(raw: &str) -> String {
    let upper = raw.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").unwrap_or(&upper).to_owned()
}

/// Ports of databases and administration services that should never face untrusted networks.
pub const SENSITIVE_PORTS: [(u64, &str); 27] = [
    (22, "SSH"),
    (23, "Telnet"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2181, "ZooKeeper"),
    (2375, "Docker API"),
    (2376, "Docker API (TLS)"),
    (2379, "etcd"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5601, "Kibana"),
    (5672, "RabbitMQ"),
    (5900, "VNC"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (7474, "Neo4j"),
    (8086, "InfluxDB"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch transport"),
    (10250, "kubelet"),
    (11211, "Memcached"),
    (15672, "RabbitMQ management"),
    (27017, "MongoDB"),
    (28015, "RethinkDB"),
];

/// The service usually behind a sensitive port.
pub fn sensitive_port(port: u64) -> Option<&'static str> {
    SENSITIVE_PORTS
        .iter()
        .find(|(p, _)| *p == port)
        .map(|(_, name)| *name)
}

/// A port number written as a number or a numeric string.
pub fn port_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Sockets of container runtimes: whoever reaches one starts privileged containers on the host.
const RUNTIME_SOCKETS: [&str; 5] = [
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "podman.sock",
    "cri-dockerd.sock",
];

/// The runtime socket a host path is, if any.
pub fn runtime_socket(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    RUNTIME_SOCKETS
        .iter()
        .find(|s| path.ends_with(&format!("/{s}")) || path == **s)
        .copied()
}

/// Host directories whose mount gives a container the node: what they hold. Only the directories
/// themselves count: `/etc/ssl/certs` is not `/etc`.
const SENSITIVE_HOST_DIRS: [(&str, &str); 21] = [
    ("/", "the whole host filesystem"),
    (
        "/etc",
        "the host's configuration, password hashes and credentials",
    ),
    ("/root", "root's home directory, SSH keys and shell history"),
    ("/home", "users' home directories and SSH keys"),
    ("/proc", "every host process, their environments and memory maps"),
    ("/sys", "kernel and device settings"),
    ("/dev", "the host's devices, disks included"),
    ("/boot", "the host's kernel and boot loader"),
    ("/var", "the runtime's state, its socket and every pod's volumes"),
    ("/var/run", "the runtime sockets"),
    ("/run", "the runtime sockets"),
    ("/var/lib", "the runtime's and kubelet's state"),
    (
        "/var/lib/kubelet",
        "every pod's volumes, Secrets and service account tokens",
    ),
    ("/var/lib/docker", "every container's filesystem"),
    ("/var/lib/containerd", "every container's filesystem"),
    (
        "/etc/kubernetes",
        "the node's kubelet credentials and cluster certificates",
    ),
    (
        "/var/log",
        "the host's logs (a writable mount lets a symlink make the kubelet read any host file)",
    ),
    ("/usr", "the host's programs"),
    ("/bin", "the host's programs"),
    ("/sbin", "the host's programs"),
    ("/lib/modules", "the host's kernel modules"),
];

/// What a sensitive host path holds; runtime sockets are not included (see [`runtime_socket`]).
pub fn sensitive_host_path(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    let path = if trimmed.is_empty() && path.starts_with('/') {
        "/"
    } else {
        trimmed
    };
    SENSITIVE_HOST_DIRS
        .iter()
        .find(|(dir, _)| *dir == path)
        .map(|(_, what)| *what)
}

/// An image reference: `registry:5000/team/app:1.2@sha256:...`.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

pub fn image_ref(image: &str) -> ImageRef<'_> {
    let (reference, digest) = match image.split_once('@') {
        Some((reference, digest)) => (reference, Some(digest)),
        None => (image, None),
    };
    // A colon before the last slash is a registry port, not a tag.
    let name_start = reference.rfind('/').map_or(0, |i| i + 1);
    match reference.get(name_start..).and_then(|n| n.rfind(':')) {
        Some(colon) => {
            let at = name_start + colon;
            ImageRef {
                name: reference.get(..at).unwrap_or(reference),
                tag: reference.get(at + 1..),
                digest,
            }
        }
        None => ImageRef {
            name: reference,
            tag: None,
            digest,
        },
    }
}

/// Why an image reference floats: `no tag` or `the tag latest`; `None` when it is pinned by a version tag
/// or a digest.
pub fn floating_tag(image: &ImageRef<'_>) -> Option<&'static str> {
    if image.digest.is_some() {
        return None;
    }
    match image.tag {
        None | Some("") => Some("no tag, so the registry's `latest`"),
        Some(tag) if tag.eq_ignore_ascii_case("latest") => Some("the tag `latest`"),
        Some(_) => None,
    }
}

/// Name words that only say something about a secret (where it is, what it is called), not the secret.
const NOT_THE_SECRET: [&str; 24] = [
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "name",
    "id",
    "endpoint",
    "header",
    "type",
    "length",
    "ttl",
    "expiry",
    "expiration",
    "enabled",
    "mode",
    "method",
    "provider",
    "issuer",
    "host",
    "port",
    "user",
    "username",
    "ref",
];

/// Whether an environment variable name says it holds a secret (`DB_PASSWORD`, `STRIPE_API_KEY`), and not
/// only something about one (`PASSWORD_FILE`, `TOKEN_URL`, `AUTH_MODE`).
pub fn secret_variable(name: &str) -> bool {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let last = words.last().map(String::as_str).unwrap_or_default();
    let key_id = words.len() >= 3 && words[words.len() - 3..] == ["access", "key", "id"];
    crate::secrets::is_secret_name(name) && (key_id || !NOT_THE_SECRET.contains(&last))
}

/// Compose services of the inventory.
pub fn compose_services<'a>(ctx: &Context<'a>) -> Vec<(&'a Asset, &'a Map<String, Value>)> {
    ctx.tf
        .of_type("compose::service")
        .filter(|s| s.attr_str("provider") == Some("docker-compose"))
        .filter_map(|s| config(s).map(|c| (s, c)))
        .collect()
}

/// A Compose value as literal text: strings without `${...}` interpolation, and numbers.
pub fn compose_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.contains('$') => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The strings of a Compose list (`cap_add`, `security_opt`) with their index; interpolated items left out.
pub fn compose_list<'a>(service: &'a Map<String, Value>, key: &str) -> Vec<(usize, &'a str)> {
    service
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, v)| v.as_str().filter(|s| !s.contains('$')).map(|s| (i, s)))
        .collect()
}

/// Dockerfiles of the inventory.
pub fn dockerfiles<'a>(ctx: &Context<'a>) -> Vec<&'a Asset> {
    ctx.tf
        .of_type("dockerfile")
        .filter(|d| d.attr_str("provider") == Some("docker"))
        .collect()
}

/// The objects of a Dockerfile list attribute (`add_remote`, `verification_disabled`) with their index.
pub fn dockerfile_entries<'a>(image: &'a Asset, key: &str) -> Vec<(usize, &'a Map<String, Value>)> {
    image
        .attributes
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, v)| v.as_object().map(|o| (i, o)))
        .collect()
}

/// A verification a Dockerfile's RUN commands switch off (`check` is `tls` or `signature`), once per option.
#[derive(Debug)]
pub struct DisabledVerification<'a> {
    pub tool: &'a str,
    pub option: &'a str,
    /// Evidence at the RUN line that switches it off.
    pub evidence: vigil_core::Evidence,
}

pub fn disabled_verifications<'a>(image: &'a Asset, check: &str) -> Vec<DisabledVerification<'a>> {
    let mut found: Vec<DisabledVerification<'a>> = Vec::new();
    for (index, entry) in dockerfile_entries(image, "verification_disabled") {
        let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default();
        if text("check") != check || found.iter().any(|f| f.option == text("option")) {
            continue;
        }
        found.push(DisabledVerification {
            tool: text("tool"),
            option: text("option"),
            evidence: image.evidence_for(&format!("verification_disabled.{index}")),
        });
    }
    found
}

/// Compose services whose `key` is literally `host` (`network_mode`, `pid`, `ipc`).
pub fn compose_host_mode<'a>(ctx: &Context<'a>, key: &str) -> Vec<&'a Asset> {
    compose_services(ctx)
        .into_iter()
        .filter(|(_, service)| service.get(key).and_then(Value::as_str) == Some("host"))
        .map(|(asset, _)| asset)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_paths_and_names() {
        assert_eq!(
            image_ref("registry:5000/team/app:1.2@sha256:abc"),
            ImageRef {
                name: "registry:5000/team/app",
                tag: Some("1.2"),
                digest: Some("sha256:abc")
            }
        );
        assert!(floating_tag(&image_ref("registry:5000/app")).is_some());
        assert!(floating_tag(&image_ref("nginx:latest")).is_some());
        assert!(floating_tag(&image_ref("nginx:1.27")).is_none());
        assert!(floating_tag(&image_ref("nginx@sha256:abc")).is_none());
        assert_eq!(runtime_socket("/var/run/docker.sock"), Some("docker.sock"));
        assert_eq!(
            runtime_socket("/run/containerd/containerd.sock/"),
            Some("containerd.sock")
        );
        assert_eq!(runtime_socket("/var/run/docker.socket"), None);
        assert!(sensitive_host_path("/").is_some());
        assert!(sensitive_host_path("/etc/").is_some());
        assert!(sensitive_host_path("/etc/ssl/certs").is_none());
        assert!(secret_variable("DB_PASSWORD"));
        assert!(secret_variable("stripe_api_key"));
        assert!(secret_variable("AWS_ACCESS_KEY_ID"));
        assert!(!secret_variable("DB_PASSWORD_FILE"));
        assert!(!secret_variable("AUTH_MODE"));
        assert!(!secret_variable("TOKEN_URL"));
        assert!(!secret_variable("LOG_LEVEL"));
        assert_eq!(
            dangerous_capability("cap_sys_admin").map(|c| c.0),
            Some("SYS_ADMIN")
        );
        assert!(dangerous_capability("NET_BIND_SERVICE").is_none());
    }
}
