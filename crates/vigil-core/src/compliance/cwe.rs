//! CWE → requirements, for findings that name only a weakness (results imported from other scanners).
//!
//! Covers the 2024 CWE Top 25 and the other weaknesses web and cloud scanners commonly report. Every
//! software weakness cites PCI DSS 6.2.4 (engineering techniques against common attacks) and SOC 2 CC7.1
//! (vulnerabilities are detected and acted on), plus the ASVS requirement that prevents it; weaknesses of
//! access, authentication, credentials, cryptography or logging also cite the requirement of that area.

use crate::config::Objective;

use Objective::{Gdpr, Hipaa, OwaspAsvs as Asvs, PciDss4 as Pci, Soc2};

/// The weakness's number, from `CWE-79`, `cwe-079`, `external/cwe/cwe-079` or `79`.
pub(super) fn number(cwe: &str) -> Option<u32> {
    let lower = cwe.trim().to_ascii_lowercase();
    let digits = match lower.rfind("cwe-") {
        Some(at) => &lower[at + "cwe-".len()..],
        None => lower.as_str(),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub(super) const TABLE: &[(&str, &[(Objective, &str)])] = &[
    // The 2024 CWE Top 25, in rank order.
    (
        "CWE-79",
        &[
            (Asvs, "V5.3.3"),
            (Asvs, "V14.4.3"),
            (Pci, "6.2.4"),
            (Soc2, "CC7.1"),
        ],
    ),
    ("CWE-787", &[(Asvs, "V5.4.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    (
        "CWE-89",
        &[
            (Asvs, "V5.3.4"),
            (Pci, "6.2.4"),
            (Soc2, "CC7.1"),
            (Gdpr, "Art. 32(1)(b)"),
        ],
    ),
    (
        "CWE-352",
        &[
            (Asvs, "V4.2.2"),
            (Asvs, "V3.4.3"),
            (Pci, "6.2.4"),
            (Soc2, "CC7.1"),
        ],
    ),
    ("CWE-22", &[(Asvs, "V12.3.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-125", &[(Asvs, "V5.4.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-78", &[(Asvs, "V5.3.8"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-416", &[(Asvs, "V5.4.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    (
        "CWE-862",
        &[
            (Asvs, "V4.1.1"),
            (Pci, "6.2.4"),
            (Pci, "7.2.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(a)(1)"),
        ],
    ),
    (
        "CWE-434",
        &[
            (Asvs, "V12.2.1"),
            (Asvs, "V12.5.2"),
            (Pci, "6.2.4"),
            (Soc2, "CC6.8"),
        ],
    ),
    ("CWE-94", &[(Asvs, "V5.2.4"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-20", &[(Asvs, "V5.1.3"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-77", &[(Asvs, "V5.3.8"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    (
        "CWE-287",
        &[
            (Asvs, "V4.1.1"),
            (Pci, "6.2.4"),
            (Pci, "8.3.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(d)"),
        ],
    ),
    (
        "CWE-269",
        &[(Asvs, "V4.1.3"), (Pci, "6.2.4"), (Pci, "7.2.5"), (Soc2, "CC6.3")],
    ),
    ("CWE-502", &[(Asvs, "V5.5.3"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    (
        "CWE-200",
        &[
            (Asvs, "V8.3.4"),
            (Pci, "6.2.4"),
            (Soc2, "CC6.1"),
            (Gdpr, "Art. 32(1)(b)"),
        ],
    ),
    (
        "CWE-863",
        &[
            (Asvs, "V4.1.3"),
            (Pci, "6.2.4"),
            (Pci, "7.2.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(a)(1)"),
        ],
    ),
    (
        "CWE-918",
        &[
            (Asvs, "V5.2.6"),
            (Asvs, "V12.6.1"),
            (Pci, "6.2.4"),
            (Soc2, "CC6.6"),
        ],
    ),
    ("CWE-119", &[(Asvs, "V5.4.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    // ASVS 4.0.3 has no requirement on null pointers.
    ("CWE-476", &[(Pci, "6.2.4"), (Soc2, "CC7.1")]),
    (
        "CWE-798",
        &[
            (Asvs, "V2.10.4"),
            (Pci, "8.6.2"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(d)"),
        ],
    ),
    ("CWE-190", &[(Asvs, "V5.4.3"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    (
        "CWE-400",
        &[
            (Asvs, "V11.1.4"),
            (Pci, "6.2.4"),
            (Soc2, "A1.1"),
            (Gdpr, "Art. 32(1)(b)"),
        ],
    ),
    (
        "CWE-306",
        &[
            (Asvs, "V4.1.1"),
            (Pci, "6.2.4"),
            (Pci, "8.3.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(d)"),
        ],
    ),
    // Injection and parsing.
    ("CWE-74", &[(Asvs, "V5.3.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-90", &[(Asvs, "V5.3.7"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-95", &[(Asvs, "V5.2.4"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-98", &[(Asvs, "V5.3.9"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-113", &[(Asvs, "V5.3.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-116", &[(Asvs, "V5.3.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-117", &[(Asvs, "V7.3.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-134", &[(Asvs, "V5.4.2"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-601", &[(Asvs, "V5.1.5"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-611", &[(Asvs, "V5.5.2"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-643", &[(Asvs, "V5.3.10"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-776", &[(Asvs, "V5.5.2"), (Pci, "6.2.4"), (Soc2, "A1.1")]),
    ("CWE-915", &[(Asvs, "V5.1.2"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-943", &[(Asvs, "V5.3.4"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-1333", &[(Pci, "6.2.4"), (Soc2, "A1.1")]),
    ("CWE-1336", &[(Asvs, "V5.2.5"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    // Access control.
    (
        "CWE-284",
        &[
            (Asvs, "V4.1.1"),
            (Pci, "6.2.4"),
            (Pci, "7.2.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(a)(1)"),
        ],
    ),
    (
        "CWE-285",
        &[
            (Asvs, "V4.1.1"),
            (Pci, "6.2.4"),
            (Pci, "7.2.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(a)(1)"),
        ],
    ),
    (
        "CWE-639",
        &[
            (Asvs, "V4.2.1"),
            (Pci, "6.2.4"),
            (Pci, "7.2.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(a)(1)"),
        ],
    ),
    (
        "CWE-250",
        &[(Asvs, "V4.1.3"), (Pci, "6.2.4"), (Pci, "7.2.5"), (Soc2, "CC6.3")],
    ),
    ("CWE-276", &[(Asvs, "V4.1.3"), (Pci, "2.2.6"), (Soc2, "CC6.1")]),
    ("CWE-732", &[(Asvs, "V4.1.3"), (Pci, "2.2.6"), (Soc2, "CC6.1")]),
    ("CWE-942", &[(Asvs, "V14.5.3"), (Pci, "6.2.4"), (Soc2, "CC6.6")]),
    ("CWE-1021", &[(Asvs, "V14.4.7"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    // Authentication and sessions.
    (
        "CWE-307",
        &[
            (Asvs, "V2.2.1"),
            (Pci, "8.3.4"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(d)"),
        ],
    ),
    ("CWE-384", &[(Asvs, "V3.2.1"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    (
        "CWE-521",
        &[(Asvs, "V2.1.1"), (Soc2, "CC6.1"), (Hipaa, "164.308(a)(5)(ii)(D)")],
    ),
    (
        "CWE-522",
        &[
            (Asvs, "V2.10.4"),
            (Pci, "8.3.2"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(d)"),
        ],
    ),
    ("CWE-613", &[(Asvs, "V3.3.1"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    ("CWE-614", &[(Asvs, "V3.4.1"), (Pci, "6.2.4"), (Soc2, "CC6.7")]),
    ("CWE-1004", &[(Asvs, "V3.4.2"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    ("CWE-1275", &[(Asvs, "V3.4.3"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    (
        "CWE-347",
        &[
            (Asvs, "V3.5.3"),
            (Pci, "6.2.4"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(d)"),
        ],
    ),
    ("CWE-916", &[(Asvs, "V2.4.1"), (Pci, "8.3.2"), (Soc2, "CC6.1")]),
    // Cryptography and data protection.
    (
        "CWE-311",
        &[
            (Asvs, "V6.1.1"),
            (Pci, "3.5.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(a)(2)(iv)"),
            (Gdpr, "Art. 32(1)(a)"),
        ],
    ),
    (
        "CWE-312",
        &[
            (Asvs, "V6.1.1"),
            (Pci, "3.5.1"),
            (Soc2, "CC6.1"),
            (Hipaa, "164.312(a)(2)(iv)"),
            (Gdpr, "Art. 32(1)(a)"),
        ],
    ),
    (
        "CWE-319",
        &[
            (Asvs, "V9.2.2"),
            (Pci, "4.2.1"),
            (Soc2, "CC6.7"),
            (Hipaa, "164.312(e)(1)"),
            (Gdpr, "Art. 32(1)(a)"),
        ],
    ),
    (
        "CWE-295",
        &[
            (Asvs, "V9.2.1"),
            (Pci, "4.2.1"),
            (Soc2, "CC6.7"),
            (Hipaa, "164.312(e)(1)"),
        ],
    ),
    ("CWE-326", &[(Asvs, "V6.2.2"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    ("CWE-327", &[(Asvs, "V6.2.2"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    ("CWE-328", &[(Asvs, "V6.2.2"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    ("CWE-330", &[(Asvs, "V6.3.1"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    ("CWE-338", &[(Asvs, "V6.3.1"), (Pci, "6.2.4"), (Soc2, "CC6.1")]),
    // Logging, errors and configuration.
    ("CWE-209", &[(Asvs, "V7.4.1"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    ("CWE-489", &[(Asvs, "V14.3.2"), (Pci, "6.2.4"), (Soc2, "CC7.1")]),
    (
        "CWE-532",
        &[
            (Asvs, "V7.1.1"),
            (Pci, "6.2.4"),
            (Soc2, "CC6.1"),
            (Gdpr, "Art. 32(1)(b)"),
        ],
    ),
    (
        "CWE-778",
        &[
            (Asvs, "V7.1.3"),
            (Pci, "10.2.1"),
            (Soc2, "CC7.2"),
            (Hipaa, "164.312(b)"),
        ],
    ),
    ("CWE-770", &[(Asvs, "V11.1.4"), (Pci, "6.2.4"), (Soc2, "A1.1")]),
    // Supply chain.
    ("CWE-494", &[(Asvs, "V10.3.2"), (Pci, "6.3.2"), (Soc2, "CC8.1")]),
    ("CWE-829", &[(Asvs, "V10.3.2"), (Pci, "6.3.2"), (Soc2, "CC8.1")]),
    ("CWE-1104", &[(Asvs, "V14.2.1"), (Pci, "6.3.3"), (Soc2, "CC7.1")]),
    (
        "CWE-1395",
        &[
            (Asvs, "V14.2.1"),
            (Pci, "6.3.3"),
            (Soc2, "CC7.1"),
            (Hipaa, "164.308(a)(1)(ii)(B)"),
            (Gdpr, "Art. 32(1)(d)"),
        ],
    ),
];
