/**
 * The statements that write the revision log and the objects table: one text for each, run on the
 * serving thread's connection (ObjectStore) or on the writer thread's (LogWriter).
 */
export const LOG_WRITES = {
  append: 'INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  /** `append` with the body given as its UTF-8 bytes (stored as TEXT, as `append` stores a string). */
  appendBytes: 'INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TEXT))',
  // The index catching up with the log (indexAll): the compare-and-swap was the store's, in memory.
  index: `INSERT INTO objects (resource, namespace, name, uid, rv) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (resource, namespace, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv`,
  unindex: 'DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?',
  setIndexed: "UPDATE store_meta SET value = ? WHERE key = 'indexed_revision'",
  // An event at or below the compaction point is history once a later event of the same object
  // is also at or below it; a DELETED event there has nothing left to describe.
  // Both read only the log rows after the point the last compaction swept (a range of the log's
  // own key), not the whole log up to the boundary each time.
  compactSuperseded: `DELETE FROM object_events WHERE id IN (
    SELECT prev_id FROM object_events WHERE id > ? AND id <= ? AND prev_id IS NOT NULL)`,
  compactDeleted: "DELETE FROM object_events WHERE id > ? AND id <= ? AND type = 'DELETED'",
  setCompacted: "UPDATE store_meta SET value = ? WHERE key = 'compacted_revision'",
} as const;
