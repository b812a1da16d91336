//! The field-name lexicon: which fields of a data model hold regulated or secret data, from their names
//! alone. The model readers (`models/`) supply the names; the discover stage attaches the classes to the
//! data stores and flows that carry the model. A name is split into lower-case words (`passwordHash`,
//! `password_hash`, `PASSWORD-HASH` and `PasswordHASH` are all `password hash`; digits are words:
//! `address1` is `address 1`), and a term matches a run of consecutive words, or those words written
//! together (`firstname`, `e_mail`, `ip_v4`), optionally with a plural `s`/`es`.
//!
//! | Class | Terms |
//! |---|---|
//! | Secrets (credentials) | `password` `passwd` `pwd` `passphrase` `passcode` `secret` `secret key` `api key` `access key` `access token` `refresh token` `auth token` `token` `session id` `session key` `private key` `signing key` `encryption key` `master key` `credential` `otp` `totp` `hotp` `recovery code` `backup code` `verification code` `reset code` `authorization code` `auth code` `security answer` `jwt` |
//! | PCI (cardholder data, sensitive authentication data) | `card number` `card no` `card num` `cc number` `cc num` `ccn` `credit card` `debit card` `pan` `primary account number` `cvv` `cvv2` `cvc` `cvc2` `card verification` `card security code` `card expiry` `card expiration` `card exp` `exp month` `exp year` `expiry month` `expiry year` `expiration month` `expiration year` `cardholder` `card holder` `cardholder name` `card holder name` `name on card` `card pin` `pin block` `track data` `track1` `track2` `magnetic stripe` `mag stripe` |
//! | PHI (health) | `diagnosis` `diagnoses` `icd` `medical record number` `medical record` `mrn` `medical history` `health record` `prescription` `medication` `dosage` `insurance member id` `insurance member` `insurance id` `insurance number` `health insurance` `health plan` `blood type` `blood group` `allergy` `allergies` `symptom` `treatment` `lab result` `vaccination` `immunization` `disability` `disabilities` `genetic` `pregnancy` `mental health` `hiv` `hiv status` `medical condition` `health condition` `clinical note` `chief complaint` `vital sign` `heart rate` `blood pressure` `glucose` `procedure code` `cpt code` `health card` `nhs number` `medicare number` `medicare id` `medicaid number` `medicaid id` |
//! | PII (personal data) | `email` `phone` `telephone` `tel` `mobile` `mobile number` `mobile phone` `mobile no` `cellphone` `cell phone` `cell number` `msisdn` `fax` `fname` `lname` `nickname` `username` `date of birth` `dob` `birth date` `birthday` `born on` `birth year` `birth place` `place of birth` `country of birth` `ssn` `social security` `national id` `national identifier` `national insurance` `nino` `tax id` `taxpayer id` `itin` `tax number` `tax identification` `passport` `passport id` `drivers license` `driver license` `driving license` `driving licence` `drivers licence` `driver licence` `id number` `id card` `identity card` `identity number` `identity document` `aadhaar` `cpf` `nric` `dni` `personnummer` `address` `addr` `street` `house number` `postal code` `postcode` `zip` `zip code` `pin code` `ip` `ip address` `ipv4` `ipv6` `mac address` `imei` `latitude` `longitude` `lat` `lng` `lon` `geolocation` `gps` `coordinates` `coords` `current location` `last location` `location history` `gender` `sex` `sexual orientation` `ethnicity` `race` `religion` `marital status` `nationality` `citizenship` `biometric` `emergency contact` `iban` `bank account` `account number` `routing number` `sort code` `salary` |
//!
//! Names of people: `first name`, `last name`, `surname`, `full name`, `given name`, `family name`,
//! `maiden name`, `customer name`, `patient name`, `user name`... (a qualifier from [`NAME_QUALIFIERS`]
//! before `name`) are PII. A bare `name` or `display name` is PII only in a model whose name says it is a
//! person ([`PERSON_MODELS`]: `User`, `Customer`, `Patient`...), cardholder data (PCI) in a payment-card
//! model, and nothing otherwise: the `name` of a `Product` is not personal.
//!
//! Decisions:
//! - IBAN, bank account and routing numbers are financial PII, not PCI: PCI DSS covers payment-card data
//!   only. A truncated card number (`last4`, `card_number_last4`, `masked_pan`) is out of PCI scope and not
//!   classified; a hashed or encrypted one is still cardholder data. The number of a card that is not a
//!   payment card (`gift_card_number`, `id_card_number`: [`NOT_CARD_DATA`]) is not PCI.
//! - In a payment-card model (`Card`, `CreditCard`, `PaymentCard`) the plain `number`, `exp`, `expiry`,
//!   `expiration`, `holder`, `name`, `pin`, `security code` fields are PCI.
//! - In a health model (`Patient`, `MedicalRecord`, `Prescription`, see [`HEALTH_MODELS`]), personal
//!   identifiers are PHI: HIPAA's identifiers are protected health information when held with health data.
//! - A field about the sensitive value, not the value, is not classified: a boolean (`is_email_verified`,
//!   `has_password`: first word in [`BOOLEAN_PREFIXES`]), or a term followed by a word of [`METADATA`]
//!   (`password_changed_at`, `email_verified`, `token_expires`, `address_id`, `phone_type`). Credentials and
//!   card data are also not matched when followed by a word of [`IDENTIFIERS`] (`api_key_name`,
//!   `card_number_last4`, `secret_label`): those name or point at the secret without holding it.
//! - Addresses, IP addresses and coordinates qualified by a [`MACHINE`] word (`server_address`,
//!   `bind_ip`, `smtp_address`, `contract_address`) belong to machines, not people.
//! - `public key`, `publishable key` and `public token` are public by design ([`PUBLIC`]).
//! - Short or ambiguous terms (`zip`, `lat`, `lng`, `lon`, `mobile`, `race`) match only as the last word of
//!   the name (`billing_zip`, `geo_lat`; not `zip_file`, `mobile_app`).
//! - When several terms match, the most sensitive class wins (secrets, then PCI, PHI, PII).
//! - `id`, `createdAt`, `status`, `city`, `country`, `age`, `key`, `hash`, `login` alone say nothing and
//!   are not classified.
//!
//! Known gaps: names in other languages than English (except the national identifiers listed), names that
//! hide the meaning (`field1`, `data`), and values (a `notes` column holding diagnoses) are out of reach of a
//! name lexicon.

