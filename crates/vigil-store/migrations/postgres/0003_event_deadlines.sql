-- A fix event keeps the finding's band, how many days its cycle lasted (from the first sighting or the
-- reopening) and whether it met that cycle's due date, so every fix of a finding that was fixed, reopened
-- and fixed again counts in MTTR and SLA compliance, and the metrics add them up in SQL.
ALTER TABLE finding_events ADD COLUMN band TEXT;
ALTER TABLE finding_events ADD COLUMN cycle_days BIGINT;
ALTER TABLE finding_events ADD COLUMN within_sla BIGINT;
-- Metrics read the fixes of a window.
CREATE INDEX finding_events_by_change ON finding_events (to_state, on_date);
