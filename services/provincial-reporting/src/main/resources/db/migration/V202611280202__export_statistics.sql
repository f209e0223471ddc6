-- Export figures per month (China Standard Time), control list item and province, for
-- ExportStatisticsService.GetExportSummary. Ingest writes one export_fact row for every applied
-- export declaration and every applied export, in the same transaction as the event, so the
-- summary is one indexed aggregate over a narrow table instead of a scan of chain_event payloads.

-- The item a declaration names (exports count under their declaration's item).
alter table export_declaration add column item_code text;

create table export_fact (
    record_id     bigint primary key,       -- the chain event ("EV-<n>")
    kind          text not null,            -- DECLARED or EXPORTED
    period        char(7) not null,         -- YYYY-MM of occurred_at in China Standard Time
    item_code     text not null,
    province_code char(6) not null,         -- the reporting facility's province
    unit          text not null,            -- QuantityUnit name: QUANTITY_UNIT_KILOGRAM, _KILOGRAM_REO or _PIECE (tonnes stored as kg)
    quantity      numeric(24, 6) not null   -- as reported, in unit
);
-- The summary reads a month range, optionally one province: an index-only scan.
create index export_fact_summary on export_fact (period, province_code, item_code, unit) include (kind, quantity);

-- Backfill from the events stored before this migration. The item code and the exported quantity
-- are only in the stored protobuf payloads (exportcontrol.reporting.v1.ChainEvent), so two
-- session-local helpers read length-delimited fields from them:
-- ChainEvent.export_declared = 15 (ExportDeclared.item = 5, ItemRef.item_code = 1),
-- ChainEvent.exported = 16 (Exported.declaration_id = 1, Exported.quantity = 3, Quantity.value = 1).
create function pg_temp.protobuf_varint(msg bytea, pos integer, out value bigint, out next integer)
language plpgsql immutable as $$
declare
    b integer;
    shift integer := 0;
begin
    value := 0;
    loop
        b := get_byte(msg, pos);
        value := value | ((b & 127)::bigint << shift);
        pos := pos + 1;
        exit when b < 128;
        shift := shift + 7;
    end loop;
    next := pos;
end $$;

-- The first length-delimited field numbered `field` of a message, or null.
create function pg_temp.protobuf_field(msg bytea, field integer) returns bytea
language plpgsql immutable as $$
declare
    pos integer := 0;
    tag bigint;
    len bigint;
    r record;
begin
    if msg is null then
        return null;
    end if;
    while pos < length(msg) loop
        select * into r from pg_temp.protobuf_varint(msg, pos);
        tag := r.value;
        pos := r.next;
        case (tag & 7)::integer
            when 0 then
                select * into r from pg_temp.protobuf_varint(msg, pos);
                pos := r.next;
            when 1 then
                pos := pos + 8;
            when 5 then
                pos := pos + 4;
            when 2 then
                select * into r from pg_temp.protobuf_varint(msg, pos);
                len := r.value;
                pos := r.next;
                if (tag >> 3) = field then
                    return substring(msg from pos + 1 for len::integer);
                end if;
                pos := pos + len::integer;
            else
                return null;
        end case;
    end loop;
    return null;
end $$;

update export_declaration d
   set item_code = convert_from(pg_temp.protobuf_field(pg_temp.protobuf_field(pg_temp.protobuf_field(
           e.payload, 15), 5), 1), 'UTF8')
  from chain_event e
 where e.record_id = d.record_id;
update export_declaration set item_code = '' where item_code is null;
alter table export_declaration alter column item_code set not null;

insert into export_fact (record_id, kind, period, item_code, province_code, unit, quantity)
select e.record_id, 'DECLARED', to_char(e.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM'), d.item_code,
       e.province_code, replace(l.unit, 'TONNE', 'KILOGRAM'),
       case when l.unit like 'QUANTITY_UNIT_TONNE%' then d.quantity * 1000 else d.quantity end
  from export_declaration d
  join chain_event e on e.record_id = d.record_id
  join lot l on l.lot_id = d.lot_id;

insert into export_fact (record_id, kind, period, item_code, province_code, unit, quantity)
select x.record_id, 'EXPORTED', to_char(x.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM'), d.item_code,
       x.province_code, replace(l.unit, 'TONNE', 'KILOGRAM'),
       case when l.unit like 'QUANTITY_UNIT_TONNE%' then x.value * 1000 else x.value end
  from (select record_id, occurred_at, province_code,
               convert_from(pg_temp.protobuf_field(pg_temp.protobuf_field(payload, 16), 1), 'UTF8') as declaration_id,
               convert_from(pg_temp.protobuf_field(pg_temp.protobuf_field(pg_temp.protobuf_field(payload, 16), 3), 1),
                       'UTF8')::numeric as value
          from chain_event
         where kind = 'EXPORTED' and status = 'APPLIED') x
  join export_declaration d on d.declaration_id = x.declaration_id
  join lot l on l.lot_id = d.lot_id;

drop function pg_temp.protobuf_field(bytea, integer);
drop function pg_temp.protobuf_varint(bytea, integer);
