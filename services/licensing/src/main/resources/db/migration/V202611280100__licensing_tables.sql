-- Licensing: control list, enterprises, applications and their review, licences and their use.
-- Quantities are exact decimals (numeric), never floats. Dates of the calendar are in China
-- Standard Time; instants are timestamptz (UTC).

create table control_item (
    code            text primary key,
    name            text not null,
    elements        text not null,           -- comma-separated chemical symbols
    tariff_codes    text not null,           -- comma-separated 10-digit tariff lines
    announcement    text not null,
    effective_from  date not null,
    effective_until date,
    check (effective_until is null or effective_until >= effective_from)
);

create table enterprise (
    credit_code   char(18) primary key,
    name          text not null,
    province_code char(6) not null,
    kinds         text not null,             -- comma-separated EnterpriseKind names
    status        text not null,
    registered_by text not null,
    registered_at timestamptz not null
);
create index enterprise_province on enterprise (province_code, credit_code);

create sequence application_number;

create table application (
    id                  text primary key,
    state               text not null,
    jurisdiction        text not null,       -- the exporter's province
    exporter_credit_code char(18) not null references enterprise,
    content             bytea not null,      -- exportcontrol.licensing.v1.ApplicationContent
    created_by          text not null,
    created_at          timestamptz not null,
    submitted_at        timestamptz,
    provincial_reviewer text,
    due_date            date,
    paused_on           date,               -- the review clock stopped on this day (information requested)
    decided_by          text,
    decision_reasons    text,
    licence_number      text,
    version             bigint not null default 0
);
create index application_jurisdiction on application (jurisdiction, id);
create index application_exporter on application (exporter_credit_code, id);
create index application_due on application (due_date) where state in ('PROVINCIAL_REVIEW', 'NATIONAL_REVIEW');

create table consultation (
    application_id text not null references application,
    department     text not null,
    advice         text not null,            -- UNSPECIFIED until answered
    reasons        text,
    advised_by     text,
    advised_at     timestamptz,
    primary key (application_id, department)
);

create table information_request (
    application_id text not null references application,
    number         integer not null,
    question       text not null,
    asked_by       text not null,
    asked_at       timestamptz not null,
    answer         text,
    answered_at    timestamptz,
    primary key (application_id, number)
);

create table screening_hit (
    application_id      text not null references application,
    party_role          text not null,
    party_name          text not null,
    watch_list_entry_id text not null,
    watch_list_name     text not null,
    score               double precision not null,
    primary key (application_id, party_role, watch_list_entry_id)
);

create sequence licence_number;

create table licence (
    number               text primary key,
    application_id       text not null references application,
    exporter_credit_code char(18) not null references enterprise,
    jurisdiction         text not null,
    consignee            bytea not null,     -- exportcontrol.common.v1.Party
    end_user             bytea not null,
    consignee_name       text not null,
    end_user_name        text not null,
    destination          char(2) not null,
    valid_from           date not null,
    valid_until          date not null,
    status               text not null,      -- ISSUED, SUSPENDED, REVOKED (EXPIRED/EXHAUSTED are derived)
    status_reason        text,
    revocation_requested boolean not null default false,
    flagged              boolean not null default false
);
create index licence_jurisdiction on licence (jurisdiction, number);
create index licence_exporter on licence (exporter_credit_code, number);

create table licence_line (
    licence_number text not null references licence,
    line_number    integer not null,
    item_code      text not null,
    tariff_code    text not null,
    unit           text not null,
    granted        numeric(24, 6) not null check (granted > 0),
    remaining      numeric(24, 6) not null check (remaining >= 0),
    primary key (licence_number, line_number)
);

-- One row per export declaration that used a licence; the declaration id makes it idempotent.
create table licence_usage (
    declaration_id text primary key,
    licence_number text not null references licence,
    line_number    integer not null,
    quantity       numeric(24, 6) not null check (quantity > 0),
    destination    char(2) not null,
    used_at        timestamptz not null,
    cancelled_at   timestamptz
);

create table watch_list_entry (
    id           text primary key,
    name         text not null,
    aliases      text not null default '',  -- '|'-separated
    country_code char(2) not null,
    reason       text not null,
    added_by     text not null,
    added_at     timestamptz not null
);
create sequence watch_list_number;

create table embargoed_destination (
    country_code char(2) primary key,
    reason       text not null
);

create table holiday (
    day  date primary key,
    name text not null
);
