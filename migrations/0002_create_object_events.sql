-- The append-only revision log: its id is the global resourceVersion (as in kine).
CREATE TABLE object_events (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  resource  TEXT    NOT NULL,
  namespace TEXT    NOT NULL,
  name      TEXT    NOT NULL,
  type      TEXT    NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
  prev_id   INTEGER,          -- the previous event of the same object, if any
  body      TEXT    NOT NULL  -- the object at this revision (for DELETED: its last state)
);
CREATE INDEX object_events_by_key ON object_events (resource, namespace, name, id);
CREATE INDEX object_events_by_resource ON object_events (resource, id);

CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_meta (key, value) VALUES ('compacted_revision', 0);
