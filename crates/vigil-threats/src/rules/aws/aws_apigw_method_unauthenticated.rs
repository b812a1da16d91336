//! `aws-apigw-method-unauthenticated`: a REST API method that anyone can call.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac::{self, Flag, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ApiGatewayMethodUnauthenticated;

static META: RuleMeta = RuleMeta {
    id: "aws-apigw-method-unauthenticated",
    title: "API Gateway method requires no authorization",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-306"],
    capec: &["CAPEC-115", "CAPEC-36"],
    attack: &["T1190"],
    likelihood: 5,
    impact: 6,
    what: "An `aws_api_gateway_method` with `authorization = \"NONE\"`, or an `AWS::ApiGateway::Method` whose \
           `AuthorizationType` is `NONE` or absent (the API's default), that does not require an API key, for \
           any HTTP method but `OPTIONS` (CORS preflight). Methods of a private API (`endpoint_configuration` / \
           `EndpointConfiguration` type `PRIVATE`) are skipped. Checkov: CKV_AWS_59.",
    why: "API Gateway enforces nothing on such a method: anyone who finds the URL (they are listed in JavaScript \
          bundles, mobile apps and certificate transparency logs) calls the backend directly, and whatever the \
          Lambda or integration behind it does is open to the Internet unless it authenticates every request \
          itself.",
    example: "resource \"aws_api_gateway_method\" \"orders\" {\n  rest_api_id   = aws_api_gateway_rest_api.api.id\n  resource_id   = aws_api_gateway_resource.orders.id\n  http_method   = \"GET\"\n  authorization = \"NONE\"\n}",
    remediation: "Require an authorizer (IAM, Cognito or Lambda) on the method.",
    fix: &[
        "Set `authorization` to `AWS_IAM`, `COGNITO_USER_POOLS` (with `authorizer_id`) or `CUSTOM` (a Lambda authorizer); CloudFormation: `AuthorizationType` and `AuthorizerId`.",
        "If the route is public by design (a login or webhook endpoint), make sure the backend authenticates the caller (signatures for webhooks) and add throttling and a WAF.",
    ],
    verify: &["An unauthenticated `curl https://API/stage/path` answers 401 or 403; re-run `vigil assess`."],
    mitigated_by: &["authentication"],
    false_positives: "Public endpoints by design (sign-up, login, health checks, signed webhooks) and backends that \
                      authenticate every request themselves (recorded or detected as the `authentication` \
                      control); a resource policy restricting callers by VPC or IP is not followed.",
    references: &[
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html",
        "https://cwe.mitre.org/data/definitions/306.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.2.1"),
        (Objective::PciDss4, "7.2.1"),
        (Objective::OwaspAsvs, "V4.1.1"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.312(d)"),
    ],
};

impl Rule for ApiGatewayMethodUnauthenticated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &["aws_api_gateway_method", "AWS::ApiGateway::Method"])
            .filter_map(|method| {
                let path = pick(method, "authorization", "AuthorizationType");
                let open = match iac::lookup(method, path) {
                    None => iac::is_cloudformation(method),
                    Some(_) => iac::text(method, path).is_some_and(|a| a.eq_ignore_ascii_case("NONE")),
                };
                let verb = iac::text(method, pick(method, "http_method", "HttpMethod")).unwrap_or("?");
                let api_key = iac::flag(method, pick(method, "api_key_required", "ApiKeyRequired"));
                if !open
                    || verb.eq_ignore_ascii_case("OPTIONS")
                    || matches!(api_key, Flag::True | Flag::Unknown)
                {
                    return None;
                }
                let private = iac::referenced(
                    ctx,
                    method,
                    &["aws_api_gateway_rest_api", "AWS::ApiGateway::RestApi"],
                )
                .into_iter()
                .any(|api| {
                    let types = pick(
                        api,
                        "endpoint_configuration.0.types",
                        "EndpointConfiguration.Types",
                    );
                    iac::string_list(iac::lookup(api, types)).contains(&"PRIVATE")
                });
                (!private).then(|| {
                    let detail = match iac::text(method, path) {
                        Some(value) => format!("{path} = {value} and no API key required"),
                        None => format!("no {path} (the default is NONE) and no API key required"),
                    };
                    iac::setting_hit(
                        method,
                        path,
                        format!("{}: {verb} can be called without authorization", method.name),
                        detail,
                    )
                    .exposing()
                })
            })
            .collect()
    }
}
