-- Less of PostgreSQL's work for every stored message, with the same outcomes and guarantees.
-- Owner: the conversation package (nl.loket.conversation); see docs/architecture.md and
-- docs/performance.md ("Where PostgreSQL's time per message goes", which has the counts).
--
-- 1. The CHECK constraints on conversation.state and message.sender call an immutable PL/pgSQL
--    function instead of comparing with an array constant. PostgreSQL checks every CHECK of a
--    table on every insert and update, and reads each constraint's stored expression afresh for
--    every statement (stringToNode; nothing keeps it between statements). A message's post
--    updates its conversation and inserts the message, so both were read for every message:
--    about 41,000 instructions each, most of them spent reading the array constant byte by byte.
--    A function call is a short expression, and the function keeps its plan for the session.
--    The same values are allowed, under the same constraint names, with the same error
--    (check_violation). Re-validated here: every existing row is checked once.
-- 2. loket_post checks whether another node listens itself and calls loket_notify_event (which
--    checks again) only when one does: a lone node saves a PL/pgSQL call and its statement per
--    message. The event is built either way: it is the caller's payload.
--
-- 3. The stored message's outcome is returned with RETURN NEXT (the output columns set as
--    variables) instead of RETURN QUERY SELECT: one statement less to start per message.
--
-- loket_post is otherwise V37's.

create function loket_conversation_state_ok(p_state text) returns boolean
language plpgsql immutable as $$
begin
    return p_state in ('queued', 'active', 'closed', 'callback', 'abandoned');
end
$$;

create function loket_message_sender_ok(p_sender text) returns boolean
language plpgsql immutable as $$
begin
    return p_sender in ('resident', 'agent', 'system', 'note');
end
$$;

alter table conversation drop constraint conversation_state_check;
alter table conversation add constraint conversation_state_check check (loket_conversation_state_ok(state)) not valid;
alter table conversation validate constraint conversation_state_check;

alter table message drop constraint message_sender_check;
alter table message add constraint message_sender_check check (loket_message_sender_ok(sender)) not valid;
alter table message validate constraint message_sender_check;

create or replace function loket_post(p_conversation uuid, p_from text, p_sender_key text, p_agent uuid, p_agent_name text,
                                      p_client_msg_id text, p_text text, p_notice_nl text, p_notice_en text, p_node text)
returns table (outcome text, payload text)
language plpgsql as $$
declare
    c conversation;
    m message;
    notice message;
    msgs jsonb;
    event text;
    -- the redaction notice takes a seq of its own (the caller gives both texts or neither)
    reserved int := case when p_notice_nl is null and p_notice_en is null then 1 else 2 end;
begin
    update conversation
    set last_seq = last_seq + reserved,
        version = version + 1,
        updated_at = now(),
        last_activity_at = case when p_from = 'note' then last_activity_at else now() end
    where id = p_conversation
      and case when p_agent is not null then state = 'active' and assigned_agent = p_agent
               else state not in ('closed', 'callback', 'abandoned') end
    returning * into c;
    if not found then
        -- nothing written: a resend of a stored message still gets its original, else why not
        if p_client_msg_id is not null then
            select * into m from message
            where conversation_id = p_conversation and sender_key = p_sender_key and client_msg_id = p_client_msg_id;
            if found then
                return query select 'duplicate'::text, loket_message_json(m)::text;
                return;
            end if;
        end if;
        select * into c from conversation where id = p_conversation;
        if not found then
            return query select 'not_found'::text, null::text;
        elsif p_agent is not null then
            return query select 'not_assigned'::text, null::text;
        else
            return query select 'conversation_ended'::text, null::text;
        end if;
        return;
    end if;
    insert into message (conversation_id, seq, sender, sender_key, text, client_msg_id, agent_id, agent_name)
    values (p_conversation, c.last_seq - reserved + 1, p_from, p_sender_key, p_text, p_client_msg_id, p_agent, p_agent_name)
    on conflict (conversation_id, sender_key, client_msg_id) where client_msg_id is not null do nothing
    returning * into m;
    if not found then
        -- a resend: give the reservation back (the row is still locked: nobody saw it) and return the original
        update conversation
        set last_seq = last_seq - reserved, version = version - 1
        where id = p_conversation;
        select * into m from message
        where conversation_id = p_conversation and sender_key = p_sender_key and client_msg_id = p_client_msg_id;
        return query select 'duplicate'::text, loket_message_json(m)::text;
        return;
    end if;
    msgs := jsonb_build_array(loket_message_json(m));
    if reserved = 2 then
        insert into message (conversation_id, seq, sender, sender_key, text)
        values (p_conversation, c.last_seq, 'system', 'system',
                coalesce(case when c.locale = 'en' then p_notice_en else p_notice_nl end, p_notice_nl, p_notice_en))
        returning * into notice;
        msgs := msgs || jsonb_build_array(loket_message_json(notice));
    end if;
    event := loket_event_json(c, 'MESSAGE', null, msgs);
    if exists (select 1 from node n where n.id <> p_node::uuid) then
        perform loket_notify_event(p_node, event);
    end if;
    outcome := 'stored';
    payload := event;
    return next;
end
$$;
