//! The requirements, grouped by objective and in each standard's own order. Titles paraphrase the
//! standards' headings briefly; they are labels, not the requirement text.
//!
//! Editions: PCI DSS v4.0 (v4.0.1 kept the numbering), the HIPAA Security Rule (45 CFR Part 164 Subpart C),
//! the 2017 Trust Services Criteria (SOC 2, points of focus revised 2022), the GDPR, OWASP ASVS 4.0.3.

use super::Requirement;
use crate::config::Objective;

const fn pci(id: &'static str, title: &'static str) -> Requirement {
    Requirement {
        objective: Objective::PciDss4,
        id,
        title,
    }
}

const fn hipaa(id: &'static str, title: &'static str) -> Requirement {
    Requirement {
        objective: Objective::Hipaa,
        id,
        title,
    }
}

const fn soc2(id: &'static str, title: &'static str) -> Requirement {
    Requirement {
        objective: Objective::Soc2,
        id,
        title,
    }
}

const fn gdpr(id: &'static str, title: &'static str) -> Requirement {
    Requirement {
        objective: Objective::Gdpr,
        id,
        title,
    }
}

const fn asvs(id: &'static str, title: &'static str) -> Requirement {
    Requirement {
        objective: Objective::OwaspAsvs,
        id,
        title,
    }
}

