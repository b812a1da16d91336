-- Each state change keeps the finding's band and due date at that moment, so every fix of a finding that
-- was fixed, reopened and fixed again counts in MTTR and SLA compliance, not only its last cycle.
ALTER TABLE finding_events ADD COLUMN band TEXT;
ALTER TABLE finding_events ADD COLUMN due TEXT;
-- Metrics read the fixes of a window.
CREATE INDEX finding_events_by_change ON finding_events (to_state, on_date);
