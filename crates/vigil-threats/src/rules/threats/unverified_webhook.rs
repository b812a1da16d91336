//! `unverified-webhook`: a component that receives webhooks from the Internet without checking who sent
//! them.

use vigil_core::{CapabilityKind, Component, FindingKind, Objective, Stride, SystemModel};

use super::WEBHOOK_SIGNATURE;
use super::support::CapabilityThreat;
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::ReceivesWebhooks,
    threat: "Forged webhooks",
    doing: "receives webhooks",
    impact,
};

/// A payment webhook settles orders and refunds: forging one is taking goods without paying.
fn impact(meta: &RuleMeta, _: &SystemModel, component: &Component) -> Option<(u8, String)> {
    if let Some(payments) = component.capability(CapabilityKind::ProcessesPayments) {
        let location = payments
            .evidence
            .first()
            .map(|e| e.location())
            .unwrap_or_default();
        return Some((
            (meta.impact + 2).min(10),
            format!("it processes payments ({location}): a forged event can mark orders paid"),
        ));
    }
    None
}

static META: RuleMeta = RuleMeta {
    id: "unverified-webhook",
    title: "Webhook receiver without sender verification",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::Tampering],
    cwe: &["CWE-345", "CWE-290"],
    capec: &["CAPEC-194"],
    attack: &["T1565"],
    likelihood: 5,
    impact: 6,
    what: "A component with the `receives-webhooks` capability (a POST route named `webhook`, `webhooks` or \
           `hooks`, or planned) that input from the Internet reaches, with no `webhook-signature` control \
           recorded in vigil-model.yaml. Impact is higher when the component processes payments.",
    why: "Webhook URLs are public and guessable; without checking the provider's signature (Stripe-Signature, \
          X-Hub-Signature-256, Svix/Standard Webhooks headers) anyone can post events: mark an order paid, \
          trigger a deployment, change a subscription, or replay an old legitimate event.",
    example: "# svc/app.py\nfrom flask import Flask, request\n\
              @app.post(\"/stripe/webhook\")\ndef stripe_webhook():\n    mark_paid(request.json[\"data\"][\"object\"][\"id\"])\n    return \"\"",
    remediation: "Verify each delivery's signature over the raw body with the provider's secret, reject old timestamps, and process each event id once.",
    fix: &[
        "Verify the signature header with the provider's library (`stripe.Webhook.construct_event`, `@octokit/webhooks` `verify`, `svix` `Webhook.verify`) or an HMAC-SHA256 over the raw request body compared in constant time.",
        "Reject deliveries whose timestamp is older than five minutes and remember processed event ids to drop replays.",
        "Keep the signing secret in the secrets manager, one per endpoint, and rotate it when staff leave.",
        "For high-value events, fetch the object back from the provider's API instead of trusting the payload.",
        "Record `webhook-signature` on the component in vigil-model.yaml once every receiver verifies.",
    ],
    verify: &[
        "Posting a valid-looking event without a signature, with a wrong one, or replaying a captured delivery after five minutes returns 400 and changes nothing.",
        "The provider's dashboard shows successful deliveries after the change.",
    ],
    mitigated_by: &[WEBHOOK_SIGNATURE],
    false_positives: "Receivers reachable only from the provider's published IP ranges through a firewall, or \
                      that treat the payload as a hint and re-fetch the event from the provider's API, are not \
                      forgeable in practice: record `webhook-signature` with that reason. Routes named `hooks` \
                      that are not webhooks (React-style naming) are reported too.",
    references: &[
        "https://docs.stripe.com/webhooks#verify-events",
        "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries",
        "https://www.standardwebhooks.com/",
        "https://cwe.mitre.org/data/definitions/345.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V1.2.2"),
        (Objective::PciDss4, "6.2.4"),
        (Objective::Soc2, "CC6.6"),
    ],
};
