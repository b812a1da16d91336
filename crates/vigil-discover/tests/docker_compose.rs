#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `docker/compose`.

mod common;

use std::time::{Duration, Instant};

use common::run_extractor;
use serde_json::json;
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::docker_compose::DockerCompose;

const PATH: &str = "deploy/docker-compose.yml";

fn services(text: &str) -> Vec<Asset> {
    let out = run_extractor(&DockerCompose, &[(PATH, text)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    out.assets
}

fn find<'a>(assets: &'a [Asset], name: &str) -> &'a Asset {
    assets
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

fn lines(asset: &Asset) -> Vec<(&str, u32)> {
    asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect()
}

const ONE_SERVICE: &str = "\
services:
  web:
    image: nginx:1.27
    ports:
      - \"8080:80\"
    environment:
      NGINX_HOST: example.com
";

#[test]
fn claims_compose_file_names() {
    for path in [
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yaml",
        "compose.yml",
        "ops/docker-compose.prod.yml",
        "docker-compose.override.yaml",
        "compose.override.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(DockerCompose.claims(path, name), "{path}");
    }
    for path in [
        "docker-compose.json",
        "my-compose.yml",
        "composer.json",
        "compose.yml.orig",
        "stack.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!DockerCompose.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&DockerCompose, &[(PATH, "services:\n  web: {image: [\n")]).unwrap_err();
    assert_eq!(error.path, PATH);
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(error.line.is_some(), "{error}");

    let error = run_extractor(&DockerCompose, &[(PATH, "# not compose\n- a\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");

    let error = run_extractor(&DockerCompose, &[(PATH, "\napiVersion: v1\nkind: Pod\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.message.contains("not a Compose file"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_services() {
    for text in [
        "",
        "# later\n",
        "---\n",
        "services:\n",
        "services: {}\n",
        "version: '3.8'\n",
        "networks:\n  backend: {}\nvolumes:\n  data: {}\n",
    ] {
        assert!(services(text).is_empty(), "{text:?}");
    }
}

#[test]
fn one_service() {
    let found = services(ONE_SERVICE);
    assert_eq!(found.len(), 1);
    let web = &found[0];
    assert_eq!(web.kind, AssetKind::CloudResource);
    assert_eq!(web.id.as_str(), "cloud-resource:deploy/docker-compose.yml:web");
    assert_eq!(web.evidence[0].location(), "deploy/docker-compose.yml:2");
    let expected = json!({
        "provider": "docker-compose",
        "resource_type": "compose::service",
        "resource_name": "web",
        "address": "web",
        "module_dir": "deploy",
        "mode": "managed",
        "format": "compose",
        "config": {
            "image": "nginx:1.27",
            "ports": [{"host_ip": null, "published": 8080, "target": 80, "protocol": "tcp"}],
            "environment": {"NGINX_HOST": "example.com"}
        },
        "mounts_docker_socket": false,
        "mounts_host_root": false,
        "secrets_in_environment": []
    });
    assert_eq!(serde_json::to_value(&web.attributes).unwrap(), expected);
    assert_eq!(
        lines(web),
        [
            ("environment", 6),
            ("environment.NGINX_HOST", 7),
            ("image", 3),
            ("ports", 4),
            ("ports.0", 5),
        ]
    );
}

const TWO_SERVICES: &str = "\
name: shop
x-defaults: &defaults
  restart: unless-stopped
  logging:
    driver: json-file
services:
  api:
    <<: *defaults
    build: ./api
    user: \"1000:1000\"
    ports:
      - 3000
      - 127.0.0.1:9229:9229
      - \"[::1]:8443:443/udp\"
      - 9090-9091:8080-8081
      - target: 5000
        published: \"5001\"
        host_ip: 0.0.0.0
        protocol: TCP
    environment:
      - NODE_ENV=production
      - DB_PASSWORD=hunter2hunter2
      - STRIPE_API_KEY=${STRIPE_API_KEY}
      - JWT_SECRET
    volumes:
      - ./api:/app:ro
      - node_modules:/app/node_modules
      - /var/run/docker.sock:/var/run/docker.sock
      - /:/host
      - /etc:/host-etc:ro
      - /etc/localtime:/etc/localtime:ro
      - /tmp/cache
      - type: bind
        source: /run/containerd/containerd.sock
        target: /run/containerd/containerd.sock
        read_only: true
    cap_add: [SYS_ADMIN, NET_ADMIN]
    privileged: true
    network_mode: host
  db:
    image: postgres:16@sha256:4aea012537edfad80f98d870a36e6b90b4c09b27be7f4b4759d72db863baeebb
    build:
      context: ./db
      dockerfile: Dockerfile.db
    environment:
      POSTGRES_PASSWORD: s3cr3t-pass
      POSTGRES_PASSWORD_FILE: /run/secrets/db
      API_TOKEN: 123456789
volumes:
  node_modules: {}
";

#[test]
fn two_services_with_every_normalised_key() {
    let found = services(TWO_SERVICES);
    assert_eq!(found.len(), 2);
    let api = find(&found, "api");
    assert_eq!(api.evidence[0].location(), "deploy/docker-compose.yml:7");
    let config = &api.attributes["config"];
    // The merge key brought the anchored defaults in.
    assert_eq!(config["restart"], json!("unless-stopped"));
    assert_eq!(config["logging"], json!({"driver": "json-file"}));
    assert_eq!(config["build"], json!({"context": "./api"}));
    assert_eq!(config["user"], json!("1000:1000"));
    assert_eq!(
        config["ports"],
        json!([
            {"host_ip": null, "published": null, "target": 3000, "protocol": "tcp"},
            {"host_ip": "127.0.0.1", "published": 9229, "target": 9229, "protocol": "tcp"},
            {"host_ip": "::1", "published": 8443, "target": 443, "protocol": "udp"},
            {"host_ip": null, "published": "9090-9091", "target": "8080-8081", "protocol": "tcp"},
            {"host_ip": "0.0.0.0", "published": 5001, "target": 5000, "protocol": "tcp"}
        ])
    );
    assert_eq!(
        config["environment"],
        json!({
            "NODE_ENV": "production",
            "DB_PASSWORD": "hunt…(14 chars)",
            "STRIPE_API_KEY": "${STRIPE_API_KEY}",
            "JWT_SECRET": null
        })
    );
    assert_eq!(api.attributes["secrets_in_environment"], json!(["DB_PASSWORD"]));
    assert_eq!(
        config["volumes"],
        json!([
            {"type": "bind", "source": "./api", "target": "/app", "read_only": true, "sensitive": null},
            {"type": "volume", "source": "node_modules", "target": "/app/node_modules", "read_only": false, "sensitive": null},
            {"type": "bind", "source": "/var/run/docker.sock", "target": "/var/run/docker.sock", "read_only": false, "sensitive": "docker-socket"},
            {"type": "bind", "source": "/", "target": "/host", "read_only": false, "sensitive": "host-root"},
            {"type": "bind", "source": "/etc", "target": "/host-etc", "read_only": true, "sensitive": "host-system"},
            {"type": "bind", "source": "/etc/localtime", "target": "/etc/localtime", "read_only": true, "sensitive": null},
            {"type": "volume", "source": null, "target": "/tmp/cache", "read_only": false, "sensitive": null},
            {"type": "bind", "source": "/run/containerd/containerd.sock", "target": "/run/containerd/containerd.sock", "read_only": true, "sensitive": "docker-socket"}
        ])
    );
    assert_eq!(api.attributes["mounts_docker_socket"], json!(true));
    assert_eq!(api.attributes["mounts_host_root"], json!(true));
    assert_eq!(config["cap_add"], json!(["SYS_ADMIN", "NET_ADMIN"]));
    assert_eq!(config["privileged"], json!(true));
    assert_eq!(config["network_mode"], json!("host"));
    let found_lines = lines(api);
    for expected in [
        ("user", 10),
        ("ports.1", 13),
        ("ports.4.published", 17),
        ("environment.DB_PASSWORD", 22),
        ("environment.JWT_SECRET", 24),
        ("volumes.2", 28),
        ("cap_add", 37),
        ("cap_add.1", 37),
        ("privileged", 38),
        ("network_mode", 39),
    ] {
        assert!(found_lines.contains(&expected), "{expected:?} in {found_lines:?}");
    }
    assert!(!found_lines.iter().any(|(k, _)| *k == "environment.1"));

    let db = find(&found, "db");
    assert_eq!(db.evidence[0].location(), "deploy/docker-compose.yml:40");
    assert_eq!(
        db.attributes["config"]["build"],
        json!({"context": "./db", "dockerfile": "Dockerfile.db"})
    );
    assert_eq!(
        db.attributes["config"]["environment"],
        json!({
            "POSTGRES_PASSWORD": "s3cr…(11 chars)",
            "POSTGRES_PASSWORD_FILE": "/run/secrets/db",
            "API_TOKEN": "1234…(9 chars)"
        })
    );
    assert_eq!(db.attributes["mounts_docker_socket"], json!(false));
    assert_eq!(db.attribute_lines["environment.POSTGRES_PASSWORD"], 46);
}

#[test]
fn version_1_files_have_services_at_the_top() {
    let text = "\
web:
  image: nginx
  links: [db]
db:
  image: mysql:5.7
  environment:
    MYSQL_ROOT_PASSWORD: example-root
";
    let found = services(text);
    let names: Vec<&str> = found.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["web", "db"]);
    assert_eq!(found[1].evidence[0].location(), "deploy/docker-compose.yml:4");
    assert_eq!(
        found[1].attributes["config"]["environment"]["MYSQL_ROOT_PASSWORD"],
        json!("exam…(12 chars)")
    );
}

#[test]
fn odd_services_are_warnings_and_empty_ones_are_services() {
    let text = "services:\n  bare:\n  broken: nginx\n  ok:\n    image: redis\n";
    let out = run_extractor(&DockerCompose, &[(PATH, text)]).unwrap();
    let names: Vec<&str> = out.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["bare", "ok"]);
    assert_eq!(out.assets[0].attributes["config"], json!({}));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(3));

    let out = run_extractor(&DockerCompose, &[(PATH, "services: [web]\n")]).unwrap();
    assert!(out.assets.is_empty());
    assert_eq!(out.diagnostics[0].line, Some(1));
}

#[test]
fn hostile_input_does_not_panic() {
    for end in 0..=TWO_SERVICES.len() {
        if let Some(prefix) = TWO_SERVICES.get(..end) {
            let _ = run_extractor(&DockerCompose, &[(PATH, prefix)]);
        }
    }
    for text in [
        "services:\n  a:\n    ports: [\":\", \"::\", \"[\", \"[]:\", \"/\", \"a:b:c:d:e\", {}, [1], null, true]\n",
        "services:\n  a:\n    volumes: [\":\", \"\", \"C:\", \"C:\\\\\", \"é:/x\", {}, {source: 1}, [1], null]\n",
        "services:\n  a:\n    environment: [\"=\", \"==\", 1, null, {a: b}]\n",
        "services:\n  a:\n    environment: 3\n    ports: x\n    volumes: {a: b}\n    build: 1\n",
        "services:\n  a: !reset\n  b: !override {image: x}\n",
        "x-a: 1\n",
    ] {
        let _ = run_extractor(&DockerCompose, &[(PATH, text)]);
    }
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut bomb = String::from("services: {}\na0: &a0 [x, y]\n");
    for i in 1..10 {
        let prev = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let start = Instant::now();
    let error = run_extractor(&DockerCompose, &[(PATH, &bomb)]).unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(start.elapsed() < Duration::from_secs(30));
}
