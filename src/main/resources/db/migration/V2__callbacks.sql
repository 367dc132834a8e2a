-- Callback hand-off (SPEC §3, §4.3) and the outbox of domain events (SPEC §5).

create table callback_request (
    id               uuid primary key,
    topic            text not null references topic (id),
    conversation_id  uuid references conversation (id),
    name             text,
    phone            text not null,          -- E.164
    preferred_window text not null default 'asap' check (preferred_window in ('asap', 'morning', 'afternoon')),
    note             text,
    state            text not null check (state in ('open', 'claimed', 'done', 'failed', 'cancelled')),
    -- the original queuedAt of the conversation, or the creation time: the order of the list
    priority_at      timestamptz not null,
    created_at       timestamptz not null default now(),
    next_attempt_at  timestamptz,
    claimed_by       uuid references app_user (id),
    claimed_at       timestamptz,
    ended_at         timestamptz,
    cancel_reason    text,
    updated_at       timestamptz not null default now()
);

-- one open request per number and topic: a second one returns the first
create unique index callback_one_open_per_phone on callback_request (topic, phone)
    where state in ('open', 'claimed');
create index callback_open on callback_request (topic, priority_at, created_at) where state = 'open';

create table callback_attempt (
    id          bigserial primary key,
    callback_id uuid not null references callback_request (id),
    at          timestamptz not null default now(),
    result      text not null check (result in ('reached', 'no_answer', 'wrong_number')),
    note        text,
    by_user     uuid references app_user (id)
);
create index callback_attempt_request on callback_attempt (callback_id, at);

-- The callback a conversation was handed off to, so every node can tell its resident.
alter table conversation add column callback_id uuid references callback_request (id);

-- Capacity flagged short by a supervisor or the telephony system, with an optional expiry.
create table capacity_flag (
    topic      text primary key references topic (id),
    short      boolean not null,
    until      timestamptz,
    reason     text,
    set_by     text,
    updated_at timestamptz not null default now()
);

-- Domain events, written in the transaction of the change and drained by the service.
create table outbox (
    id         bigserial primary key,
    type       text not null,
    payload    jsonb not null,
    created_at timestamptz not null default now(),
    sent_at    timestamptz
);
create index outbox_unsent on outbox (id) where sent_at is null;
