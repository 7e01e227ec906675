-- The objects table may lag the revision log: a write appends its log row at once and its objects
-- row later, with many others (the store writes them in one pass before any read of the table
-- needs them, and before compaction). `indexed_revision` says how far the table is written; the
-- log rows after it are read back into the store's index when it opens. Until now the table was
-- written with every change: it is complete up to the newest revision.
INSERT INTO store_meta (key, value)
  SELECT 'indexed_revision', max(coalesce((SELECT max(id) FROM object_events), 0),
                                 coalesce((SELECT value FROM store_meta WHERE key = 'compacted_revision'), 0));
