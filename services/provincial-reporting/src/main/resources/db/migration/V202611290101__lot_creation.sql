-- The event that created a lot, and the province it was created in, on the lot's own row: the
-- trace lists a lot's events from lot_event plus created_record, and a province may read the
-- trace of a lot it created or that passed through it (created_province plus lot_province). A new
-- lot then costs one row instead of three (lot, lot_event, lot_province); at a busy mine every
-- event creates a lot. Lots created before this migration keep their creation in lot_event and
-- lot_province, and have nulls here.
alter table lot add column created_record bigint, add column created_province char(6);
