#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `docker/dockerfile`.

mod common;

use common::run_extractor;
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::dockerfile::{Dockerfile, is_secret_name};

const PATH: &str = "services/api/Dockerfile";

fn image(text: &str) -> Asset {
    let out = run_extractor(&Dockerfile, &[(PATH, text)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.assets.len(), 1);
    out.assets.into_iter().next().unwrap()
}

fn lines(asset: &Asset) -> Vec<(&str, u32)> {
    asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect()
}

const ONE_STAGE: &str = "\
# syntax=docker/dockerfile:1
FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1 \\
    APP_HOME=/app
WORKDIR $APP_HOME
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 8000
USER app
CMD [\"gunicorn\", \"app:app\"]
";

#[test]
fn claims_dockerfiles_and_containerfiles() {
    for path in [
        "Dockerfile",
        "api/Dockerfile.prod",
        "api/worker.Dockerfile",
        "build/Containerfile",
        "dockerfile",
        "ci/app.dockerfile",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(Dockerfile.claims(path, name), "{path}");
    }
    for path in [
        "Dockerfile.dockerignore",
        ".dockerignore",
        "templates/Dockerfile.j2",
        "docker-compose.yml",
        "Dockerfiles.md",
        "notes/dockerfile-tips.txt",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!Dockerfile.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&Dockerfile, &[(PATH, "# notes\n\nhello world\nFROM x\n")]).unwrap_err();
    assert_eq!((error.path.as_str(), error.line), (PATH, Some(3)));
    assert!(error.message.contains("`hello` is not an instruction"), "{error}");

    let error = run_extractor(&Dockerfile, &[(PATH, "RUN make\nFROM alpine\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("first instruction is RUN"), "{error}");

    let error = run_extractor(&Dockerfile, &[(PATH, "ARG VERSION=1\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("no FROM"), "{error}");

    let error = run_extractor(&Dockerfile, &[(PATH, "{\"name\": \"x\"}\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));
}

#[test]
fn empty_file_and_comment_only_file_have_no_asset() {
    for text in [
        "",
        "\n\n",
        "# syntax=docker/dockerfile:1\n# TODO: write me\n",
        "\u{feff}# bom\n",
    ] {
        let out = run_extractor(&Dockerfile, &[(PATH, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn one_stage() {
    let asset = image(ONE_STAGE);
    assert_eq!(asset.kind, AssetKind::CloudResource);
    assert_eq!(asset.id.as_str(), "cloud-resource:services/api/Dockerfile");
    assert_eq!(asset.name, PATH);
    assert_eq!(asset.evidence[0].location(), "services/api/Dockerfile:2");
    let expected = json!({
        "provider": "docker",
        "resource_type": "dockerfile",
        "address": PATH,
        "module_dir": "services/api",
        "format": "dockerfile",
        "stages": [{
            "name": null, "image": "python:3.12-slim", "base_image": "python", "tag": "3.12-slim",
            "digest": null, "line": 2, "internal": false
        }],
        "final_user": "app",
        "exposed_ports": [8000],
        "env": {"PYTHONUNBUFFERED": "1", "APP_HOME": "/app"},
        "args": {},
        "secrets_in_build": [],
        "healthcheck": false,
        "add_remote": [],
        "curl_pipe_shell": [],
        "sudo_in_run": [],
        "sudoers_nopasswd": [],
        "verification_disabled": []
    });
    assert_eq!(serde_json::to_value(&asset.attributes).unwrap(), expected);
    assert_eq!(
        lines(&asset),
        [
            // Each variable of a continued ENV at its own line.
            ("env.APP_HOME", 4),
            ("env.PYTHONUNBUFFERED", 3),
            ("exposed_ports", 8),
            ("exposed_ports.0", 8),
            ("final_user", 9),
            ("stages.0", 2),
        ]
    );
}

const TWO_STAGES: &str = "\
ARG NODE_VERSION=20
ARG REGISTRY=registry.example.com:5000

FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS build
ARG NPM_TOKEN
ARG SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MDAwMDAwMDB9
ENV DATABASE_PASSWORD=hunter2hunter2 DATABASE_URL=postgres://db/app
ENV API_KEY ${API_KEY}
RUN npm ci && npm run build
USER node

FROM ${REGISTRY}/base/nginx@sha256:0123456789abcdef AS runtime
COPY --from=build /app/dist /usr/share/nginx/html
EXPOSE 80 443/tcp 53/udp 8000-8010
HEALTHCHECK --interval=30s CMD wget -qO- http://localhost/ || exit 1
";

#[test]
fn two_stages() {
    let asset = image(TWO_STAGES);
    assert_eq!(asset.evidence[0].location(), "services/api/Dockerfile:4");
    assert_eq!(
        asset.attributes["stages"],
        json!([
            {
                "name": "build", "image": "node:${NODE_VERSION}-alpine", "base_image": "node",
                "tag": "20-alpine", "digest": null, "line": 4, "internal": false
            },
            {
                "name": "runtime", "image": "${REGISTRY}/base/nginx@sha256:0123456789abcdef",
                "base_image": "registry.example.com:5000/base/nginx", "tag": null,
                "digest": "sha256:0123456789abcdef", "line": 12, "internal": false
            }
        ])
    );
    // USER node belongs to the build stage; the final image runs as its base image's user.
    assert_eq!(asset.attributes["final_user"], Value::Null);
    assert_eq!(
        asset.attributes["exposed_ports"],
        json!([80, "443/tcp", "53/udp", "8000-8010"])
    );
    assert_eq!(asset.attributes["healthcheck"], json!(true));
    assert_eq!(
        asset.attributes["args"],
        json!({
            "NODE_VERSION": "20",
            "REGISTRY": "registry.example.com:5000",
            "NPM_TOKEN": null,
            "SENTRY_AUTH_TOKEN": "sntr…(31 chars)"
        })
    );
    assert_eq!(
        asset.attributes["env"],
        json!({
            "DATABASE_PASSWORD": "hunt…(14 chars)",
            "DATABASE_URL": "postgres://db/app",
            "API_KEY": "${API_KEY}"
        })
    );
    assert_eq!(
        asset.attributes["secrets_in_build"],
        json!(["SENTRY_AUTH_TOKEN", "DATABASE_PASSWORD"])
    );
    let found = lines(&asset);
    for expected in [
        ("args.SENTRY_AUTH_TOKEN", 6),
        ("env.DATABASE_PASSWORD", 7),
        ("env.API_KEY", 8),
        ("stages.0", 4),
        ("stages.1", 12),
        ("exposed_ports", 14),
        ("exposed_ports.3", 14),
        ("healthcheck", 15),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    assert!(!found.iter().any(|(k, _)| *k == "final_user"));
}

#[test]
fn a_stage_built_on_another_inherits_its_user_ports_and_healthcheck() {
    let text = "\
FROM golang:1.22 AS builder
RUN go build -o /out/app ./cmd/app

FROM debian:12-slim AS base
USER 10001:10001
EXPOSE 8080
HEALTHCHECK CMD [\"/app\", \"health\"]

from BASE as final
COPY --from=builder /out/app /app
HEALTHCHECK NONE
ENTRYPOINT [\"/app\"]
";
    let asset = image(text);
    let stages = asset.attributes["stages"].as_array().unwrap();
    assert_eq!(stages[2]["internal"], json!(true));
    assert_eq!(stages[2]["base_image"], json!("BASE"));
    assert_eq!(stages[2]["tag"], Value::Null);
    assert_eq!(stages[1]["internal"], json!(false));
    assert_eq!(asset.attributes["final_user"], json!("10001:10001"));
    assert_eq!(asset.attribute_lines["final_user"], 5);
    assert_eq!(asset.attributes["exposed_ports"], json!([8080]));
    // The final stage switched the inherited health check off.
    assert_eq!(asset.attributes["healthcheck"], json!(false));
    assert_eq!(asset.attribute_lines["healthcheck"], 11);
}

#[test]
fn remote_adds_and_piped_installers() {
    let text = "\
FROM ubuntu:24.04
ADD https://example.com/tool.tar.gz /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \\
    https://example.com/pinned.tar.gz /opt/
ADD [\"git@github.com:org/repo.git\", \"/src\"]
ADD ./local.tar.gz /opt/
RUN curl -fsSL https://get.example.com/install.sh | sh
RUN apt-get update \\
    # a comment inside a continuation
    && wget -qO- 'https://example.com/setup?a=1&b=2' \\
    | sudo -E bash -
RUN sh -c \"$(curl -fsSL https://raw.example.com/install.sh)\"
RUN bash <(curl -s https://example.com/x.sh)
RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg
RUN curl -o /tmp/x.sh https://example.com/x.sh; echo done | tee /tmp/log
RUN <<EOF
set -e
curl https://example.com/heredoc.sh | bash
EOF
RUN echo after-heredoc
";
    let asset = image(text);
    assert_eq!(
        asset.attributes["add_remote"],
        json!([
            {"url": "https://example.com/tool.tar.gz", "line": 2, "checksum": false},
            {"url": "https://example.com/pinned.tar.gz", "line": 3, "checksum": true},
            {"url": "git@github.com:org/repo.git", "line": 5, "checksum": false}
        ])
    );
    let piped: Vec<u64> = asset.attributes["curl_pipe_shell"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["line"].as_u64().unwrap())
        .collect();
    assert_eq!(piped, [7, 8, 12, 13, 16]);
    assert_eq!(
        asset.attributes["curl_pipe_shell"][0]["command"],
        json!("curl -fsSL https://get.example.com/install.sh | sh")
    );
    assert_eq!(asset.attribute_lines["curl_pipe_shell.1"], 8);
    assert_eq!(asset.attribute_lines["add_remote.2"], 5);
}

#[test]
fn sudo_and_disabled_download_checks() {
    let text = "\
FROM debian:12
RUN apt-get update && apt-get install -y sudo curl \\
    && echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app
USER app
RUN sudo apt-get install -y jq && sudo -u postgres -E psql -c 'select 1'
RUN if true; then sudo -i; fi; echo sudo is not run here
RUN curl -fsSLk https://example.com/a -o /a && wget --no-check-certificate https://example.com/b
RUN curl --keepalive-time 5 -o /tmp/kubectl https://dl.k8s.io/kubectl
RUN pip install --trusted-host pypi.internal -r requirements.txt
RUN [\"npm\", \"config\", \"set\", \"strict-ssl\", \"false\"]
RUN git -c http.sslVerify=false clone https://git.internal/x.git \\
    && NODE_TLS_REJECT_UNAUTHORIZED=0 node fetch.js
RUN apk add --allow-untrusted /tmp/local.apk
RUN echo 'deb [trusted=yes] http://repo.internal/ stable main' > /etc/apt/sources.list.d/x.list \\
    && apt-get -y --allow-unauthenticated install thing
RUN dnf install -y --nogpgcheck tool && echo 'repo_gpgcheck=0' >> /etc/yum.conf
RUN rpm -i --nosignature /tmp/x.rpm
";
    let asset = image(text);
    assert_eq!(
        asset.attributes["sudo_in_run"],
        json!([
            {"program": "apt-get", "line": 5},
            {"program": "psql", "line": 5},
            {"program": null, "line": 6}
        ])
    );
    assert_eq!(asset.attributes["sudoers_nopasswd"], json!([{"line": 2}]));
    assert_eq!(asset.attribute_lines["sudo_in_run.2"], 6);
    let found: Vec<(u64, &str, &str)> = asset.attributes["verification_disabled"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["check"].as_str().unwrap(),
                v["option"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (7, "tls", "--insecure"),
            (7, "tls", "--no-check-certificate"),
            (9, "tls", "--trusted-host"),
            (10, "tls", "strict-ssl false"),
            (11, "tls", "http.sslVerify false"),
            (11, "tls", "NODE_TLS_REJECT_UNAUTHORIZED=0"),
            (13, "signature", "--allow-untrusted"),
            (14, "signature", "--allow-unauthenticated"),
            (14, "signature", "[trusted=yes]"),
            (16, "signature", "--nogpgcheck"),
            (17, "signature", "--nosignature"),
        ]
    );
    assert_eq!(asset.attribute_lines["verification_disabled.10"], 17);
}

#[test]
fn escape_directive_and_windows_images() {
    let text = "\
# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV APP_PATH=C:\\app `
    LOG_LEVEL=info
USER ContainerUser
";
    let asset = image(text);
    assert_eq!(
        asset.attributes["stages"][0]["base_image"],
        json!("mcr.microsoft.com/windows/servercore")
    );
    assert_eq!(asset.attributes["env"]["APP_PATH"], json!("C:\\app"));
    assert_eq!(asset.attributes["env"]["LOG_LEVEL"], json!("info"));
    assert_eq!(asset.attributes["final_user"], json!("ContainerUser"));
}

#[test]
fn unknown_instructions_later_in_the_file_are_warnings() {
    let text = "FROM alpine:3.20\nRUNN echo typo\nUSER nobody\n";
    let out = run_extractor(&Dockerfile, &[(PATH, text)]).unwrap();
    assert_eq!(out.assets.len(), 1);
    assert_eq!(out.assets[0].attributes["final_user"], json!("nobody"));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(2));
}

#[test]
fn secret_names() {
    for name in [
        "DB_PASSWORD",
        "npmToken",
        "API_KEY",
        "APIKEY",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "GITHUB_TOKEN",
        "client_secret",
        "GOOGLE_CREDENTIALS",
        "SSH_PRIVATE_KEY",
    ] {
        assert!(is_secret_name(name), "{name}");
    }
    for name in [
        "POSTGRES_PASSWORD_FILE",
        "GPG_KEY",
        "PUBLIC_KEY",
        "TOKEN_URL",
        "KEYCLOAK_URL",
        "MONKEY",
        "AUTHOR",
        "NODE_ENV",
        "PATH",
    ] {
        assert!(!is_secret_name(name), "{name}");
    }
}

#[test]
fn hostile_input_does_not_panic() {
    for end in 0..=TWO_STAGES.len() {
        if let Some(prefix) = TWO_STAGES.get(..end) {
            let _ = run_extractor(&Dockerfile, &[(PATH, prefix)]);
        }
    }
    for text in [
        "FROM\n",
        "FROM alpine AS\n",
        "FROM a\\\n",
        "FROM a\nRUN <<EOF\nnever closed\n",
        "FROM a\nRUN <<A <<B\na\nA\n",
        "FROM a\nENV\nARG\nUSER\nEXPOSE\nADD\nADD [\nHEALTHCHECK\n",
        "FROM a\nENV ===\nARG =\nENV \"unterminated\n",
        "FROM @\nFROM :\nFROM /:@\n",
        "FROM a AS x\nFROM x AS y\nFROM y AS x\nFROM x\n",
        "# escape=\nFROM a\n",
        "\u{0}\u{1}FROM\u{0}",
        "FROM a\nRUN curl |\n",
    ] {
        let _ = run_extractor(&Dockerfile, &[(PATH, text)]);
    }
}
