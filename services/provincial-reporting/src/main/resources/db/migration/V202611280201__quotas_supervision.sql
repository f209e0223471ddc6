-- Quotas (national industry), monthly supervision reports, compliance reviews, overdue shipments.

create table quota_allocation (
    enterprise_credit_code char(18) not null,
    year                   integer not null,
    kind                   text not null,        -- MINING or SMELTING_SEPARATION
    unit                   text not null,
    allocated              numeric(24, 6) not null check (allocated > 0),
    last_signalled_percent integer not null default -1,
    set_by                 text not null,
    set_at                 timestamptz not null,
    primary key (enterprise_credit_code, year, kind)
);

create table supervision_report (
    province_code char(6) not null,
    period        char(7) not null,             -- YYYY-MM
    summary       text not null,
    submitted_by  text not null,
    submitted_at  timestamptz not null,
    primary key (province_code, period)
);

create sequence compliance_review_number;
create table compliance_review (
    id                     text primary key,
    enterprise_credit_code char(18) not null,
    province_code          char(6) not null,
    inspector              text not null,
    review_date            date not null,
    findings               text not null,
    risk_rating            integer not null check (risk_rating between 1 and 5),
    recorded_at            timestamptz not null
);
create index compliance_review_enterprise on compliance_review (enterprise_credit_code, id);

-- When the last "still in transit past its expected arrival" signal went out for a shipment.
alter table shipment add column overdue_signalled_at timestamptz;
