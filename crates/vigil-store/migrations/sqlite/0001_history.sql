-- Assessments are immutable records; findings are keyed by fingerprint per scope and carry their lifecycle.
-- Nothing is ever deleted. Dates are ISO text (YYYY-MM-DD), which sorts and compares as dates.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    target_path TEXT NOT NULL,
    commit_sha TEXT,
    stage TEXT,
    as_of TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    cadence_days INTEGER NOT NULL,
    -- 1 when every kind of finding was checked, so a finding missing from it is fixed.
    dependencies_checked INTEGER NOT NULL,
    open_critical INTEGER NOT NULL,
    open_high INTEGER NOT NULL,
    open_medium INTEGER NOT NULL,
    open_low INTEGER NOT NULL,
    findings_total INTEGER NOT NULL,
    rpn_open INTEGER NOT NULL,
    document BLOB NOT NULL
);
CREATE INDEX assessments_by_scope ON assessments (scope, id);

CREATE TABLE findings (
    scope TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    display_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    rule TEXT,
    band TEXT NOT NULL,
    state TEXT NOT NULL,
    first_seen_assessment INTEGER NOT NULL REFERENCES assessments (id),
    first_seen_on TEXT NOT NULL,
    first_seen_stage TEXT,
    last_seen_assessment INTEGER NOT NULL REFERENCES assessments (id),
    sla_start TEXT NOT NULL,
    due TEXT NOT NULL,
    fixed_on TEXT,
    accepted_until TEXT,
    PRIMARY KEY (scope, fingerprint)
);
CREATE INDEX findings_by_state ON findings (scope, state);

CREATE TABLE finding_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    on_date TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL
);
CREATE INDEX finding_events_by_finding ON finding_events (scope, fingerprint, id);

CREATE TABLE assessment_findings (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    fingerprint TEXT NOT NULL,
    band TEXT NOT NULL,
    rpn INTEGER NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (assessment_id, fingerprint)
);

CREATE TABLE triggers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    assessment_id INTEGER REFERENCES assessments (id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_on TEXT NOT NULL
);
