-- A new conversation joins the end of its topic's queue: nobody already waiting moves, so it is
-- signalled as an arrival ('n'), which updates the boards but makes no waiting room recompute
-- positions (issue 10: during a surge an arrival every few milliseconds made every tick
-- recompute every waiting resident's place). Otherwise the function is V6's.
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
    insert into conversation (id, topic, resident_name, locale, state, queued_at, resident_gone_at, client_key)
    values (p_id, p_topic, p_name, p_locale, 'queued', now(), now(), p_client_key)
    returning * into c;
    insert into outbox (type, payload) values ('conversation.queued',
        jsonb_build_object('conversationId', p_id, 'topic', p_topic));
    perform pg_notify('loket', p_node || '|n|' || p_topic);
    return query select 'created'::text, c.queued_at,
        (select count(*) from conversation q where q.state = 'queued' and q.topic = p_topic
           and (q.queued_at, q.id) <= (c.queued_at, c.id));
end
$$;