use vigil_core::DataClass::{self, Pci, Phi, Pii, Secrets};

/// A classified field: the class and the lexicon term that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    pub class: DataClass,
    /// The lexicon term, or the rule (`person name`, `card field`), that matched.
    pub term: &'static str,
}

/// The data class a field name suggests, without knowing its model.
pub fn classify_field(name: &str) -> Option<DataClass> {
    classify(None, name).map(|c| c.class)
}

/// The data class a field name suggests in a model (`classify_field_in(Some("Product"), "name")` is `None`,
/// in `Some("Customer")` it is PII).
pub fn classify_field_in(model: Option<&str>, field: &str) -> Option<DataClass> {
    classify(model, field).map(|c| c.class)
}

/// What a data class means for a field, for reports.
pub fn explain(class: DataClass) -> &'static str {
    match class {
        DataClass::Secrets => {
            "a credential (password, token, API or private key, one-time-password secret): anyone who reads it \
             can act as its owner"
        }
        DataClass::Pci => {
            "payment-card data (card number, CVV, expiry, cardholder name): storing or transmitting it brings \
             the system into PCI DSS scope"
        }
        DataClass::Phi => {
            "protected health information (diagnosis, medication, medical record or insurance number, or a \
             personal identifier held with health data): regulated by HIPAA and as special-category data by GDPR"
        }
        DataClass::Pii => {
            "personal data (name, contact details, birth date, national identifier, address, location, IP \
             address): identifies a person, regulated by GDPR and similar laws"
        }
        DataClass::Internal => "internal business data, not personal or regulated",
        DataClass::Public => "public data",
    }
}

/// The full classification of a field, with the term that decided it.
pub fn classify(model: Option<&str>, field: &str) -> Option<Classification> {
    let words = words(field);
    let first = words.first()?;
    if words.len() > 1 && BOOLEAN_PREFIXES.contains(&first.as_str()) {
        return None;
    }
    if PUBLIC
        .iter()
        .any(|phrase| !occurrences(&words, phrase, false).is_empty())
    {
        return None;
    }
    let context = Context::of(model);
    let mut found: Vec<Classification> = Vec::new();
    for term in TERMS {
        for (start, end) in occurrences(&words, term.phrase, term.plural) {
            if !cancelled(term, &words, start, end) && (!term.ending || end == words.len()) {
                found.push(Classification {
                    class: term.class,
                    term: term.phrase,
                });
            }
        }
        if term.embedded && inside_word(&words, term.phrase) {
            found.push(Classification {
                class: term.class,
                term: term.phrase,
            });
        }
    }
    found.extend(person_name(&words, context));
    if context.card && CARD_FIELDS.iter().any(|f| compact(&words) == compact_phrase(f)) {
        found.push(Classification {
            class: DataClass::Pci,
            term: "card field",
        });
    }
    let mut best = found.into_iter().min_by_key(|c| c.class)?;
    if context.health && best.class == DataClass::Pii {
        best.class = DataClass::Phi;
    }
    Some(best)
}

