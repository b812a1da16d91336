//! Compliance requirements that several AWS rules answer to in the same words, so that a requirement is
//! worded once.

use vigil_core::Objective;

/// Data stored unencrypted (or with keys nobody controls).
pub const AT_REST: &[(Objective, &str)] = &[
    (
        Objective::PciDss4,
        "3.5.1 stored account data is rendered unreadable",
    ),
    (Objective::Hipaa, "164.312(a)(2)(iv) encryption and decryption"),
    (Objective::Gdpr, "Art. 32(1)(a) encryption of personal data"),
    (Objective::Soc2, "CC6.1 protection of information at rest"),
];

/// Traffic that can travel in clear text.
pub const IN_TRANSIT: &[(Objective, &str)] = &[
    (
        Objective::PciDss4,
        "4.2.1 strong cryptography protects data during transmission over open networks",
    ),
    (Objective::Hipaa, "164.312(e)(1) transmission security"),
    (
        Objective::Soc2,
        "CC6.7 protection of information during transmission",
    ),
    (Objective::Gdpr, "Art. 32(1)(a) encryption of personal data"),
    (
        Objective::OwaspAsvs,
        "V9.1.1 TLS is used for all client connectivity",
    ),
];

/// Stores that hold data both at rest and on the wire.
pub const AT_REST_AND_IN_TRANSIT: &[(Objective, &str)] = &[
    (
        Objective::PciDss4,
        "3.5.1 stored account data is unreadable; 4.2.1 strong cryptography in transmission",
    ),
    (
        Objective::Hipaa,
        "164.312(a)(2)(iv) and 164.312(e)(2)(ii) encryption",
    ),
    (Objective::Gdpr, "Art. 32(1)(a) encryption of personal data"),
    (
        Objective::Soc2,
        "CC6.1 and CC6.7 protection of information at rest and in transmission",
    ),
];

/// TLS versions older than 1.2 still accepted.
pub const OUTDATED_TLS: &[(Objective, &str)] = &[
    (
        Objective::PciDss4,
        "4.2.1 only trusted keys and secure protocol versions are used",
    ),
    (Objective::Hipaa, "164.312(e)(2)(ii) encryption in transmission"),
    (
        Objective::Soc2,
        "CC6.7 protection of information during transmission",
    ),
    (
        Objective::OwaspAsvs,
        "V9.1.3 only the latest recommended TLS versions are enabled",
    ),
];

/// Activity that leaves no record.
pub const AUDIT_LOGGING: &[(Objective, &str)] = &[
    (
        Objective::PciDss4,
        "10.2.1 audit logs are enabled and active for all system components",
    ),
    (Objective::Hipaa, "164.312(b) audit controls"),
    (
        Objective::Soc2,
        "CC7.2 monitoring of system components for anomalies",
    ),
];

/// Data that cannot be restored.
pub const BACKUP: &[(Objective, &str)] = &[
    (Objective::Hipaa, "164.308(a)(7)(ii)(A) data backup plan"),
    (Objective::Soc2, "A1.2 data backup and recovery"),
    (
        Objective::Gdpr,
        "Art. 32(1)(c) restore the availability of personal data in a timely manner",
    ),
];

/// A service reachable from the Internet that should not be.
pub const PUBLIC_ENDPOINT: &[(Objective, &str)] = &[
    (
        Objective::PciDss4,
        "1.4.1 network security controls between trusted and untrusted networks",
    ),
    (Objective::Soc2, "CC6.6 boundary protection"),
    (Objective::Hipaa, "164.312(e)(1) transmission security"),
];
