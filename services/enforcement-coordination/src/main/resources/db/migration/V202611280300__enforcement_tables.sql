-- Published early-warning rules, signals and alerts of enforcement-coordination.

create table rule_set (
    version      integer primary key,
    published_at timestamptz not null,
    published_by text not null,
    note         text not null default ''
);

create table rule (
    version      integer not null references rule_set (version),
    code         text not null,
    signal_kind  text not null,
    description  text not null,
    threshold    numeric(24, 6),
    tighter      text not null check (tighter in ('LOWER', 'HIGHER')),
    severity     text not null,
    window_hours integer not null check (window_hours > 0),
    parameter    numeric(24, 6),
    primary key (version, code)
);

-- A province's tightened threshold for its own jurisdiction; it holds for every later version
-- as long as it stays tighter than the national threshold.
create table jurisdiction_threshold (
    jurisdiction text not null,
    code         text not null,
    threshold    numeric(24, 6) not null,
    set_by       text not null,
    set_at       timestamptz not null,
    primary key (jurisdiction, code)
);

-- National reference prices per item (UNDERVALUATION).
create table reference_price (
    item_code     text primary key,
    amount        numeric(24, 6) not null,
    currency_code text not null,
    set_by        text not null,
    set_at        timestamptz not null
);

create table signal (
    id           uuid primary key,
    request_id   text not null,
    kind         text not null,
    subject_type text not null,
    subject_id   text not null,
    jurisdiction text not null,
    exporter     text,
    quantity     numeric(24, 6),
    source       text not null,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null,
    payload      bytea not null
);
create index signal_structuring on signal (exporter, kind, occurred_at) where exporter is not null;

create table alert (
    id             uuid primary key,
    seq            bigint generated always as identity unique,
    rule_code      text not null,
    rule_version   integer not null,
    tightened_by   text not null default '',
    severity       text not null,
    jurisdiction   text not null,
    subject_type   text not null,
    subject_id     text not null,
    state          text not null,
    evidence_ids   text not null,
    signal_count   integer not null,
    summary        text not null,
    raised_at      timestamptz not null,
    last_signal_at timestamptz not null,
    window_ends_at timestamptz not null,
    dismiss_reason text not null default '',
    dismissed_by   text not null default ''
);
create index alert_dedup on alert (rule_code, subject_type, subject_id, jurisdiction, window_ends_at);
create index alert_list on alert (jurisdiction, raised_at, id);

insert into rule_set (version, published_at, published_by, note)
values (1, now(), 'migration', 'Initial published rule set');

insert into rule (version, code, signal_kind, description, threshold, tighter, severity, window_hours, parameter) values
(1, 'UNLICENSED_EXPORT', 'SIGNAL_KIND_EXPORT_DECLARED',
    'Export declared whose licence_answer is neither ACCEPTED nor an over-licence answer (LICENCE_BALANCE_EXCEEDED, LICENCE_EXHAUSTED)',
    null, 'LOWER', 'SEVERITY_HIGH', 24, null),
(1, 'EXPORT_OVER_LICENCE', 'SIGNAL_KIND_EXPORT_DECLARED',
    'Export declared whose licence_answer is LICENCE_BALANCE_EXCEEDED or LICENCE_EXHAUSTED',
    null, 'LOWER', 'SEVERITY_HIGH', 24, null),
(1, 'DESTINATION_MISMATCH', 'SIGNAL_KIND_EXPORTED_TO_OTHER_DESTINATION',
    'Goods left for a carrier destination other than the declared destination (transshipment pattern)',
    null, 'LOWER', 'SEVERITY_CRITICAL', 24, null),
(1, 'CUSTODY_GAP', 'SIGNAL_KIND_SHIPMENT_OVERDUE',
    'Shipment in transit with hours_overdue >= threshold hours',
    48, 'LOWER', 'SEVERITY_MEDIUM', 24, null),
(1, 'MASS_BALANCE_DISCREPANCY', 'SIGNAL_KIND_FACILITY_LOSS',
    'Facility loss_percent in a period > threshold percent',
    5, 'LOWER', 'SEVERITY_MEDIUM', 168, null),
(1, 'TRANSIT_DISCREPANCY', 'SIGNAL_KIND_TRANSIT_LOSS',
    'Received quantity differs from shipped by difference_percent > threshold percent',
    1, 'LOWER', 'SEVERITY_MEDIUM', 24, null),
(1, 'QUOTA_OVERRUN', 'SIGNAL_KIND_QUOTA_USE',
    'Enterprise quota use_percent > threshold percent',
    100, 'LOWER', 'SEVERITY_HIGH', 720, null),
(1, 'WATCH_LISTED_CONSIGNEE', 'SIGNAL_KIND_SCREENING_HIT',
    'A party of a live licence matched the watch list',
    null, 'LOWER', 'SEVERITY_CRITICAL', 720, null),
(1, 'UNDERVALUATION', 'SIGNAL_KIND_EXPORT_DECLARED',
    'Declared unit price below the national reference price of the item by more than threshold percent',
    30, 'LOWER', 'SEVERITY_MEDIUM', 24, null),
(1, 'STRUCTURING', 'SIGNAL_KIND_EXPORT_DECLARED',
    'More than threshold export declarations by one exporter within window_hours, each below parameter (quantity)',
    5, 'LOWER', 'SEVERITY_HIGH', 72, 1000);