/// A lexicon entry. `phrase` is lower-case words separated by spaces.
#[derive(Debug)]
struct Term {
    phrase: &'static str,
    class: DataClass,
    /// Cancelled by a preceding [`MACHINE`] word (`server_address`).
    machine: bool,
    /// Also matches with a plural `s`/`es`.
    plural: bool,
    /// Matches only as the last word of the name (short or ambiguous terms: `billing_zip`, not `zip_file`).
    ending: bool,
    /// Also found inside a single word (`userpassword`, `useremail`): for terms unlikely to occur inside
    /// unrelated words.
    embedded: bool,
}

const fn t(phrase: &'static str, class: DataClass) -> Term {
    Term {
        phrase,
        class,
        machine: false,
        plural: true,
        ending: false,
        embedded: false,
    }
}

/// A place or network term that machines have too.
const fn machine(phrase: &'static str) -> Term {
    Term {
        machine: true,
        ..t(phrase, DataClass::Pii)
    }
}

const fn ending(term: Term) -> Term {
    Term { ending: true, ..term }
}

const fn embedded(phrase: &'static str, class: DataClass) -> Term {
    Term {
        embedded: true,
        ..t(phrase, class)
    }
}

const fn singular(phrase: &'static str, class: DataClass) -> Term {
    Term {
        plural: false,
        ..t(phrase, class)
    }
}

