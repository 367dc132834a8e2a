-- A start no longer notifies inside its transaction: the node that created the conversation tells
-- the other nodes right after the commit, batched with the other arrivals of that moment
-- (Db.committed). A transaction that calls pg_notify takes PostgreSQL's one notification lock at
-- commit and holds it until the commit ends. In the surge benchmark 167 starts a second each did,
-- and the commits queued for that lock: 3,859 waits of more than 20 ms on it in one run
-- (log_lock_waits with deadlock_timeout = 20ms), while holding the topic's advisory lock, and
-- the chat messages' commits queued behind them. Otherwise V30's function.
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
        (select count(*) from conversation q where q.state = 'queued' and q.topic = p_topic
           and (q.queued_at, q.id) <= (c.queued_at, c.id));
end
$$;
