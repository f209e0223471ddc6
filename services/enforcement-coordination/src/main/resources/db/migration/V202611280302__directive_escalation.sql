-- Directive targets that did not complete by the directive's due date escalate once, like tasks.
alter table directive_target add column escalated_at timestamptz;
create index directive_target_open on directive_target (directive_id) where completed_at is null;