const TERMS: &[Term] = &[
    // Secrets.
    embedded("password", Secrets),
    embedded("passwd", Secrets),
    t("pwd", Secrets),
    t("passphrase", Secrets),
    t("passcode", Secrets),
    t("secret", Secrets),
    embedded("secret key", Secrets),
    embedded("api key", Secrets),
    t("access key", Secrets),
    embedded("access token", Secrets),
    embedded("refresh token", Secrets),
    t("auth token", Secrets),
    // `tokens` counts language-model tokens (`max_tokens`): only the singular is a credential.
    singular("token", Secrets),
    t("session id", Secrets),
    t("session key", Secrets),
    embedded("private key", Secrets),
    t("signing key", Secrets),
    t("encryption key", Secrets),
    t("master key", Secrets),
    t("credential", Secrets),
    t("otp", Secrets),
    t("totp", Secrets),
    t("hotp", Secrets),
    t("recovery code", Secrets),
    t("backup code", Secrets),
    t("verification code", Secrets),
    t("reset code", Secrets),
    t("authorization code", Secrets),
    t("auth code", Secrets),
    t("security answer", Secrets),
    t("jwt", Secrets),
    // PCI.
    embedded("card number", Pci),
    t("card no", Pci),
    t("card num", Pci),
    t("cc number", Pci),
    t("cc num", Pci),
    t("ccn", Pci),
    embedded("credit card", Pci),
    t("debit card", Pci),
    t("pan", Pci),
    t("primary account number", Pci),
    t("cvv", Pci),
    t("cvv2", Pci),
    t("cvc", Pci),
    t("cvc2", Pci),
    t("card verification", Pci),
    t("card security code", Pci),
    t("card expiry", Pci),
    t("card expiration", Pci),
    t("card exp", Pci),
    t("exp month", Pci),
    t("exp year", Pci),
    t("expiry month", Pci),
    t("expiry year", Pci),
    t("expiration month", Pci),
    t("expiration year", Pci),
    t("cardholder", Pci),
    t("card holder", Pci),
    t("cardholder name", Pci),
    t("card holder name", Pci),
    t("name on card", Pci),
    t("card pin", Pci),
    t("pin block", Pci),
    t("track data", Pci),
    t("track1", Pci),
    t("track2", Pci),
    t("magnetic stripe", Pci),
    t("mag stripe", Pci),
    // PHI.
    t("diagnosis", Phi),
    t("diagnoses", Phi),
    t("icd", Phi),
    t("medical record number", Phi),
    t("medical record", Phi),
    t("mrn", Phi),
    t("medical history", Phi),
    t("health record", Phi),
    t("prescription", Phi),
    t("medication", Phi),
    t("dosage", Phi),
    t("insurance member id", Phi),
    t("insurance member", Phi),
    t("insurance id", Phi),
    t("insurance number", Phi),
    t("health insurance", Phi),
    t("health plan", Phi),
    t("blood type", Phi),
    t("blood group", Phi),
    t("allergy", Phi),
    t("allergies", Phi),
    t("symptom", Phi),
    t("treatment", Phi),
    t("lab result", Phi),
    t("vaccination", Phi),
    t("immunization", Phi),
    t("disability", Phi),
    t("disabilities", Phi),
    t("genetic", Phi),
    t("pregnancy", Phi),
    t("mental health", Phi),
    t("hiv", Phi),
    t("hiv status", Phi),
    t("medical condition", Phi),
    t("health condition", Phi),
    t("clinical note", Phi),
    t("chief complaint", Phi),
    t("vital sign", Phi),
    t("heart rate", Phi),
    t("blood pressure", Phi),
    t("glucose", Phi),
    t("procedure code", Phi),
    t("cpt code", Phi),
    t("health card", Phi),
    t("nhs number", Phi),
    t("medicare number", Phi),
    t("medicare id", Phi),
    t("medicaid number", Phi),
    t("medicaid id", Phi),
    // PII: contact.
    embedded("email", Pii),
    t("phone", Pii),
    t("telephone", Pii),
    t("tel", Pii),
    ending(t("mobile", Pii)),
    t("mobile number", Pii),
    t("mobile phone", Pii),
    t("mobile no", Pii),
    t("cellphone", Pii),
    t("cell phone", Pii),
    t("cell number", Pii),
    t("msisdn", Pii),
    t("fax", Pii),
    // PII: names and identity (see also `person_name`).
    t("fname", Pii),
    t("lname", Pii),
    t("nickname", Pii),
    t("username", Pii),
    embedded("date of birth", Pii),
    t("dob", Pii),
    embedded("birth date", Pii),
    t("birthday", Pii),
    t("born on", Pii),
    t("birth year", Pii),
    t("birth place", Pii),
    t("place of birth", Pii),
    t("country of birth", Pii),
    t("ssn", Pii),
    embedded("social security", Pii),
    t("national id", Pii),
    t("national identifier", Pii),
    t("national insurance", Pii),
    t("nino", Pii),
    t("tax id", Pii),
    t("taxpayer id", Pii),
    t("itin", Pii),
    t("tax number", Pii),
    t("tax identification", Pii),
    t("passport", Pii),
    t("passport id", Pii),
    t("drivers license", Pii),
    t("driver license", Pii),
    t("driving license", Pii),
    t("driving licence", Pii),
    t("drivers licence", Pii),
    t("driver licence", Pii),
    t("id number", Pii),
    t("id card", Pii),
    t("identity card", Pii),
    t("identity number", Pii),
    t("identity document", Pii),
    t("aadhaar", Pii),
    t("cpf", Pii),
    t("nric", Pii),
    t("dni", Pii),
    t("personnummer", Pii),
    // PII: places and devices.
    machine("address"),
    machine("addr"),
    t("street", Pii),
    t("house number", Pii),
    t("postal code", Pii),
    t("postcode", Pii),
    ending(t("zip", Pii)),
    t("zip code", Pii),
    t("pin code", Pii),
    machine("ip"),
    machine("ip address"),
    machine("ipv4"),
    machine("ipv6"),
    machine("mac address"),
    t("imei", Pii),
    machine("latitude"),
    machine("longitude"),
    ending(machine("lat")),
    ending(machine("lng")),
    ending(machine("lon")),
    machine("geolocation"),
    machine("gps"),
    machine("coordinates"),
    machine("coords"),
    t("current location", Pii),
    t("last location", Pii),
    t("location history", Pii),
    // PII: special categories and finances.
    t("gender", Pii),
    t("sex", Pii),
    t("sexual orientation", Pii),
    t("ethnicity", Pii),
    ending(t("race", Pii)),
    t("religion", Pii),
    t("marital status", Pii),
    t("nationality", Pii),
    t("citizenship", Pii),
    t("biometric", Pii),
    t("emergency contact", Pii),
    t("iban", Pii),
    t("bank account", Pii),
    t("account number", Pii),
    t("routing number", Pii),
    t("sort code", Pii),
    t("salary", Pii),
];

/// Words after a term that make the field about the value rather than the value.
#[rustfmt::skip]
pub const METADATA: &[&str] = &[
    "at", "on", "time", "timestamp", "count", "counter", "attempts", "attempt", "retries", "enabled",
    "disabled", "required", "verified", "confirmed", "valid", "validated", "validation", "validator",
    "changed", "updated", "created", "sent", "expires", "expiry", "expiration", "expired", "ttl", "length",
    "len", "size", "min", "max", "policy", "strength", "type", "types", "kind", "format", "status", "state",
    "flag", "version", "id", "ids", "uuid", "url", "uri", "endpoint", "field", "column", "label",
    "placeholder", "prompt", "template", "subject", "body", "mode", "method", "provider", "algorithm", "algo",
    "scheme", "salt", "rotation", "rotated", "question", "domain", "regex", "pattern", "visible",
    "visibility", "hidden", "opt", "optin", "optout", "opted", "consent", "preference", "preferences",
    "notification", "notifications", "frequency", "index", "whitelist", "allowlist", "blacklist", "blocklist",
    "range", "ranges", "rule", "rules", "filter",
];

