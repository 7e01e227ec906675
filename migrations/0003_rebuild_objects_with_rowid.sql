-- Object bodies are around a kilobyte: in a WITHOUT ROWID table each row spills to an overflow
-- page and inserts slow down as the table grows. A rowid table keyed by a unique index keeps
-- bodies in its leaves and the key lookups in a compact index.
CREATE TABLE objects_rowid (
  resource  TEXT    NOT NULL,
  namespace TEXT    NOT NULL,
  name      TEXT    NOT NULL,
  uid       TEXT    NOT NULL,
  rv        INTEGER NOT NULL,
  body      TEXT    NOT NULL,
  PRIMARY KEY (resource, namespace, name)
);
INSERT INTO objects_rowid (resource, namespace, name, uid, rv, body)
  SELECT resource, namespace, name, uid, rv, body FROM objects;
DROP TABLE objects;
ALTER TABLE objects_rowid RENAME TO objects;
