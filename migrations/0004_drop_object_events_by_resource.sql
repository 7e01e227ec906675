-- Watch replay reads the log by id range (the primary key) and filters by resource: the bounded
-- window keeps that cheap, and one index fewer makes every write cheaper.
DROP INDEX object_events_by_resource;
