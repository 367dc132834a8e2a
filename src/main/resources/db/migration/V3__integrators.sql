-- Integrator API, privacy and statistics (SPEC §4.4, §4.5, §6).

-- Who read or removed what: kept a year, itself purged by the retention job.
create table audit (
    id              bigserial primary key,
    at              timestamptz not null default now(),
    actor           text not null,
    role            text not null,
    action          text not null,
    conversation_id uuid,
    detail          jsonb
);
create index audit_at on audit (at);
create index audit_conversation on audit (conversation_id);

-- When personal data was purged (retention or a request to be forgotten).
alter table conversation add column purged_at timestamptz;
alter table callback_request add column purged_at timestamptz;

create index conversation_closed on conversation (closed_at) where closed_at is not null and purged_at is null;
create index conversation_created on conversation (created_at);

-- Canned replies agents insert with a shortcut (managed by admins).
create table canned_reply (
    id         uuid primary key,
    title      text not null,
    text       text not null,
    topics     text[] not null default '{}',
    locale     text not null default 'nl',
    updated_at timestamptz not null default now()
);

-- Retention purges message texts; the rows (counts, timings) stay.
alter table message alter column text drop not null;
