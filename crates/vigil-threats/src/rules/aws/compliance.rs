//! Compliance requirements that several AWS rules answer to in the same words, so that a requirement is
//! worded once.

use vigil_core::Objective;

/// Data stored unencrypted (or with keys nobody controls).
pub const AT_REST: &[(Objective, &str)] = &[
    (Objective::PciDss4, "3.5.1"),
    (Objective::Hipaa, "164.312(a)(2)(iv)"),
    (Objective::Gdpr, "Art. 32(1)(a)"),
    (Objective::Soc2, "CC6.1"),
];

/// Traffic that can travel in clear text.
pub const IN_TRANSIT: &[(Objective, &str)] = &[
    (Objective::PciDss4, "4.2.1"),
    (Objective::Hipaa, "164.312(e)(1)"),
    (Objective::Soc2, "CC6.7"),
    (Objective::Gdpr, "Art. 32(1)(a)"),
    (Objective::OwaspAsvs, "V9.1.1"),
];

/// Stores that hold data both at rest and on the wire.
pub const AT_REST_AND_IN_TRANSIT: &[(Objective, &str)] = &[
    (Objective::PciDss4, "3.5.1"),
    (Objective::PciDss4, "4.2.1"),
    (Objective::Hipaa, "164.312(a)(2)(iv)"),
    (Objective::Hipaa, "164.312(e)(2)(ii)"),
    (Objective::Gdpr, "Art. 32(1)(a)"),
    (Objective::Soc2, "CC6.1"),
    (Objective::Soc2, "CC6.7"),
    (Objective::OwaspAsvs, "V9.2.2"),
];

/// TLS versions older than 1.2 still accepted.
pub const OUTDATED_TLS: &[(Objective, &str)] = &[
    (Objective::PciDss4, "4.2.1"),
    (Objective::Hipaa, "164.312(e)(2)(ii)"),
    (Objective::Soc2, "CC6.7"),
    (Objective::OwaspAsvs, "V9.1.3"),
];

/// Activity that leaves no record.
pub const AUDIT_LOGGING: &[(Objective, &str)] = &[
    (Objective::PciDss4, "10.2.1"),
    (Objective::Hipaa, "164.312(b)"),
    (Objective::Soc2, "CC7.2"),
];

/// Data that cannot be restored.
pub const BACKUP: &[(Objective, &str)] = &[
    (Objective::Hipaa, "164.308(a)(7)(ii)(A)"),
    (Objective::Soc2, "A1.2"),
    (Objective::Gdpr, "Art. 32(1)(c)"),
];

/// A service reachable from the Internet that should not be.
pub const PUBLIC_ENDPOINT: &[(Objective, &str)] = &[
    (Objective::PciDss4, "1.4.1"),
    (Objective::Soc2, "CC6.6"),
    (Objective::Hipaa, "164.312(e)(1)"),
];
