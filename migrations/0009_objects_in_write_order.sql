-- An object's row is found by its key through the table's unique index, and kept in the table in
-- the order objects were created: an update (a new revision, most writes) changes the row in place,
-- and the writes of one transaction, mostly to objects made about the same time, share the table's
-- pages, where the key-ordered table scattered them (a page to write per object changed).
CREATE TABLE objects_in_write_order (
  resource  TEXT    NOT NULL,
  namespace TEXT    NOT NULL, -- '' for cluster-scoped kinds
  name      TEXT    NOT NULL,
  uid       TEXT    NOT NULL,
  rv        INTEGER NOT NULL, -- the object_events row holding the current body
  PRIMARY KEY (resource, namespace, name)
);
INSERT INTO objects_in_write_order (resource, namespace, name, uid, rv)
  SELECT resource, namespace, name, uid, rv FROM objects ORDER BY rv;
DROP TABLE objects;
ALTER TABLE objects_in_write_order RENAME TO objects;
