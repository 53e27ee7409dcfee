-- The portal's terms of use in the languages besides the default one, as the admin gave them:
-- a JSON object from language tag to text ('{}': the default text for every reader).
ALTER TABLE terms_versions ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
