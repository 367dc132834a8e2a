-- Webhook delivery. Outbox ids are taken when an event is written, but transactions commit in
-- any order, so a cursor over the id could pass an event that commits a moment late. A single
-- sequencer (one node at a time) therefore numbers the events it sees committed, in id order;
-- an event committed later gets a higher number, and a cursor over that number misses nothing.
-- Events of one conversation or callback are written under that row's lock, so their id order
-- is their commit order and survives the numbering.
alter table outbox add column seq bigint;
create unique index outbox_seq on outbox (seq);
create index outbox_unsequenced on outbox (id) where seq is null;

-- One row per receiver URL: a cursor over outbox.seq; the event after it blocks the later ones
-- until it is delivered.
create table webhook_endpoint (
    url             text primary key,
    delivered_seq   bigint not null,
    -- events up to this outbox id were written before the URL was configured and are not sent to it
    from_id         bigint not null,
    last_event_id   bigint,
    last_success_at timestamptz,
    failures        integer not null default 0,
    total_failures  bigint not null default 0,
    last_error      text,
    last_error_at   timestamptz,
    next_attempt_at timestamptz not null default now(),
    created_at      timestamptz not null default now()
);
