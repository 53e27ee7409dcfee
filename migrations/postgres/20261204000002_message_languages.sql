-- The language of the emails about a request: the page's language when the partner asked
-- ('' for the portal's default).
ALTER TABLE access_requests ADD COLUMN language TEXT NOT NULL DEFAULT '';
-- The language of an invitation's emails: its request's, or the inviter's choice ('' for the
-- portal's default).
ALTER TABLE invitations ADD COLUMN language TEXT NOT NULL DEFAULT '';
-- The language of a bulk batch's invitations, chosen with the list ('' for the portal's default).
ALTER TABLE bulk_batches ADD COLUMN language TEXT NOT NULL DEFAULT '';