/// Every requirement vigil cites.
pub const REQUIREMENTS: &[Requirement] = &[
    // PCI DSS v4.0
    pci(
        "1.2.1",
        "configuration standards for network security control rulesets are defined and kept current",
    ),
    pci(
        "1.3.1",
        "inbound traffic to the cardholder data environment is restricted to what is necessary",
    ),
    pci(
        "1.4.1",
        "network security controls are implemented between trusted and untrusted networks",
    ),
    pci(
        "1.4.4",
        "system components that store cardholder data are not directly accessible from untrusted networks",
    ),
    pci(
        "2.2.1",
        "configuration standards cover all system components and address known security vulnerabilities",
    ),
    pci(
        "2.2.4",
        "only necessary services, protocols, daemons and functions are enabled",
    ),
    pci(
        "2.2.6",
        "system security parameters are configured to prevent misuse",
    ),
    pci("3.5.1", "PAN is rendered unreadable anywhere it is stored"),
    pci(
        "3.6.1",
        "procedures protect cryptographic keys against disclosure and misuse",
    ),
    pci(
        "3.7.4",
        "cryptographic keys are changed at the end of their cryptoperiod",
    ),
    pci(
        "4.2.1",
        "strong cryptography protects PAN during transmission over open, public networks",
    ),
    pci(
        "5.2.1",
        "an anti-malware solution is deployed on system components at risk",
    ),
    pci(
        "6.2.3",
        "bespoke and custom software is reviewed before release to production",
    ),
    pci(
        "6.2.4",
        "software engineering techniques prevent or mitigate common software attacks",
    ),
    pci(
        "6.3.1",
        "security vulnerabilities are identified and ranked by risk",
    ),
    pci(
        "6.3.2",
        "an inventory of bespoke and third-party software components is maintained",
    ),
    pci(
        "6.3.3",
        "system components are protected from known vulnerabilities by installing security patches",
    ),
    pci(
        "6.4.1",
        "public-facing web applications are protected against new threats and known attacks",
    ),
    pci(
        "6.4.2",
        "an automated technical solution detects and prevents attacks on public-facing web applications",
    ),
    pci(
        "6.5.1",
        "changes to production system components follow established change procedures",
    ),
    pci(
        "7.2.1",
        "an access control model grants access based on business need",
    ),
    pci(
        "7.2.2",
        "access is assigned by job classification and function, with least privileges",
    ),
    pci(
        "7.2.5",
        "application and system accounts are assigned only the privileges they need",
    ),
    pci(
        "8.2.1",
        "every user is assigned a unique ID before access is allowed",
    ),
    pci(
        "8.2.2",
        "shared, group or generic accounts are used only by exception, and their use is attributable",
    ),
    pci("8.3.1", "all user access to system components is authenticated"),
    pci(
        "8.3.2",
        "strong cryptography renders authentication factors unreadable in transmission and storage",
    ),
    pci(
        "8.3.4",
        "invalid authentication attempts are limited by locking out the user ID",
    ),
    pci(
        "8.4.2",
        "multi-factor authentication is implemented for all access into the cardholder data environment",
    ),
    pci(
        "8.6.2",
        "passwords of application and system accounts are not hard coded in scripts, files or source code",
    ),
    pci(
        "8.6.3",
        "passwords of application and system accounts are protected against misuse",
    ),
    pci(
        "10.2.1",
        "audit logs are enabled and active for all system components and cardholder data",
    ),
    pci(
        "10.2.1.1",
        "audit logs capture all individual user access to cardholder data",
    ),
    pci("10.3.2", "audit log files are protected against modification"),
    pci(
        "10.3.3",
        "audit log files are promptly backed up to a central store that is difficult to modify",
    ),
    pci(
        "10.3.4",
        "file integrity monitoring or change detection protects existing audit log data",
    ),
    pci(
        "10.5.1",
        "audit log history is retained for at least twelve months",
    ),
    pci(
        "11.3.1",
        "internal vulnerability scans are performed at least every three months",
    ),
    pci(
        "11.5.2",
        "a change-detection mechanism alerts on unauthorized modification of critical files",
    ),
    pci(
        "12.3.1",
        "a targeted risk analysis supports each requirement whose frequency is left to the entity",
    ),
    pci(
        "12.8.2",
        "written agreements are maintained with third-party service providers",
    ),
    // HIPAA Security Rule
    hipaa("164.308(a)(1)(ii)(A)", "risk analysis"),
    hipaa("164.308(a)(1)(ii)(B)", "risk management"),
    hipaa("164.308(a)(4)(i)", "information access management"),
    hipaa("164.308(a)(4)(ii)(B)", "access authorization"),
    hipaa("164.308(a)(5)(ii)(B)", "protection from malicious software"),
    hipaa("164.308(a)(5)(ii)(D)", "password management"),
    hipaa("164.308(a)(7)(i)", "contingency plan"),
    hipaa("164.308(a)(7)(ii)(A)", "data backup plan"),
    hipaa(
        "164.308(b)(1)",
        "business associate contracts and other arrangements",
    ),
    hipaa("164.312(a)(1)", "access control"),
    hipaa("164.312(a)(2)(i)", "unique user identification"),
    hipaa("164.312(a)(2)(iv)", "encryption and decryption"),
    hipaa("164.312(b)", "audit controls"),
    hipaa("164.312(c)(1)", "integrity"),
    hipaa("164.312(d)", "person or entity authentication"),
    hipaa("164.312(e)(1)", "transmission security"),
    hipaa("164.312(e)(2)(ii)", "encryption of ePHI in transmission"),
    // SOC 2 (2017 Trust Services Criteria)
    soc2(
        "CC6.1",
        "logical access security over protected information assets",
    ),
    soc2(
        "CC6.2",
        "users are registered and authorized before credentials are issued, and removed",
    ),
    soc2(
        "CC6.3",
        "access is granted, changed and removed by role, with least privilege",
    ),
    soc2(
        "CC6.6",
        "logical access measures protect against threats from outside the system boundaries",
    ),
    soc2(
        "CC6.7",
        "transmission and movement of information is restricted and protected",
    ),
    soc2(
        "CC6.8",
        "unauthorized or malicious software is prevented or detected",
    ),
    soc2(
        "CC7.1",
        "detection and monitoring identify configuration changes and new vulnerabilities",
    ),
    soc2(
        "CC7.2",
        "system components are monitored for anomalies indicating malicious acts or errors",
    ),
    soc2(
        "CC8.1",
        "changes are authorized, designed, tested, approved and implemented",
    ),
    soc2(
        "CC9.2",
        "risks from vendors and business partners are assessed and managed",
    ),
    soc2(
        "A1.1",
        "processing capacity is monitored and managed to meet availability objectives",
    ),
    soc2(
        "A1.2",
        "environmental protections, backups and recovery infrastructure are in place",
    ),
    soc2(
        "PI1.2",
        "system inputs are controlled to be complete and accurate",
    ),
    // GDPR
    gdpr("Art. 5(1)(f)", "integrity and confidentiality of personal data"),
    gdpr("Art. 5(2)", "accountability of the controller"),
    gdpr("Art. 17", "right to erasure"),
    gdpr("Art. 25", "data protection by design and by default"),
    gdpr(
        "Art. 25(2)",
        "data protection by default, not accessible to an indefinite number of people",
    ),
    gdpr(
        "Art. 28(3)",
        "processing by a processor governed by a binding contract",
    ),
    gdpr(
        "Art. 32(1)(a)",
        "pseudonymisation and encryption of personal data",
    ),
    gdpr(
        "Art. 32(1)(b)",
        "ongoing confidentiality, integrity, availability and resilience of processing systems",
    ),
    gdpr(
        "Art. 32(1)(c)",
        "timely restoration of availability of and access to personal data",
    ),
    gdpr(
        "Art. 32(1)(d)",
        "regular testing and evaluation of the effectiveness of security measures",
    ),
    gdpr(
        "Art. 33",
        "notification of a personal data breach to the supervisory authority",
    ),
    gdpr(
        "Art. 44",
        "conditions for transfers of personal data to third countries",
    ),
    // OWASP ASVS 4.0.3
    asvs(
        "V1.2.2",
        "communications between application components are authenticated",
    ),
    asvs("V1.4.1", "trusted enforcement points enforce access controls"),
    asvs("V1.9.1", "communications between components are encrypted"),
    asvs("V1.14.1", "components of differing trust levels are segregated"),
    asvs("V2.1.1", "user-set passwords are at least 12 characters long"),
    asvs(
        "V2.2.1",
        "anti-automation controls stop credential testing, brute force and lockout attacks",
    ),
    asvs(
        "V2.2.4",
        "authentication resists phishing (multi-factor, cryptographic devices)",
    ),
    asvs(
        "V2.4.1",
        "passwords are stored in a form that resists offline attacks",
    ),
    asvs(
        "V2.10.1",
        "intra-service secrets do not rely on unchanging credentials",
    ),
    asvs(
        "V2.10.4",
        "secrets and API keys are not in source code or repositories",
    ),
    asvs(
        "V3.2.1",
        "a new session token is generated on user authentication",
    ),
    asvs("V3.3.1", "logout and expiration invalidate the session token"),
    asvs("V3.4.1", "cookie-based session tokens have the Secure attribute"),
    asvs(
        "V3.4.2",
        "cookie-based session tokens have the HttpOnly attribute",
    ),
    asvs("V3.4.3", "cookie-based session tokens use the SameSite attribute"),
    asvs(
        "V3.5.3",
        "stateless session tokens are signed and protected against tampering",
    ),
    asvs(
        "V4.1.1",
        "access control rules are enforced on a trusted service layer",
    ),
    asvs(
        "V4.1.3",
        "the principle of least privilege is applied to functions, data and resources",
    ),
    asvs(
        "V4.2.1",
        "sensitive data and APIs are protected against insecure direct object references",
    ),
    asvs(
        "V4.2.2",
        "a strong anti-CSRF mechanism protects authenticated functionality",
    ),
    asvs(
        "V4.3.1",
        "administrative interfaces use multi-factor authentication",
    ),
    asvs("V5.1.2", "frameworks protect against mass parameter assignment"),
    asvs(
        "V5.1.3",
        "all input is validated with positive validation (allow lists)",
    ),
    asvs(
        "V5.1.5",
        "redirects and forwards only go to allow-listed destinations",
    ),
    asvs("V5.2.4", "eval() and other dynamic code execution are avoided"),
    asvs(
        "V5.2.5",
        "template injection is prevented by sanitizing or sandboxing user input",
    ),
    asvs(
        "V5.2.6",
        "SSRF is prevented by validating untrusted URLs against allow lists",
    ),
    asvs(
        "V5.3.1",
        "output encoding is relevant for the interpreter and context",
    ),
    asvs("V5.3.3", "context-aware output escaping protects against XSS"),
    asvs(
        "V5.3.4",
        "database queries are parameterized or otherwise protected from injection",
    ),
    asvs("V5.3.7", "LDAP injection is prevented"),
    asvs("V5.3.8", "OS command injection is prevented"),
    asvs("V5.3.9", "local and remote file inclusion is prevented"),
    asvs("V5.3.10", "XPath and XML injection are prevented"),
    asvs(
        "V5.4.1",
        "memory-safe string and pointer operations prevent buffer overflows",
    ),
    asvs("V5.4.2", "format strings do not take potentially hostile input"),
    asvs(
        "V5.4.3",
        "sign, range and input validation prevent integer overflows",
    ),
    asvs("V5.5.1", "serialized objects use integrity checks or encryption"),
    asvs(
        "V5.5.2",
        "XML parsers are restricted and external entity resolution is disabled",
    ),
    asvs(
        "V5.5.3",
        "deserialization of untrusted data is avoided or protected",
    ),
    asvs("V6.1.1", "regulated private data is stored encrypted at rest"),
    asvs(
        "V6.2.2",
        "proven or approved cryptographic algorithms, modes and libraries are used",
    ),
    asvs(
        "V6.3.1",
        "random values come from a cryptographically secure generator",
    ),
    asvs(
        "V6.4.1",
        "a secrets management solution such as a key vault holds secrets",
    ),
    asvs("V7.1.1", "credentials and payment details are not logged"),
    asvs("V7.1.3", "security relevant events are logged"),
    asvs("V7.1.4", "log events carry the information needed to investigate"),
    asvs("V7.2.1", "all authentication decisions are logged"),
    asvs(
        "V7.3.1",
        "logging components encode data to prevent log injection",
    ),
    asvs(
        "V7.4.1",
        "a generic message is shown on unexpected or security sensitive errors",
    ),
    asvs(
        "V8.3.4",
        "sensitive data is identified and a policy says how to handle it",
    ),
    asvs(
        "V9.1.1",
        "TLS is used for all client connectivity, without insecure fallback",
    ),
    asvs("V9.1.3", "only the latest recommended TLS versions are enabled"),
    asvs(
        "V9.2.1",
        "connections to and from the server use trusted TLS certificates",
    ),
    asvs(
        "V9.2.2",
        "encrypted communications are used for all inbound and outbound connections",
    ),
    asvs(
        "V10.3.2",
        "integrity protections apply and no code is loaded from untrusted sources",
    ),
    asvs(
        "V11.1.4",
        "anti-automation controls protect against excessive calls",
    ),
    asvs(
        "V12.1.1",
        "files large enough to fill storage or deny service are not accepted",
    ),
    asvs(
        "V12.1.2",
        "compressed files are checked against size and file-count limits before extraction",
    ),
    asvs(
        "V12.2.1",
        "files from untrusted sources are validated to be of the expected type by content",
    ),
    asvs(
        "V12.3.1",
        "user-submitted filenames are not used directly with the file system",
    ),
    asvs("V12.4.2", "files from untrusted sources are scanned for malware"),
    asvs(
        "V12.5.2",
        "uploaded files are never executed as HTML or JavaScript",
    ),
    asvs(
        "V12.6.1",
        "the server sends requests only to allow-listed resources",
    ),
    asvs("V14.2.1", "all components are up to date"),
    asvs(
        "V14.2.4",
        "third-party components come from pre-defined, trusted and maintained repositories",
    ),
    asvs("V14.3.2", "debug modes are disabled in production"),
    asvs("V14.4.3", "a Content Security Policy response header is set"),
    asvs("V14.4.7", "the application cannot be framed by other sites"),
    asvs(
        "V14.5.3",
        "the CORS Access-Control-Allow-Origin header uses a strict allow list",
    ),
    asvs(
        "V14.5.4",
        "headers added by a trusted proxy or SSO device are authenticated by the application",
    ),
];