/// Words after a credential or card term that name, point at or truncate it without holding it.
#[rustfmt::skip]
pub const IDENTIFIERS: &[&str] = &[
    "name", "names", "label", "prefix", "suffix", "last", "first", "hint", "fingerprint", "masked", "mask",
    "preview", "reference", "ref", "token", "four", "digits",
];

/// Words before a card term that mean only part of the number is kept, or that the card is not a payment
/// card (`gift_card_number`, `id_card_number`).
#[rustfmt::skip]
pub const NOT_CARD_DATA: &[&str] = &[
    "masked", "truncated", "last", "redacted", "obfuscated", "tokenized", "gift", "loyalty", "library",
    "membership", "business", "id", "identity", "health", "sim", "key", "access", "report", "score",
];

/// First words of boolean fields.
#[rustfmt::skip]
pub const BOOLEAN_PREFIXES: &[&str] = &[
    "is", "has", "have", "should", "can", "allow", "allows", "enable", "enabled", "use", "uses", "need",
    "needs", "require", "requires", "show", "hide", "send", "notify", "accept", "accepts", "skip", "force",
    "must", "was", "did", "will",
];

/// Words that make an address, IP or coordinate a machine's.
#[rustfmt::skip]
pub const MACHINE: &[&str] = &[
    "server", "servers", "host", "hosts", "bind", "listen", "listening", "smtp", "imap", "proxy", "gateway",
    "memory", "base", "contract", "node", "service", "broker", "endpoint", "api", "web", "webhook",
    "callback", "redirect", "return", "local", "localhost", "dns", "nat", "vpc", "subnet", "router",
    "interface", "network", "cluster", "pod", "container", "instance", "vm", "machine", "load", "balancer",
    "lb", "upstream", "backend", "origin", "public", "private", "internal", "external", "peer", "relay",
    "token", "allowed", "trusted", "whitelisted", "start", "end",
];

/// Phrases that are public by design.
#[rustfmt::skip]
pub const PUBLIC: &[&str] = &[
    "public key", "publishable key", "public token",
];

/// Words before `name` that make it a person's name.
#[rustfmt::skip]
pub const NAME_QUALIFIERS: &[&str] = &[
    "first", "last", "middle", "full", "given", "family", "maiden", "legal", "birth", "preferred", "real",
    "christian", "sur", "fore", "second", "father", "mother", "spouse", "user", "login", "screen", "contact",
    "customer", "patient", "employee", "member", "person", "recipient", "sender", "beneficiary", "guardian",
    "parent", "student", "applicant", "driver", "passenger", "guest", "buyer", "author", "owner", "billing",
    "shipping", "emergency", "doctor", "physician", "teacher", "subscriber", "holder", "nick",
];

/// Words in a model name that say it describes a person.
#[rustfmt::skip]
pub const PERSON_MODELS: &[&str] = &[
    "user", "users", "person", "people", "customer", "customers", "patient", "patients", "employee",
    "employees", "member", "members", "contact", "contacts", "profile", "profiles", "student", "students",
    "applicant", "candidate", "doctor", "physician", "nurse", "driver", "passenger", "guest", "staff",
    "author", "owner", "subscriber", "recipient", "beneficiary", "guardian", "parent", "teacher", "visitor",
    "lead", "individual", "human", "admin", "cardholder", "resident", "traveler", "traveller", "attendee",
    "participant", "volunteer", "worker", "citizen", "voter", "borrower", "shopper", "buyer", "player",
    "reviewer", "signup", "account",
];

/// Words in a model name that say it holds health data.
#[rustfmt::skip]
pub const HEALTH_MODELS: &[&str] = &[
    "patient", "patients", "medical", "health", "healthcare", "clinical", "diagnosis", "prescription",
    "encounter", "ehr", "emr", "treatment", "medication", "lab",
];

/// Words in a model name that, with `card`, say it is a payment card.
#[rustfmt::skip]
pub const CARD_QUALIFIERS: &[&str] = &[
    "credit", "debit", "payment", "bank", "stored", "saved", "customer", "user", "billing", "wallet",
];

