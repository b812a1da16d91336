-- The ticket each roadmap action has on a tracker, so a sync knows what it created, updated or closed.
CREATE TABLE tickets (
    tracker TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    url TEXT NOT NULL,
    -- 1 while vigil keeps it open; 0 after vigil closed it because its findings were fixed.
    open INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    updated_on TEXT NOT NULL,
    PRIMARY KEY (tracker, scope, key)
);
