//! `insecure-deserialization`: a component that deserializes with a format able to build arbitrary objects,
//! on Internet input.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::SAFE_DESERIALIZATION;
use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::Deserializes,
    threat: "Insecure deserialization",
    doing: "deserializes with a format that can instantiate arbitrary types",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "insecure-deserialization",
    title: "Untrusted data deserialized into arbitrary objects",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-502"],
    capec: &["CAPEC-586"],
    attack: &["T1190", "T1059"],
    likelihood: 4,
    impact: 9,
    what: "A component with the `deserializes` capability (pickle, dill, jsonpickle, shelve, marshal, \
           node-serialize, Java ObjectInputStream, XStream, SnakeYAML, Kryo, Go gob, Oj, .NET BinaryFormatter, \
           Newtonsoft.Json) that input from the Internet reaches, directly or through a process that forwards \
           it.",
    why: "These formats encode which class to build, and building it runs code: a pickled `__reduce__`, a Java \
          gadget chain (ysoserial), a SnakeYAML `!!javax.script.ScriptEngineManager` tag or a Json.NET `$type` \
          gives remote code execution as soon as attacker bytes are deserialized, whether they come from a \
          request body, a cookie, a queue message or a cache the attacker can write.",
    example: "# svc/app.py\nimport pickle\nfrom flask import Flask, request\n\
              @app.post(\"/restore\")\ndef restore():\n    return str(pickle.loads(request.data))",
    remediation: "Deserialize untrusted input only with data-only formats (JSON into explicit types); sign anything that must round-trip.",
    fix: &[
        "Replace native serialization of request data, cookies and messages with JSON (or protobuf) mapped onto explicit types.",
        "Where a native format must stay, sign the payload with an HMAC the service verifies before deserializing, and restrict the classes that may be built (Java `ObjectInputFilter`, SnakeYAML `SafeConstructor`, Json.NET `TypeNameHandling.None`, a pickle `Unpickler.find_class` allow-list).",
        "Keep the gadget libraries of the classpath up to date and run the service with the least privileges.",
        "Record `safe-deserialization` in vigil-model.yaml for the component once no untrusted bytes reach a native deserializer.",
    ],
    verify: &[
        "A code search finds no `pickle.loads`, `readObject`, `yaml.load` without a safe loader, `unserialize` or `TypeNameHandling.All|Auto` on request, cookie or message data.",
        "A ysoserial/pickle payload sent where the service deserializes is rejected before it is parsed.",
    ],
    mitigated_by: &[SAFE_DESERIALIZATION],
    false_positives: "Deserialization of files the service wrote itself to storage only it can write (a local \
                      cache, a model checkpoint it trained) is not reachable by the attacker; Newtonsoft.Json is \
                      only dangerous with `TypeNameHandling` other than `None`. Record `safe-deserialization` \
                      after checking the data's origin.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/502.html",
        "https://capec.mitre.org/data/definitions/586.html",
        "https://owasp.org/Top10/A08_2021-Software_and_Data_Integrity_Failures/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.5.3"),
        (Objective::OwaspAsvs, "V5.5.1"),
        (Objective::PciDss4, "6.2.4"),
    ],
};
