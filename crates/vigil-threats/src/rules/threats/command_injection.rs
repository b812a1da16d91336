//! `command-injection`: a component that runs operating system commands and receives Internet input.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::SAFE_COMMAND_EXECUTION;
use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::ExecutesCommands,
    threat: "OS command injection",
    doing: "runs operating system commands",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "command-injection",
    title: "OS command injection through Internet input",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-78"],
    capec: &["CAPEC-88"],
    attack: &["T1190", "T1059"],
    likelihood: 4,
    impact: 9,
    what: "A component with the `executes-commands` capability (child_process, execa, subprocess, os/exec, \
           Open3, Process) that input from the Internet reaches, directly or through a process that forwards \
           it.",
    why: "A command line built from request data and run through a shell (`exec(\"convert \" + name)`, \
          `subprocess.run(cmd, shell=True)`) runs whatever the attacker appends after `;`, `|`, `$()` or a \
          newline, with the service's privileges: its credentials, its network position and its data. Even \
          without a shell, an attacker-controlled argument starting with `-` changes what the program does \
          (argument injection).",
    example: "// svc/server.js\nconst { exec } = require(\"child_process\");\n\
              app.post(\"/convert\", (req, res) => exec(`convert ${req.body.file} out.png`, () => res.end()));",
    remediation: "Call programs with an argument array and no shell, from a fixed allow-list, and pass user values after `--`.",
    fix: &[
        "Replace shell invocations (`exec`, `shell=True`, `sh -c`, backticks) by the argument-vector form (`execFile`/`spawn` with an array, `subprocess.run([...])`, `exec.Command(name, args...)`).",
        "Take the program from a fixed allow-list, and validate each user-provided argument against a strict pattern; put `--` before file names so they cannot be read as options.",
        "Prefer a library over the external program where one exists (image, archive, PDF libraries).",
        "Run the service as an unprivileged user in a container without a shell or package manager where possible.",
        "Record `safe-command-execution` in vigil-model.yaml for the component once every call is shell-free and allow-listed.",
    ],
    verify: &[
        "A code search finds no `exec(`, `shell=True`, `sh -c` or `system(` taking request data.",
        "Sending `; id`, `$(id)` and `-oProxyCommand=id` in each parameter that reaches a command changes nothing in the response or logs.",
    ],
    mitigated_by: &[SAFE_COMMAND_EXECUTION],
    false_positives: "Services that run fixed commands at start-up or from scheduled jobs with no request data \
                      (a health probe, a migration) cannot be injected through the Internet; the capability comes \
                      from imports, so check which calls take request values.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/78.html",
        "https://capec.mitre.org/data/definitions/88.html",
        "https://attack.mitre.org/techniques/T1059/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.3.8"),
        (Objective::PciDss4, "6.2.4"),
        (Objective::Soc2, "CC6.8"),
    ],
};
