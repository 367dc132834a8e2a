-- A new conversation's place is exact when it commits. Under V27 two residents starting at the
-- same moment in one topic could each count the queue before the other had committed: the one
-- with the earlier queued_at (its transaction's start) was then missing from the other's count,
-- which told its resident one place too few, and a later claim moved them to the place they had
-- been told, so no update reached them. Now the starts of one topic take turns on a
-- transaction-scoped advisory lock, and queued_at is the moment the turn began (clock_timestamp,
-- not the transaction's start): every conversation queued before is committed and counted, and
-- none queued after can come before. The lock is held for the insert, the count and the commit,
-- about 2 ms; starts of different topics do not wait for each other. Otherwise V27's function.
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
    perform pg_notify('loket', p_node || '|n|' || p_topic);
    return query select 'created'::text, c.queued_at,
        (select count(*) from conversation q where q.state = 'queued' and q.topic = p_topic
           and (q.queued_at, q.id) <= (c.queued_at, c.id));
end
$$;
