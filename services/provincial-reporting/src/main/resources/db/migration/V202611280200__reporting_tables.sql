-- Provincial reporting: facilities, lots and chain-of-custody events.
-- Quantities are exact decimals; instants are timestamptz (UTC); periods are computed in China
-- Standard Time. Scale-out (docs/scaling.md): chain_event partitions by month and province; the
-- de-duplication keys live in their own table so (client, event id) stays unique across partitions.

create table facility (
    id                     text primary key,
    kind                   text not null,
    name                   text not null,
    enterprise_credit_code char(18) not null,
    province_code          char(6) not null,
    address                text not null default '',
    latitude               text not null default '',
    longitude              text not null default '',
    registered_by          text not null,
    registered_at          timestamptz not null
);
create index facility_province on facility (province_code, id);

create sequence chain_event_record;

-- Every stored event, applied or parked. record_id is the platform's id (evidence cites "EV-<n>").
create table chain_event (
    record_id      bigint primary key,
    client_id      text not null,
    event_id       text not null,
    kind           text not null,
    facility_id    text not null,
    province_code  char(6) not null,
    occurred_at    timestamptz not null,
    received_at    timestamptz not null,
    payload        bytea not null,              -- exportcontrol.reporting.v1.ChainEvent
    status         text not null,               -- APPLIED or PARKED
    waiting_for    text,                        -- for PARKED: "lot:<id>" or "shipment:<id>"
    licence_answer text
);
create index chain_event_parked on chain_event (waiting_for) where status = 'PARKED';

-- De-duplication on (sending client, event id): a resend stores nothing twice, and one
-- province's ids never shadow another's.
create table event_key (
    client_id text not null,
    event_id  text not null,
    record_id bigint not null,
    primary key (client_id, event_id)
);

create table lot (
    lot_id         text primary key,
    material       text not null,
    item_code      text not null default '',
    unit           text not null,
    created_qty    numeric(24, 6) not null,
    remaining      numeric(24, 6) not null,
    status         text not null,               -- HELD, IN_TRANSIT, USED_UP, EXPORTED
    facility_id    text not null,
    province_code  char(6) not null,
    last_event_at  timestamptz not null
);

-- Which events touched which lots (for traces), and which lots came from which.
create table lot_event (
    lot_id    text not null,
    record_id bigint not null,
    primary key (lot_id, record_id)
);
create table lot_link (
    parent_lot text not null,
    child_lot  text not null,
    record_id  bigint not null,
    primary key (parent_lot, child_lot)
);
create index lot_link_child on lot_link (child_lot);
-- Every province a lot passed through may read its trace.
create table lot_province (
    lot_id        text not null,
    province_code char(6) not null,
    primary key (lot_id, province_code)
);

create table shipment (
    shipment_id      text primary key,
    lot_id           text not null,
    quantity         numeric(24, 6) not null,
    unit             text not null,
    from_facility    text not null,
    to_facility      text not null,
    expected_arrival timestamptz,
    shipped_record   bigint not null,
    received_record  bigint,
    received_qty     numeric(24, 6),
    status           text not null              -- IN_TRANSIT or RECEIVED
);
create index shipment_in_transit on shipment (expected_arrival) where status = 'IN_TRANSIT';

-- Stock movements per facility: the ledger behind mass balances.
-- kind: EXTRACTED, RECEIVED (inputs); SHIPPED, CONSUMED, EXPORTED (outputs);
--       PROCESS_IN, PROCESS_OUT (transformation); COUNT_ADJUSTMENT (inventory count).
create table stock_movement (
    facility_id text not null,
    lot_id      text not null,
    record_id   bigint not null,
    kind        text not null,
    delta       numeric(24, 6) not null,
    unit        text not null,
    occurred_at timestamptz not null
);
create index stock_movement_facility on stock_movement (facility_id, occurred_at);

create table export_declaration (
    declaration_id   text primary key,
    lot_id           text not null,
    licence_number   text not null,
    exporter         char(18) not null,
    destination      char(2) not null,
    quantity         numeric(24, 6) not null,
    licence_answer   text not null,
    record_id        bigint not null
);
