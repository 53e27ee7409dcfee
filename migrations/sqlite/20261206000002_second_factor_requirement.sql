-- An admin may require a second factor of one person, whatever the portal asks of their role.
-- (The portal's own requirement by role is a setting: `second_factor_policy`.)
ALTER TABLE accounts ADD COLUMN second_factor_required INTEGER NOT NULL DEFAULT 0;
