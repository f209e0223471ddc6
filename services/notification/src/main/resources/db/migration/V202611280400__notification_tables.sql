-- Notification service: what was asked (notification), whom it reached (inbox_item), what is
-- still to be sent (delivery), what provincial systems stream (stream_event), and where
-- webhooks go (webhook). A notification and its first deliveries commit before Notify returns.

create table notification (
    id                uuid primary key,
    sender            text        not null,
    request_id        text        not null,
    category          text        not null,
    title             text        not null,
    body              text        not null,
    link              text        not null default '',
    priority          text        not null,
    jurisdiction      text        not null,
    -- comma-separated Channel names, e.g. CHANNEL_INBOX,CHANNEL_EMAIL
    channels          text        not null,
    -- the accepted NotifyRequest (recipients, acknowledgement policy), serialized
    request           bytea       not null,
    deduplication_key text,
    ack_deadline      timestamptz,
    escalated_at      timestamptz,
    escalation_of     uuid references notification (id),
    created_at        timestamptz not null
);
-- The same key from the same sender is delivered once.
create unique index notification_deduplication on notification (sender, deduplication_key)
    where deduplication_key is not null;
create index notification_escalation_due on notification (ack_deadline)
    where ack_deadline is not null and escalated_at is null;

-- The inbox: one row per notification and recipient (a user name of the realm).
create table inbox_item (
    notification_id uuid        not null references notification (id),
    username        text        not null,
    email           text,
    delivered_at    timestamptz not null,
    read_at         timestamptz,
    acknowledged_at timestamptz,
    primary key (notification_id, username)
);
create index inbox_item_user on inbox_item (username, delivered_at desc, notification_id);

-- Work per channel and recipient: RESOLVE (find the recipients in the realm, fill inboxes,
-- queue e-mails), EMAIL (one address), WEBHOOK (one registered webhook). Claimed by the worker
-- with FOR UPDATE SKIP LOCKED; retried with exponential backoff; DEAD after the attempt limit.
create table delivery (
    id              bigserial primary key,
    notification_id uuid        not null references notification (id),
    kind            text        not null check (kind in ('RESOLVE', 'EMAIL', 'WEBHOOK')),
    recipient       text        not null default '',
    address         text        not null default '',
    state           text        not null default 'PENDING' check (state in ('PENDING', 'DELIVERED', 'DEAD')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    dead_at         timestamptz,
    last_error      text,
    unique (notification_id, kind, recipient)
);
create index delivery_due on delivery (next_attempt_at) where state = 'PENDING';
create index delivery_dead on delivery (id) where state = 'DEAD';

-- What provincial systems receive on their subscription, in commit order per jurisdiction
-- (inserts take a transaction-level advisory lock, so sequence order is commit order).
create table stream_event (
    sequence        bigserial primary key,
    notification_id uuid        not null references notification (id),
    jurisdiction    text        not null,
    created_at      timestamptz not null
);
create index stream_event_jurisdiction on stream_event (jurisdiction, sequence);

-- Webhooks per jurisdiction; the secret signs every call (HMAC-SHA256).
create table webhook (
    id           uuid primary key,
    jurisdiction text        not null,
    url          text        not null,
    description  text        not null default '',
    secret       text        not null,
    created_by   text        not null,
    created_at   timestamptz not null,
    deleted_at   timestamptz,
    deleted_by   text
);
create index webhook_jurisdiction on webhook (jurisdiction) where deleted_at is null;
