-- Loket core schema. All state that matters lives here, so any number of nodes can share it.

create table topic (
    id                          text primary key,
    name_nl                     text not null,
    name_en                     text not null,
    sort_order                  int  not null default 0,
    -- weekly schedule, Europe/Amsterdam: {"mon":[["08:30","17:00"]], ...}; missing day = closed
    opening_hours               jsonb not null,
    closed_dates                date[] not null default '{}',
    callback_threshold_seconds  int  not null default 600,
    digital_alternatives        jsonb not null default '[]',
    notice                      text,
    updated_at                  timestamptz not null default now()
);

create table app_user (
    id              uuid primary key,
    username        text not null unique,
    display_name    text not null,
    password_hash   text,
    roles           text[] not null,
    topics          text[] not null default '{}',
    max_concurrent  int not null default 3,
    active          boolean not null default true,
    -- the agent's own choice; "offline" is derived from presence, never stored here
    chosen_status   text not null default 'available' check (chosen_status in ('available', 'away')),
    -- when the agent's last connection went away; null while connected or never connected
    gone_at         timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table conversation (
    id               uuid primary key,
    topic            text not null references topic (id),
    resident_name    text,
    locale           text not null default 'nl',
    state            text not null check (state in ('queued', 'active', 'closed', 'callback', 'abandoned')),
    created_at       timestamptz not null default now(),
    -- kept on every move back to a queue so the resident keeps their place
    queued_at        timestamptz not null,
    assigned_at      timestamptz,
    first_assigned_at timestamptz,
    assigned_agent   uuid references app_user (id),
    closed_at        timestamptz,
    close_reason     text,
    outcome          text,
    summary          text,
    rating           int,
    rating_comment   text,
    confidential     boolean not null default false,
    last_seq         int not null default 0,
    last_activity_at timestamptz not null default now(),
    -- when the resident's last connection went away (creation counts as "not yet connected")
    resident_gone_at timestamptz,
    updated_at       timestamptz not null default now()
);

create index conversation_queue on conversation (topic, queued_at, id) where state = 'queued';
create index conversation_agent on conversation (assigned_agent) where state = 'active';
create index conversation_updated on conversation (updated_at, id);

create table message (
    conversation_id uuid not null references conversation (id),
    seq             int not null,
    sender          text not null check (sender in ('resident', 'agent', 'system', 'note')),
    -- who sent it, for idempotency: 'resident', an agent id, or 'system'
    sender_key      text not null,
    text            text not null,
    client_msg_id   text,
    agent_id        uuid,
    agent_name      text,
    sent_at         timestamptz not null default now(),
    primary key (conversation_id, seq)
);

create unique index message_idempotency on message (conversation_id, sender_key, client_msg_id)
    where client_msg_id is not null;

-- One row per time an agent held a conversation; tells a console why it lost one.
create table assignment (
    id              bigserial primary key,
    conversation_id uuid not null references conversation (id),
    agent_id        uuid not null references app_user (id),
    assigned_at     timestamptz not null,
    ended_at        timestamptz,
    end_reason      text
);
create index assignment_agent on assignment (agent_id, conversation_id);

-- Live service nodes; a node whose heartbeat is stale is dead and its connections are gone.
create table node (
    id           uuid primary key,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now()
);

-- Open WebSocket connections, per node.
create table presence (
    connection_id text primary key,
    node_id       uuid not null,
    kind          text not null check (kind in ('resident', 'agent')),
    subject       uuid not null,
    connected_at  timestamptz not null default now()
);
create index presence_subject on presence (subject);
create index presence_node on presence (node_id);

create table login_failure (
    username text not null,
    address  text not null,
    at       timestamptz not null default now()
);
create index login_failure_lookup on login_failure (username, address, at);

-- Seven topics, open 08:30-17:00 on weekdays (Europe/Amsterdam).
insert into topic (id, name_nl, name_en, sort_order, opening_hours, digital_alternatives) values
 ('paspoort-id', 'Paspoort en ID-kaart', 'Passport and ID card', 1, '{}', '[{"title":"Maak online een afspraak voor uw paspoort of ID-kaart","url":"https://www.gemeente.example/afspraak"}]'),
 ('rijbewijs', 'Rijbewijs', 'Driving licence', 2, '{}', '[{"title":"Vraag uw rijbewijs online aan","url":"https://www.gemeente.example/rijbewijs"}]'),
 ('verhuizen', 'Verhuizen', 'Moving house', 3, '{}', '[{"title":"Verhuizing doorgeven kan online","url":"https://www.gemeente.example/verhuizen"}]'),
 ('geboorte-overlijden', 'Geboorte en overlijden', 'Birth and death', 4, '{}', '[]'),
 ('afval', 'Afval', 'Waste collection', 5, '{}', '[{"title":"Grofvuil ophalen aanvragen","url":"https://www.gemeente.example/grofvuil"}]'),
 ('belastingen', 'Belastingen', 'Municipal taxes', 6, '{}', '[{"title":"Bekijk uw aanslag in Mijn Gemeente","url":"https://www.gemeente.example/belastingen"}]'),
 ('overig', 'Overige vragen', 'Other questions', 7, '{}', '[]');

update topic set opening_hours =
 '{"mon":[["08:30","17:00"]],"tue":[["08:30","17:00"]],"wed":[["08:30","17:00"]],"thu":[["08:30","17:00"]],"fri":[["08:30","17:00"]]}';