/// Whole field names that are card data in a payment-card model.
#[rustfmt::skip]
pub const CARD_FIELDS: &[&str] = &[
    "number", "num", "no", "exp", "expiry", "expiration", "expires", "expiry date", "expiration date",
    "exp date", "holder", "holder name", "name", "pin", "security code", "account number",
];

/// What the model name says about its fields.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    person: bool,
    health: bool,
    card: bool,
}

impl Context {
    fn of(model: Option<&str>) -> Self {
        let Some(model) = model else {
            return Self::default();
        };
        let words = words(model);
        let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
        let card_word = words
            .iter()
            .any(|w| w == "card" || w == "cards" || w == "creditcard");
        Self {
            person: has(PERSON_MODELS),
            health: has(HEALTH_MODELS),
            card: card_word
                && (words.len() == 1 || has(CARD_QUALIFIERS) || words.iter().any(|w| w == "creditcard")),
        }
    }
}

/// `name` fields: a person's name by its qualifier or by the model (see the module doc).
fn person_name(words: &[String], context: Context) -> Option<Classification> {
    let pii = |term| {
        Some(Classification {
            class: DataClass::Pii,
            term,
        })
    };
    for (index, word) in words.iter().enumerate() {
        let trailing = words.get(index + 1..).unwrap_or_default();
        if trailing.iter().any(|w| METADATA.contains(&w.as_str())) {
            continue;
        }
        let previous = index
            .checked_sub(1)
            .and_then(|i| words.get(i))
            .map(String::as_str);
        if word == "name" || word == "names" {
            if previous.is_some_and(|p| NAME_QUALIFIERS.contains(&p)) {
                return pii("person name");
            }
        } else if let Some(qualifier) = word.strip_suffix("names").or_else(|| word.strip_suffix("name"))
            && NAME_QUALIFIERS.contains(&qualifier)
        {
            // Written together: `firstname`, `surname`, `customername`.
            return pii("person name");
        }
    }
    let bare = match words {
        [only] => only == "name",
        [display, name] => display == "display" && name == "name",
        _ => false,
    };
    if bare {
        if context.card {
            return Some(Classification {
                class: DataClass::Pci,
                term: "card field",
            });
        }
        if context.person {
            return pii("person name");
        }
    }
    None
}

/// Whether a term occurrence is about the value rather than the value (see the module doc).
fn cancelled(term: &Term, words: &[String], start: usize, end: usize) -> bool {
    let leading = words.get(..start).unwrap_or_default();
    let trailing = words.get(end..).unwrap_or_default();
    let any = |slice: &[String], list: &[&str]| slice.iter().any(|w| list.contains(&w.as_str()));
    if any(trailing, METADATA) {
        return true;
    }
    if matches!(term.class, DataClass::Secrets | DataClass::Pci) && any(trailing, IDENTIFIERS) {
        return true;
    }
    if term.class == DataClass::Pci && any(leading, NOT_CARD_DATA) {
        return true;
    }
    term.machine && any(leading, MACHINE)
}

/// Where a phrase occurs as a run of words, the words possibly written together: `(start, end)` ranges.
fn occurrences(words: &[String], phrase: &str, plural: bool) -> Vec<(usize, usize)> {
    let target = compact_phrase(phrase);
    let mut found = Vec::new();
    for start in 0..words.len() {
        let mut joined = String::new();
        for (offset, word) in words.iter().enumerate().skip(start) {
            joined.push_str(word);
            let exact = joined == target;
            let plural_form = plural
                && joined
                    .strip_prefix(target.as_str())
                    .is_some_and(|rest| rest == "s" || rest == "es");
            if exact || plural_form {
                found.push((start, offset + 1));
                break;
            }
            if !target.starts_with(joined.as_str()) {
                break;
            }
        }
    }
    found
}

/// Whether a phrase is written inside one word (`userpassword`), with nothing after it but a word that keeps
/// its meaning (`useremailaddress`, `adminpasswordhash`).
fn inside_word(words: &[String], phrase: &str) -> bool {
    const KEEPS_MEANING: [&str; 11] = [
        "",
        "s",
        "es",
        "hash",
        "digest",
        "address",
        "addr",
        "number",
        "no",
        "encrypted",
        "enc",
    ];
    let target = compact_phrase(phrase);
    words.iter().enumerate().any(|(index, word)| {
        word.len() > target.len()
            && word.match_indices(target.as_str()).any(|(at, _)| {
                let rest = word.get(at + target.len()..).unwrap_or("");
                let trailing = words.get(index + 1..).unwrap_or_default();
                KEEPS_MEANING.contains(&rest) && !trailing.iter().any(|w| METADATA.contains(&w.as_str()))
            })
    })
}

