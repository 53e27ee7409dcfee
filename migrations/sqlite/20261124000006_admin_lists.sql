-- Admins list invitations and requests across all resources, newest (highest id) first, with
-- one filter at a time; the dashboard counts requests and redemptions per day.
CREATE INDEX invitations_by_state ON invitations (state, id);
CREATE INDEX invitations_by_resource ON invitations (resource_id, id);
CREATE INDEX invitations_by_email ON invitations (email, id);
CREATE INDEX invitations_redeemed ON invitations (redeemed_at) WHERE redeemed_at IS NOT NULL;
CREATE INDEX access_requests_by_state ON access_requests (state, id);
CREATE INDEX access_requests_by_resource ON access_requests (resource_id, id);
CREATE INDEX access_requests_by_time ON access_requests (created_at);

-- An admin may decide a stage in place of approvers who are away. The decision then names
-- them here (their display names, comma-separated); empty when approvers decided themselves.
ALTER TABLE decisions ADD COLUMN in_place_of TEXT NOT NULL DEFAULT '';
