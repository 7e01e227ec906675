-- History (a paged list continued at its revision, an object at a revision) is read back from the
-- changes after that revision, a range of the log's primary key, and each change's prev_id link
-- to the row it replaced. The index by object key served only those reads, while every write
-- inserted into it at a random place (a page more to write per change, most of a write's log).
DROP INDEX object_events_by_key;
