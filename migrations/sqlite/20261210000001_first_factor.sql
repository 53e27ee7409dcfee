-- How each sign-in began (`rules::accounts::first_factor`), so that apps signed in through
-- Portico learn it in `amr`. Sign-ins from before this column say nothing ('').
ALTER TABLE sign_ins ADD COLUMN first_factor TEXT NOT NULL DEFAULT '';
