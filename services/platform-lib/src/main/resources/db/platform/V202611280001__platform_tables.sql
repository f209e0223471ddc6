-- Tables every service has (platform-lib). Versions are timestamps, so platform and service
-- migrations never collide and new ones always sort after what a database already has.

-- Tamper-evident audit log: append-only, each entry hash-chained to the previous one.
create table audit_entry (
    sequence      bigint primary key,
    actor         text        not null,
    actor_kind    text        not null,
    on_behalf_of  text,
    jurisdiction  text        not null,
    action        text        not null,
    subject       text        not null,
    occurred_at   timestamptz not null,
    before_digest text,
    after_digest  text,
    request_id    text,
    previous_hash text        not null,
    entry_hash    text        not null,
    algorithm     text        not null
);
create index audit_entry_jurisdiction on audit_entry (jurisdiction, sequence);
create index audit_entry_subject on audit_entry (subject, sequence);

-- Rows are never changed or removed through the application; a tamperer who bypasses this
-- (a superuser can) is still caught by the hash chain.
create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only';
end;
$$;
create trigger audit_entry_append_only before update or delete on audit_entry
    for each row execute function audit_entry_append_only();

-- The chain's head; its row lock serialises appends.
create table audit_chain_head (
    id         smallint primary key check (id = 1),
    sequence   bigint not null,
    entry_hash text   not null
);
insert into audit_chain_head (id, sequence, entry_hash) values (1, 0, '');

-- Heads of other services' chains, recorded when they report them.
create table peer_chain_head (
    service     text        not null,
    sequence    bigint      not null,
    entry_hash  text        not null,
    observed_at timestamptz not null,
    recorded_at timestamptz not null default now(),
    primary key (service, sequence)
);

-- Transactional outbox: messages committed with the state change that causes them.
create table outbox_message (
    id              uuid primary key,
    destination     text        not null,
    method          text        not null,
    payload         bytea       not null,
    created_at      timestamptz not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    delivered_at    timestamptz,
    last_error      text
);
create index outbox_message_pending on outbox_message (next_attempt_at) where delivered_at is null;

-- Request-id idempotency: the first answer to (caller, operation, request id), replayed on repeats.
create table idempotent_request (
    caller         text        not null,
    operation      text        not null,
    request_id     text        not null,
    request_digest text        not null,
    response       bytea       not null,
    created_at     timestamptz not null default now(),
    primary key (caller, operation, request_id)
);
