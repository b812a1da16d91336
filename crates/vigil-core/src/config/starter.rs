//! The commented starter file `vigil init` writes. Every setting is shown with its default, commented out,
//! so the file parses to exactly [`super::Scope::default`] until someone edits it (tested).

pub const STARTER: &str = r#"# vigil.toml: what vigil assesses and against which objectives.
# Every setting is optional; the commented values are the defaults.

[scope]
# name = "my-service"            # default: the assessed directory's name
# include = ["services/**"]      # globs to assess; default: everything
# exclude = ["**/testdata/**"]   # globs to leave out, on top of .gitignore
# objectives = ["pci-dss-4.0"]   # pci-dss-4.0, hipaa, soc2, gdpr, owasp-asvs
# industry = "retail"            # finance, healthcare, retail, small-business, custom
# cadence_days = 91              # days between assessments; default from the industry (finance and
                                 # healthcare 91, retail 182, small-business 365), else 91
# owner = "@org/appsec"          # owner of actions that no CODEOWNERS rule covers

[discover]
# max_file_size = "8 MiB"        # larger files are skipped and counted
# respect_gitignore = true

[risk]
# preset = "rpn"                 # what sets a vulnerability's band: rpn, ssvc (CISA SSVC: act/attend/
                                 # track*/track) or bod-26-04 (CISA BOD 26-04 Table 1: 3/14/60 days/upgrade)

[risk.bands]                     # minimum RPN (likelihood x impact x detectability) per band
# critical = 400
# high = 200
# medium = 80

[risk.weights]                   # weight of a scoring factor (0 to 5); unlisted factors weigh 1
# kev = 1.0
# reachability = 1.0
# blast-radius = 1.0

[sla]                            # days to fix, per band
# preset = "default"             # default (7/30/90/180), defectdojo (7/30/90/120), fedramp (30/30/90/180)
                                 # or bod-26-04 (3/14/60/180; vulnerabilities get their Table 1 row)
# critical = 7
# high = 30
# medium = 90
# low = 180

# Facts the code cannot show, for assets declared under a path:
# [[override]]
# path = "services/payments/**"
# criticality = "critical"       # low, medium, high, critical
# data_classes = ["pci", "pii"]  # secrets, pci, phi, pii, internal, public
# internet_facing = true

# Known secrets to leave out of findings (every given criterion must match; a reason is required):
# [[secrets.allow]]
# path = "tests/fixtures/**"     # glob on the file path
# fingerprint = "0123abcd"       # prefix of the secret's value_fingerprint
# detector = "stripe-test-key"   # detector id
# reason = "fake keys used by the test suite"

# Triage decisions, kept with the code (every given criterion must match; reason and owner required):
# [[triage]]
# status = "accepted"            # accepted, false-positive or not-affected
# advisory = "CVE-2023-32681"    # or fingerprint = "VF-..." / rule = "..." / path = "glob"
# reason = "only calls our own API on the internal network"
# owner = "@acme/payments"
# expires = 2027-03-31           # required for accepted; expired entries stop applying and say so
# justification = "vulnerable_code_not_in_execute_path"   # not-affected only: an OpenVEX label

[tickets]                        # `vigil tickets sync --to github|jira|azure-devops`
# bands = ["critical", "high"]   # actions of these bands get a ticket
# source_url = "https://github.com/acme/shop/blob/{commit}/{path}#L{line}"   # links to evidence lines
# Credentials are never written here: token_env names the environment variable holding the token
# (defaults: GITHUB_TOKEN, VIGIL_JIRA_TOKEN, VIGIL_AZURE_DEVOPS_TOKEN), or token_file a file.
# [tickets.github]
# repository = "acme/shop"       # base_url = "https://ghe.example.com/api/v3" for GitHub Enterprise
# labels = ["security"]
# [tickets.jira]
# base_url = "https://acme.atlassian.net"
# project = "SEC"
# email = "vigil-bot@acme.example" # Jira Cloud: API token with this account; without it, a bearer PAT
# deployment = "cloud"           # or "data-center": REST v2, wiki markup, a personal access token
# issue_type = "Task"
# [tickets.azure-devops]
# organization_url = "https://dev.azure.com/acme"
# project = "Shop"
# area_path = "Shop\\Security"
# closed_states = ["Closed", "Removed"]   # states besides done_state that mean closed
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn the_starter_parses_to_the_defaults() {
        assert_eq!(
            super::super::parse("vigil.toml", super::STARTER).unwrap(),
            super::super::Scope::default()
        );
    }
}
