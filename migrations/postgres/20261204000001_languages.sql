-- A person's language for pages and emails ('' until they choose one: the portal's default).
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT '';
