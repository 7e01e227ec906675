-- The log's ids are the revisions kubemock hands out itself; AUTOINCREMENT only added a write to
-- sqlite_sequence on every commit. The revision counter is now the larger of the newest log id
-- and the compacted revision (which compaction and snapshot restores move), so a counter that ran
-- ahead of the remaining rows is kept here first.
UPDATE store_meta SET value = max(value, (SELECT seq FROM sqlite_sequence WHERE name = 'object_events'))
  WHERE key = 'compacted_revision'
    AND (SELECT seq FROM sqlite_sequence WHERE name = 'object_events') > coalesce((SELECT max(id) FROM object_events), 0);
CREATE TABLE object_events_v6 (
  id        INTEGER PRIMARY KEY, -- the revision (resourceVersion) of this change
  resource  TEXT    NOT NULL,
  namespace TEXT    NOT NULL,
  name      TEXT    NOT NULL,
  type      TEXT    NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
  prev_id   INTEGER,          -- the previous event of the same object, if any
  body      TEXT    NOT NULL  -- the object at this revision (for DELETED: its last state)
);
INSERT INTO object_events_v6 (id, resource, namespace, name, type, prev_id, body)
  SELECT id, resource, namespace, name, type, prev_id, body FROM object_events;
DROP TABLE object_events;
ALTER TABLE object_events_v6 RENAME TO object_events;
CREATE INDEX object_events_by_key ON object_events (resource, namespace, name, id);