fn compact(words: &[String]) -> String {
    words.concat()
}

fn compact_phrase(phrase: &str) -> String {
    phrase.split(' ').collect()
}

/// Splits an identifier into lower-case words: `userIPAddress` -> `user ip address`, `address_line1` ->
/// `address line 1`, `SSNNumber` -> `ssn number`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        let next = chars.get(index + 1).copied();
        let boundary = match previous {
            Some(p) if !current.is_empty() => {
                (p.is_lowercase() && c.is_uppercase())
                    || (p.is_alphabetic() && c.is_numeric())
                    || (p.is_numeric() && c.is_alphabetic())
                    // The last capital of an acronym starts the next word: `SSNNumber`.
                    || (p.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase))
            }
            _ => false,
        };
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use vigil_core::DataClass::{self, Pci, Phi, Pii, Secrets};

    use super::{TERMS, classify_field, classify_field_in, explain, words};

    #[test]
    fn names_split_into_words() {
        let cases: [(&str, &[&str]); 8] = [
            ("passwordHash", &["password", "hash"]),
            ("password_hash", &["password", "hash"]),
            ("PASSWORD-HASH", &["password", "hash"]),
            ("userIPAddress", &["user", "ip", "address"]),
            ("SSNNumber", &["ssn", "number"]),
            ("address_line1", &["address", "line", "1"]),
            ("cvv2", &["cvv", "2"]),
            ("__private.field ", &["private", "field"]),
        ];
        for (name, expected) in cases {
            assert_eq!(words(name), expected, "{name}");
        }
        assert!(words("").is_empty());
        assert!(words("_-_").is_empty());
    }

    #[test]
    fn sensitive_names() {
        let cases: &[(&str, DataClass)] = &[
            // Secrets.
            ("password", Secrets),
            ("passwordHash", Secrets),
            ("password_digest", Secrets),
            ("encrypted_password", Secrets),
            ("hashedPassword", Secrets),
            ("userpassword", Secrets),
            ("password_confirmation", Secrets),
            ("password_reset_token", Secrets),
            ("apiKey", Secrets),
            ("API_KEY", Secrets),
            ("client_secret", Secrets),
            ("secretKey", Secrets),
            ("accessToken", Secrets),
            ("refresh_token", Secrets),
            ("token", Secrets),
            ("sessionId", Secrets),
            ("privateKey", Secrets),
            ("ssh_private_key", Secrets),
            ("otp_secret", Secrets),
            ("mfaSecret", Secrets),
            ("totp", Secrets),
            ("recovery_codes", Secrets),
            ("credentials", Secrets),
            ("security_answer", Secrets),
            // PCI.
            ("cardNumber", Pci),
            ("card_number", Pci),
            ("creditCardNumber", Pci),
            ("credit_card", Pci),
            ("pan", Pci),
            ("cvv", Pci),
            ("CVC", Pci),
            ("cvv2", Pci),
            ("card_expiry", Pci),
            ("expMonth", Pci),
            ("expiration_year", Pci),
            ("cardholderName", Pci),
            ("card_holder_name", Pci),
            ("name_on_card", Pci),
            ("encrypted_card_number", Pci),
            ("track2", Pci),
            // PHI.
            ("diagnosis", Phi),
            ("diagnosis_code", Phi),
            ("icd10", Phi),
            ("medicalRecordNumber", Phi),
            ("mrn", Phi),
            ("prescriptions", Phi),
            ("medications", Phi),
            ("insurance_member_id", Phi),
            ("insuranceMemberId", Phi),
            ("blood_type", Phi),
            ("bloodGroup", Phi),
            ("allergies", Phi),
            ("lab_results", Phi),
            ("hiv_status", Phi),
            // PII.
            ("email", Pii),
            ("emailAddress", Pii),
            ("e_mail", Pii),
            ("contact_email", Pii),
            ("useremail", Pii),
            ("phone", Pii),
            ("phoneNumber", Pii),
            ("mobile", Pii),
            ("firstName", Pii),
            ("last_name", Pii),
            ("surname", Pii),
            ("fullName", Pii),
            ("firstname", Pii),
            ("customer_name", Pii),
            ("username", Pii),
            ("user_name", Pii),
            ("dateOfBirth", Pii),
            ("dob", Pii),
            ("birth_date", Pii),
            ("birthdate", Pii),
            ("ssn", Pii),
            ("social_security_number", Pii),
            ("nationalId", Pii),
            ("passport_number", Pii),
            ("passportId", Pii),
            ("drivers_license_number", Pii),
            ("tax_id", Pii),
            ("address", Pii),
            ("street_address", Pii),
            ("billingAddress", Pii),
            ("address_line1", Pii),
            ("postal_code", Pii),
            ("zip", Pii),
            ("zipCode", Pii),
            ("ip_address", Pii),
            ("lastLoginIp", Pii),
            ("remote_addr", Pii),
            ("latitude", Pii),
            ("lng", Pii),
            ("geo_lat", Pii),
            ("billing_zip", Pii),
            ("health_card_number", Phi),
            ("nhs_number", Phi),
            ("id_card_number", Pii),
            ("geolocation", Pii),
            ("gender", Pii),
            ("date_of_birth_encrypted", Pii),
            ("iban", Pii),
            ("bank_account_number", Pii),
            ("marital_status", Pii),
        ];
        for (name, class) in cases {
            assert_eq!(classify_field(name), Some(*class), "{name}");
        }
        assert!(cases.len() >= 40);
    }

    #[test]
    fn names_that_are_not_sensitive() {
        let cases = [
            "id",
            "createdAt",
            "updated_at",
            "status",
            "name",
            "title",
            "description",
            "price",
            "quantity",
            "city",
            "country",
            "key",
            "hash",
            "login",
            "type",
            "productName",
            "file_name",
            "hostname",
            "company_name",
            "display_name",
            "password_changed_at",
            "passwordResetSentAt",
            "password_updated_at",
            "is_email_verified",
            "email_verified",
            "emailVerifiedAt",
            "has_password",
            "token_expires_at",
            "tokenType",
            "max_tokens",
            "input_tokens",
            "api_key_id",
            "apiKeyPrefix",
            "access_key_id",
            "card_number_last4",
            "masked_pan",
            "last4",
            "cardBrand",
            "card_id",
            "server_address",
            "bind_ip",
            "smtp_address",
            "contract_address",
            "public_key",
            "stripe_publishable_key",
            "address_id",
            "phone_type",
            "email_template",
            "zip_file",
            "gift_card_number",
            "zip_code_format",
            "secret_name",
            "mobile_app",
            "span",
            "panel",
            "classname",
            "passwordless",
            "send_email",
            "",
        ];
        for name in cases {
            assert_eq!(classify_field(name), None, "{name}");
        }
    }

    #[test]
    fn the_model_decides_what_a_name_is() {
        assert_eq!(classify_field_in(Some("Product"), "name"), None);
        assert_eq!(classify_field_in(Some("Category"), "displayName"), None);
        assert_eq!(classify_field_in(Some("User"), "name"), Some(Pii));
        assert_eq!(
            classify_field_in(Some("CustomerProfile"), "display_name"),
            Some(Pii)
        );
        assert_eq!(classify_field_in(Some("users"), "name"), Some(Pii));
        assert_eq!(classify_field_in(Some("EmailAddress"), "address"), Some(Pii));
        assert_eq!(classify_field_in(Some("ServerConfig"), "host"), None);
        // Payment cards.
        assert_eq!(classify_field_in(Some("CreditCard"), "number"), Some(Pci));
        assert_eq!(classify_field_in(Some("PaymentCard"), "exp"), Some(Pci));
        assert_eq!(classify_field_in(Some("Card"), "name"), Some(Pci));
        assert_eq!(classify_field_in(Some("Invoice"), "number"), None);
        assert_eq!(classify_field_in(Some("GiftCard"), "number"), None);
        // Health: personal identifiers held with health data are PHI.
        assert_eq!(classify_field_in(Some("Patient"), "name"), Some(Phi));
        assert_eq!(classify_field_in(Some("Patient"), "email"), Some(Phi));
        assert_eq!(classify_field_in(Some("MedicalRecord"), "ssn"), Some(Phi));
        assert_eq!(classify_field_in(Some("Patient"), "password"), Some(Secrets));
        assert_eq!(classify_field_in(Some("Patient"), "createdAt"), None);
        assert_eq!(classify_field_in(None, "email"), Some(Pii));
    }

    #[test]
    fn every_class_is_explained_and_every_term_documented() {
        for class in DataClass::ALL {
            assert!(!explain(class).is_empty());
        }
        let doc: String = include_str!("lexicon.rs")
            .lines()
            .filter(|l| l.starts_with("//!"))
            .collect();
        for term in TERMS {
            assert!(
                doc.contains(&format!("`{}`", term.phrase)),
                "{} is not in the lexicon table",
                term.phrase
            );
            // Each term classifies itself, written in snake case.
            assert_eq!(
                classify_field(&term.phrase.replace(' ', "_")),
                Some(term.class),
                "{}",
                term.phrase
            );
        }
    }
}
