-- Joint cases with tasks and notes, escalation marks, and directives down the chain.

alter table alert add column escalated_at timestamptz;

create table enforcement_case (
    id                  uuid primary key,
    seq                 bigint generated always as identity unique,
    alert_id            uuid references alert (id),
    title               text not null,
    lead_jurisdiction   text not null,
    lead_department     text not null,
    participating       text not null,
    state               text not null,
    opened_by           text not null,
    opened_at           timestamptz not null,
    outcome             bytea,
    closing_proposed_by text not null default '',
    closing_approved_by text not null default '',
    closed_at           timestamptz
);
create index enforcement_case_list on enforcement_case (lead_jurisdiction, seq);

create table case_task (
    id           uuid primary key,
    case_id      uuid not null references enforcement_case (id),
    department   text not null,
    description  text not null,
    due_at       timestamptz not null,
    state        text not null,
    result       text not null default '',
    completed_by text not null default '',
    escalated_at timestamptz,
    created_at   timestamptz not null
);
create index case_task_case on case_task (case_id);
create index case_task_overdue on case_task (due_at) where state = 'OPEN' and escalated_at is null;

create table case_note (
    id           uuid primary key,
    case_id      uuid not null references enforcement_case (id),
    author       text not null,
    text         text not null,
    evidence_ids text not null,
    added_at     timestamptz not null
);
create index case_note_case on case_note (case_id);

create table directive (
    id                  uuid primary key,
    issuer_jurisdiction text not null,
    issued_by           text not null,
    title               text not null,
    body                text not null,
    due_at              timestamptz,
    issued_at           timestamptz not null
);

create table directive_target (
    directive_id    uuid not null references directive (id),
    jurisdiction    text not null,
    department      text not null,
    state           text not null,
    acknowledged_by text not null default '',
    acknowledged_at timestamptz,
    completed_by    text not null default '',
    completed_at    timestamptz,
    report          text not null default '',
    primary key (directive_id, jurisdiction, department)
);
