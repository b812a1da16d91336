//! `aws-apigw-access-logging-disabled`: an API Gateway stage that keeps no access log.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ApiGatewayAccessLogging;

/// Stage types and where their access log destination is written.
const STAGES: [(&str, &str); 6] = [
    ("aws_api_gateway_stage", "access_log_settings"),
    ("aws_apigatewayv2_stage", "access_log_settings"),
    ("AWS::ApiGateway::Stage", "AccessLogSetting"),
    ("AWS::ApiGatewayV2::Stage", "AccessLogSettings"),
    ("AWS::Serverless::Api", "AccessLogSetting"),
    ("AWS::Serverless::HttpApi", "AccessLogSettings"),
];

static META: RuleMeta = RuleMeta {
    id: "aws-apigw-access-logging-disabled",
    title: "API Gateway stage has no access logging",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Repudiation],
    cwe: &["CWE-778"],
    capec: &[],
    attack: &["T1190"],
    likelihood: 3,
    impact: 4,
    what: "An `aws_api_gateway_stage` or `aws_apigatewayv2_stage` without `access_log_settings`, an \
           `AWS::ApiGateway::Stage` without `AccessLogSetting`, an `AWS::ApiGatewayV2::Stage` without \
           `AccessLogSettings`, or a SAM `AWS::Serverless::Api` / `AWS::Serverless::HttpApi` without them \
           (`Globals` included). Checkov: CKV_AWS_76, CKV_AWS_95.",
    why: "The API is the application's front door; without access logs there is no record of who called which \
          route from where and with what result, so abuse (credential stuffing, scraping, an exploited \
          endpoint) is neither detected nor investigable afterwards.",
    example: "resource \"aws_api_gateway_stage\" \"prod\" {\n  stage_name    = \"prod\"\n  rest_api_id   = aws_api_gateway_rest_api.api.id\n  deployment_id = aws_api_gateway_deployment.api.id\n}",
    remediation: "Send the stage's access logs to CloudWatch Logs or Firehose.",
    fix: &[
        "Add `access_log_settings { destination_arn = aws_cloudwatch_log_group.api.arn  format = jsonencode({...}) }` with the request id, source IP, caller, route, status and latency.",
        "CloudFormation / SAM: `AccessLogSetting: {DestinationArn: !GetAtt ApiLogs.Arn, Format: ...}` (`AccessLogSettings` for HTTP APIs).",
        "For REST APIs, set the account's CloudWatch role (`aws_api_gateway_account`) once per region.",
    ],
    verify: &[
        "`aws apigateway get-stage --rest-api-id ID --stage-name NAME` shows `accessLogSettings`; re-run `vigil assess`.",
    ],
    mitigated_by: &["logging"],
    false_positives: "Stages of internal test APIs without production traffic can go without; a stage whose calls \
                      are logged by a front proxy or WAF logging (recorded as the `logging` control) is covered.",
    references: &[
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html",
        "https://cwe.mitre.org/data/definitions/778.html",
    ],
    compliance: compliance::AUDIT_LOGGING,
};

impl Rule for ApiGatewayAccessLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::missing(ctx, &STAGES)
            .iter()
            .map(|missing| {
                missing.hit(format!(
                    "{} keeps no access log of its API calls",
                    missing.resource.name
                ))
            })
            .collect()
    }
}
