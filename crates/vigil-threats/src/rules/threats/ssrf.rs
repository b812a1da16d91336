//! `ssrf`: a component that makes outbound HTTP requests and receives Internet input, worst where a cloud
//! metadata service hands credentials to anything on the host.

use vigil_core::{BoundaryKind, CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::SSRF_PROTECTION;

use super::support::{
    cite, control_statement, evidence, metadata_boundary, path_likelihood, reach_phrase, reached,
};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct Ssrf;

static META: RuleMeta = RuleMeta {
    id: "ssrf",
    title: "Server-side request forgery through Internet input",
    kind: FindingKind::Threat,
    stride: &[
        Stride::Spoofing,
        Stride::InformationDisclosure,
        Stride::ElevationOfPrivilege,
    ],
    cwe: &["CWE-918"],
    capec: &["CAPEC-664"],
    attack: &["T1190", "T1552.005"],
    likelihood: 4,
    impact: 6,
    what: "A component with the `fetches-urls` capability (requests, httpx, aiohttp, urllib, axios, node-fetch, \
           got, undici, java.net.http, Apache HttpClient, OkHttp, Faraday, Guzzle, resty) that input from the \
           Internet reaches, without an `ssrf-protection` control (ssrf-req-filter, request-filtering-agent, \
           advocate, or recorded). Impact is higher when the component sits in a cloud account or cluster \
           boundary, where the instance metadata service hands out credentials.",
    why: "When a URL or host in a request (a webhook target, an avatar URL, an import link, a PDF renderer's \
          page) decides where the server connects, the attacker reaches what only the server can: \
          `169.254.169.254` for the instance role's credentials, internal admin APIs, databases speaking HTTP, \
          other tenants' services. Redirects and DNS rebinding defeat checks done only on the URL text.",
    example: "# svc/app.py\nimport requests\nfrom flask import Flask, request\n\
              @app.post(\"/preview\")\ndef preview():\n    return requests.get(request.json[\"url\"]).text",
    remediation: "Fetch only allow-listed destinations, resolve and check the address before connecting (and after each redirect), and block metadata and private ranges at the network layer.",
    fix: &[
        "Where the destination is one of a few known services, take it from configuration and never from the request.",
        "Otherwise allow-list schemes (`https`), hosts and ports; resolve the name and reject private, loopback, link-local (169.254.0.0/16, fd00:ec2::254) and metadata addresses; connect to the checked IP; re-check on every redirect or disable redirects (ssrf-req-filter, request-filtering-agent, advocate do this).",
        "Require IMDSv2 (hop limit 1) on AWS, block metadata from pods (GKE Workload Identity, an egress NetworkPolicy), and send egress through a proxy with an allow-list.",
        "Record `ssrf-protection` on the component in vigil-model.yaml once outbound requests are allow-listed or filtered.",
    ],
    verify: &[
        "Submitting `http://169.254.169.254/latest/meta-data/`, `http://localhost:22`, `http://[::1]/`, a decimal IP (`http://2130706433/`) and a URL redirecting to them is rejected.",
        "From the service's host, `curl http://169.254.169.254/latest/meta-data/` without an IMDSv2 token fails.",
    ],
    mitigated_by: &[SSRF_PROTECTION],
    false_positives: "Most services call fixed third-party APIs with an HTTP client and never let the request \
                      choose the destination: those are not exploitable; record `ssrf-protection` with that \
                      reason after checking that no URL, host or path prefix comes from user input.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
        "https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/",
        "https://cwe.mitre.org/data/definitions/918.html",
        "https://attack.mitre.org/techniques/T1552/005/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.2.6"),
        (Objective::OwaspAsvs, "V12.6.1"),
        (Objective::PciDss4, "6.2.4"),
        (Objective::Soc2, "CC6.6"),
    ],
};

impl Rule for Ssrf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        reached(ctx.model, CapabilityKind::FetchesUrls)
            .into_iter()
            .map(|r| {
                let name = &r.component.name;
                let metadata = metadata_boundary(ctx.model, r.component);
                let where_ = match &metadata {
                    Some((_, boundary)) => format!(
                        "; it runs in {boundary}, where the instance metadata service serves credentials to any \
                         request the host makes"
                    ),
                    None => String::new(),
                };
                let mut hit = graph::component_hit(
                    r.component,
                    "fetches-urls",
                    format!(
                        "Server-side request forgery from {name}: it makes outbound requests and input reaches it {}",
                        reach_phrase(&r.exposure)
                    ),
                    format!(
                        "{name} makes outbound HTTP requests (fetches-urls: {}); input from the Internet reaches it \
                         {}{where_}; {}",
                        cite(r.capability),
                        r.exposure.path,
                        control_statement(&META, r.component),
                    ),
                    evidence(r.capability, &r.exposure),
                );
                hit.likelihood = path_likelihood(&META, &r.exposure);
                hit.impact = metadata.map(|(kind, boundary)| {
                    let raise = if kind == BoundaryKind::CloudAccount { 3 } else { 2 };
                    (
                        (META.impact + raise).min(10),
                        format!("runs in {boundary}: metadata credentials are one request away"),
                    )
                });
                hit
            })
            .collect()
    }
}
