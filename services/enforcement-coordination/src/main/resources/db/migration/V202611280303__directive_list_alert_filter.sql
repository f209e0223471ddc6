-- ListDirectives pages in issue order by seq, like alerts and cases (directives issued before this
-- migration are numbered in table order). A province's directives are found by the issuer's
-- jurisdiction or by a target's.
alter table directive add column seq bigint generated always as identity unique;
create index directive_issuer on directive (issuer_jurisdiction, seq);
create index directive_target_jurisdiction on directive_target (jurisdiction, directive_id);

-- ListAlerts of one jurisdiction (a province's own list, or a national user's province filter),
-- in seq order (a state filter reads along it).
create index alert_jurisdiction_seq on alert (jurisdiction, seq);
