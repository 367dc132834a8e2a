-- Departments and their reachability notices (docs/departments.md). Owner: the department package
-- (Hibernate Reactive with Panache). app_user.department is written by the user package.

create table department (
    id              text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name            text not null check (length(btrim(name)) between 1 and 100),
    -- the usual routes: [{"kind":"phone|email|web|desk|other","label":"…","value":"…"}]
    contact_routes  jsonb not null default '[]' check (jsonb_typeof(contact_routes) = 'array'),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    updated_by      text
);

-- which topics a department stands behind: its notices reach the agents and residents of these topics
create table department_topic (
    department_id   text not null references department (id),
    topic_id        text not null references topic (id),
    primary key (department_id, topic_id)
);
create index department_topic_topic on department_topic (topic_id);

-- A notice is history: it is set once and may later be ended once (ended_at, ended_by); it is
-- never changed in place nor deleted (see the trigger below). A new notice does not replace an
-- older one: both stay, and whichever is in force shows.
create table department_notice (
    id               uuid primary key,
    department_id    text not null references department (id),
    kind             text not null check (kind in ('normal', 'reduced', 'appointment_only', 'unreachable')),
    valid_from       timestamptz not null,
    valid_until      timestamptz,
    agent_text       text not null check (length(btrim(agent_text)) between 1 and 1000),
    resident_text    text check (length(resident_text) <= 500),
    resident_text_en text check (length(resident_text_en) <= 500),
    set_by           text not null,
    set_by_id        uuid,
    set_at           timestamptz not null default now(),
    ended_at         timestamptz,
    ended_by         text,
    check (valid_until is null or valid_until > valid_from),
    check ((ended_at is null) = (ended_by is null))
);
-- what the boards load: notices not ended (those past their end are filtered in the query)
create index department_notice_open on department_notice (department_id) where ended_at is null;
create index department_notice_history on department_notice (department_id, set_at desc);

create function department_notice_keeps_history() returns trigger
    language plpgsql as
$$
begin
    if tg_op <> 'UPDATE' then
        raise exception 'department notices are history: end a notice, never delete it'
            using errcode = 'integrity_constraint_violation';
    end if;
    if old.ended_at is not null then
        raise exception 'department notice % has ended and cannot change any more', old.id
            using errcode = 'integrity_constraint_violation';
    end if;
    if (new.id, new.department_id, new.kind, new.valid_from, new.valid_until, new.agent_text, new.resident_text,
        new.resident_text_en, new.set_by, new.set_by_id, new.set_at)
        is distinct from
       (old.id, old.department_id, old.kind, old.valid_from, old.valid_until, old.agent_text, old.resident_text,
        old.resident_text_en, old.set_by, old.set_by_id, old.set_at) then
        raise exception 'department notice % is never changed in place: end it and set a new one', old.id
            using errcode = 'integrity_constraint_violation';
    end if;
    return new;
end
$$;

create trigger department_notice_keeps_history
    before update or delete on department_notice
    for each row execute function department_notice_keeps_history();

create trigger department_notice_no_truncate
    before truncate on department_notice
    for each statement execute function department_notice_keeps_history();

-- a user with the role "department" writes notices for this department only (the token's claim)
alter table app_user add column department text references department (id);
