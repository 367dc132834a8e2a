-- V6's loket_post, with the same outcomes, in fewer steps for the message that goes through.
-- Owner: the conversation package (nl.loket.conversation); see docs/architecture.md.
--
-- Before, every message first selected and locked the conversation, then looked for a repeated
-- clientMsgId, then updated the conversation. Now the update is the first statement: it takes
-- the row lock, checks in its WHERE that the sender may write, and takes the next seq. The
-- message's insert finds a repeated clientMsgId itself (the unique index message_idempotency,
-- ON CONFLICT DO NOTHING); only then is the update taken back, in the same transaction, and the
-- original returned. A message that may not be written finds no row to update, and only then is
-- the conversation read to say why.
--
-- What a caller sees is unchanged: a repeated clientMsgId returns the original even when the
-- conversation ended or moved to another agent since (the resident's resend after a drop); the
-- seq and version of a conversation have no gaps (a duplicate's reservation is given back before
-- anyone can see it: the row stays locked until the commit). One difference: a resend into an
-- open conversation now moves its updated_at and last_activity_at, as a new message would (the
-- transcript feed may list the unchanged conversation once more; a resend is activity).
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
    perform loket_notify_event(p_node, event);
    return query select 'stored'::text, event;
end
$$;
