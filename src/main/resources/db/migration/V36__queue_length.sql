-- How many conversations wait in each topic, one row per topic, kept by triggers on
-- conversation (owned by the conversation package). A start counted the queue ahead of it
-- (conversation_queue, under its topic's lock) and the queue snapshot counted every topic's queue:
-- both grew with the queue, and a surge's fresh rows are not all-visible, so every counted entry
-- was a heap fetch. With 2,500 waiting per topic a start's count took about 3 ms of the 5 it held
-- its topic's lock; 10,000 starts into four topics took 5.2-5.4 s of the database with the count
-- and 3.1-3.2 s with this row (pgbench, PostgreSQL 15, this machine). Now a start reads its place from
-- its topic's row, and the snapshot its waiting.
--
-- The row is exact because every change takes its lock until commit, in one of two ways:
-- - An insert of a waiting conversation counts at once (conversation_queue_joined). Only a start
--   inserts one, under its topic's lock, and it waits for nothing after that, so it can read its
--   own place: it is the last in its topic's queue (V30), and every change committed before it,
--   or committing while it waits for the row, is counted.
-- - A change of state or topic, and a delete, counts at commit (deferred constraint triggers).
--   The row is then the last lock such a transaction takes, never held while it waits for a
--   conversation's row (a claim locks its conversation first, a sweep many). A transaction that
--   moves conversations of several topics locks their rows in topic order before it commits
--   (loket_lock_queue_lengths), so two of them cannot wait for each other.
create table queue_length (
    topic   text primary key,
    waiting int  not null
);

create function loket_queue_add(p_topic text, p_delta int) returns void
language sql as $$
    insert into queue_length as q (topic, waiting) values (p_topic, p_delta)
    on conflict (topic) do update set waiting = q.waiting + excluded.waiting
$$;

create function loket_queue_joined() returns trigger
language plpgsql as $$
begin
    perform loket_queue_add(new.topic, 1);
    return null;
end
$$;

create function loket_queue_moved() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform loket_queue_add(old.topic, -1);
    elsif old.state = 'queued' and new.state = 'queued' then
        -- a waiting conversation moved to another topic: both rows, in topic order
        if old.topic < new.topic then
            perform loket_queue_add(old.topic, -1);
            perform loket_queue_add(new.topic, 1);
        else
            perform loket_queue_add(new.topic, 1);
            perform loket_queue_add(old.topic, -1);
        end if;
    elsif old.state = 'queued' then
        perform loket_queue_add(old.topic, -1);
    else
        perform loket_queue_add(new.topic, 1);
    end if;
    return null;
end
$$;

create function loket_queue_emptied() returns trigger
language plpgsql as $$
begin
    delete from queue_length;
    return null;
end
$$;

-- A transaction that moved conversations of several topics calls this last, before its commit.
create function loket_lock_queue_lengths(p_topics text[]) returns void
language sql as $$
    select 1 from queue_length where topic = any(p_topics) order by topic for update
$$;

-- A safety net, not a part of keeping the row exact: sets a topic's row to a count of its
-- waiting conversations and returns how far it was off (kept - counted). Nothing in Loket writes
-- a conversation around the triggers, but an operator's repair with triggers disabled could.
-- Exact under load: every change holds the row until it commits, so once this has the row's lock,
-- the count (a statement after it) sees every change the row has counted, and a change still to
-- commit waits and then counts itself on top.
create function loket_recount_queue(p_topic text) returns int
language plpgsql as $$
declare
    kept int;
    counted int;
begin
    insert into queue_length (topic, waiting) values (p_topic, 0) on conflict (topic) do nothing;
    select waiting into kept from queue_length where topic = p_topic for update;
    select count(*) into counted from conversation where topic = p_topic and state = 'queued';
    if kept <> counted then
        update queue_length set waiting = counted where topic = p_topic;
    end if;
    return kept - counted;
end
$$;

lock table conversation in share row exclusive mode;

-- every conversation's topic is a topic (foreign key); the count uses conversation_queue
insert into queue_length (topic, waiting)
select t.id, (select count(*) from conversation c where c.topic = t.id and c.state = 'queued') from topic t;

create trigger conversation_queue_joined after insert on conversation
    for each row when (new.state = 'queued') execute function loket_queue_joined();

create constraint trigger conversation_queue_moved after update of state, topic on conversation
    deferrable initially deferred
    for each row when ((old.state = 'queued' or new.state = 'queued')
                       and (old.state is distinct from new.state or old.topic is distinct from new.topic))
    execute function loket_queue_moved();

create constraint trigger conversation_queue_left after delete on conversation
    deferrable initially deferred
    for each row when (old.state = 'queued') execute function loket_queue_moved();

create trigger conversation_queue_truncated after truncate on conversation
    for each statement execute function loket_queue_emptied();

-- V32's start, with its place read from its topic's row instead of counted.
create or replace function loket_create_conversation(p_id uuid, p_topic text, p_name text, p_locale text, p_client_key text,
                                                     p_limit int, p_node text)
returns table (outcome text, queued_at timestamptz, conversation_position bigint)
language plpgsql as $$
declare
    c conversation;
begin
    if p_limit > 0 and p_client_key is not null then
        perform pg_advisory_xact_lock(hashtextextended('loket-client:' || p_client_key, 0));
        if (select count(*) from conversation
            where client_key = p_client_key and state in ('queued', 'active')) >= p_limit then
            return query select 'too_many'::text, null::timestamptz, null::bigint;
            return;
        end if;
    end if;
    -- always after the client's lock (above), never before: one order, no deadlock
    perform pg_advisory_xact_lock(hashtextextended('loket-queue:' || p_topic, 0));
    insert into conversation (id, topic, resident_name, locale, state, queued_at, resident_gone_at, client_key)
    values (p_id, p_topic, p_name, p_locale, 'queued', clock_timestamp(), now(), p_client_key)
    returning * into c;
    insert into outbox (type, payload) values ('conversation.queued',
        jsonb_build_object('conversationId', p_id, 'topic', p_topic));
    return query select 'created'::text, c.queued_at,
        (select q.waiting::bigint from queue_length q where q.topic = p_topic);
end
$$;
