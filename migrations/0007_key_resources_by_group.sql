-- Objects are keyed by their resource in its group (`daemonsets.apps`, `pods.example.com`; a core
-- kind keeps its bare plural), so a custom resource whose plural equals a built-in one in another
-- group no longer shares its rows. Every stored body names its group in its apiVersion.
UPDATE object_events
  SET resource = resource || '.' || substr(json_extract(body, '$.apiVersion'), 1, instr(json_extract(body, '$.apiVersion'), '/') - 1)
  WHERE CASE WHEN json_valid(body) THEN instr(coalesce(json_extract(body, '$.apiVersion'), ''), '/') > 0 ELSE 0 END;
UPDATE objects
  SET resource = (SELECT e.resource FROM object_events e WHERE e.id = objects.rv)
  WHERE EXISTS (SELECT 1 FROM object_events e WHERE e.id = objects.rv AND e.resource != objects.resource);
