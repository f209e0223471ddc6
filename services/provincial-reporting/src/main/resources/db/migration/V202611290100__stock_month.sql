-- Each facility's stock ledger added up per month (China Standard Time), movement kind and unit.
-- Mass balances and quota use read these sums instead of adding up stock_movement: a facility's
-- opening stock is everything it ever moved, so summing the ledger grew with the facility's whole
-- history (300,000 movements took 610 ms to add up, and it ran in every ingest batch that
-- processed or extracted at a facility with a balance or quota to watch). Ingest adds each batch's
-- movements to these rows in the same transaction as the movements themselves.
create table stock_month (
    facility_id text not null,
    period      char(7) not null,   -- YYYY-MM of occurred_at in China Standard Time
    kind        text not null,      -- as stock_movement.kind
    unit        text not null,
    delta       numeric not null,   -- the sum of stock_movement.delta
    primary key (facility_id, period, kind, unit)
);

-- The sums of the movements stored before this migration.
insert into stock_month (facility_id, period, kind, unit, delta)
select facility_id, to_char(occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM'), kind, unit, sum(delta)
  from stock_movement
 group by 1, 2, 3, 4;
