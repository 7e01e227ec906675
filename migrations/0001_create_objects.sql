-- Current state: one row per live object, whatever its kind. rv is the revision of its last write.
CREATE TABLE objects (
  resource  TEXT    NOT NULL,
  namespace TEXT    NOT NULL, -- '' for cluster-scoped kinds
  name      TEXT    NOT NULL,
  uid       TEXT    NOT NULL,
  rv        INTEGER NOT NULL,
  body      TEXT    NOT NULL, -- the object as served, resourceVersion included
  PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;
