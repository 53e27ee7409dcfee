-- The audit log is read newest first (by id) with one filter at a time; each filter gets an
-- index that serves that order, so any page of it is a short index range scan.
CREATE INDEX audit_events_by_actor ON audit_events (actor, id);
CREATE INDEX audit_events_by_action ON audit_events (action, id);
CREATE INDEX audit_events_by_target ON audit_events (target, id);
CREATE INDEX audit_events_by_target_id ON audit_events (target_id, id);
CREATE INDEX audit_events_by_resource_id ON audit_events (resource_id, id) WHERE resource_id IS NOT NULL;
