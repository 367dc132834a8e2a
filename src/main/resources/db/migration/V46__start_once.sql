-- A start sent again must not make a second conversation. On a phone's link the answer to
-- POST /api/v1/conversations can be lost after the conversation was stored, and the widget tries
-- again. The widget sends one start key per start; the node derives the conversation's id from it
-- under the nodes' shared secret (ClientKeys.startId), so a start whose id is already stored is the
-- same start: it answers that conversation, before the address's limit (the conversation counts
-- itself already) and without queueing anything. Two at once are one: the second's insert meets
-- the first's row (ON CONFLICT) and answers it. The answer says the conversation's state, as it
-- may have moved on (claimed, left) since it was made. The id a start without a key gets stays
-- random, as before. The function gains a column, so it is dropped and made anew (the nodes of
-- the version before read the three columns they know by name).

drop function loket_create_conversation(uuid, text, text, text, text, int, text);

create function loket_create_conversation(p_id uuid, p_topic text, p_name text, p_locale text, p_client_key text,
                                          p_limit int, p_node text)
returns table (outcome text, queued_at timestamptz, conversation_position bigint, conversation_state text)
language plpgsql as $$
declare
    c conversation;
begin
    -- the same start sent again: the conversation it made (an index probe of the primary key)
    select * into c from conversation where id = p_id;
    if found then
        return query select 'again'::text, c.queued_at, loket_queue_place(c), c.state;
        return;
    end if;
    if p_limit > 0 and p_client_key is not null then
        perform pg_advisory_xact_lock(hashtextextended('loket-client:' || p_client_key, 0));
        if (select count(*) from conversation
            where client_key = p_client_key and conversation.state in ('queued', 'active')) >= p_limit then
            return query select 'too_many'::text, null::timestamptz, null::bigint, null::text;
            return;
        end if;
    end if;
    -- always after the client's lock (above), never before: one order, no deadlock
    perform pg_advisory_xact_lock(hashtextextended('loket-queue:' || p_topic, 0));
    insert into conversation (id, topic, resident_name, locale, state, queued_at, resident_gone_at, client_key)
    values (p_id, p_topic, p_name, p_locale, 'queued', clock_timestamp(), now(), p_client_key)
    on conflict (id) do nothing
    returning * into c;
    if not found then
        -- the same start, twice at once: the other one stored it
        select * into c from conversation where id = p_id;
        return query select 'again'::text, c.queued_at, loket_queue_place(c), c.state;
        return;
    end if;
    insert into outbox (type, payload) values ('conversation.queued',
        jsonb_build_object('conversationId', p_id, 'topic', p_topic));
    return query select 'created'::text, c.queued_at,
        (select q.waiting::bigint from queue_length q where q.topic = p_topic), 'queued'::text;
end
$$;

-- A waiting conversation's 1-based place in its topic's queue (null when it is not waiting), in
-- the order the queue is served. Only for a start sent again: the socket's first state frame says
-- the place from then on.
create function loket_queue_place(c conversation) returns bigint
language sql stable as $$
    select case when c.state = 'queued' then
        (select count(*) from conversation q
         where q.topic = c.topic and q.state = 'queued' and (q.queued_at, q.id) <= (c.queued_at, c.id))
    end
$$;
