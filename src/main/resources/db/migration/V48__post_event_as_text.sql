-- loket_post writes its event's JSON as text itself instead of through jsonb.
-- Owner: the conversation package (nl.loket.conversation); see docs/performance.md ("Where
-- PostgreSQL's time per message goes", which has the counts).
--
-- Every stored message's event was built by loket_event_json and loket_message_json:
-- jsonb_build_object looks up the type of each of its arguments on every call (13 + 6), builds a
-- jsonb value (keys sorted), jsonb_strip_nulls copies it, jsonb_build_array and || copy it again,
-- and jsonb_out writes it as text at the end. The event is only ever read as text (the caller's
-- payload, a notification), so it is now concatenated as text: strings escaped by to_json
-- (PostgreSQL's one JSON escaping, the one jsonb_out uses too), numbers, uuids, booleans and the
-- fixed values of state and sender written as they are. The same members with the same values
-- (PostOutcomeTest compares it, as jsonb, with loket_event_json's for the same rows), compact, in
-- a fixed order instead of jsonb's; every reader parses it (ConversationEvent, and
-- loket_notify_event when it drops the messages of an event too large to notify).
--
-- The conversation's update returns the columns the event needs instead of the whole row, with
-- the assigned agent's name read in the same statement (it was a statement of its own inside
-- loket_event_json); a waiting conversation has no agent, and no name is read.
--
-- loket_event_json and loket_message_json stay as they are for the other changes (claims, moves,
-- reads) and for a resend's original. loket_post is otherwise V45's.

create or replace function loket_post(p_conversation uuid, p_from text, p_sender_key text, p_agent uuid, p_agent_name text,
                                      p_client_msg_id text, p_text text, p_notice_nl text, p_notice_en text, p_node text)
returns table (outcome text, payload text)
language plpgsql as $$
declare
    c conversation;
    m message;
    c_version bigint;
    c_last_seq int;
    c_state text;
    c_topic text;
    c_agent uuid;
    c_agent_name text;
    c_close_reason text;
    c_callback uuid;
    c_online boolean;
    c_locale text;
    stored_at timestamptz;
    notice_text text;
    msgs text;
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
    returning version, last_seq, state, topic, assigned_agent,
              case when assigned_agent is not null then (select u.display_name from app_user u where u.id = assigned_agent) end,
              close_reason, callback_id, resident_gone_at is null, locale
    into c_version, c_last_seq, c_state, c_topic, c_agent, c_agent_name, c_close_reason, c_callback, c_online, c_locale;
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
    values (p_conversation, c_last_seq - reserved + 1, p_from, p_sender_key, p_text, p_client_msg_id, p_agent, p_agent_name)
    on conflict (conversation_id, sender_key, client_msg_id) where client_msg_id is not null do nothing
    returning message.sent_at into stored_at;
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
    -- loket_message_json's members, null ones left out; the sender is one of four fixed words
    msgs := '[{"seq":' || (c_last_seq - reserved + 1) || ',"from":"' || p_from || '","text":' || to_json(p_text)::text
            || ',"sentAt":"' || to_char(stored_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"'
            || case when p_client_msg_id is null then '' else ',"clientMsgId":' || to_json(p_client_msg_id)::text end
            || case when p_agent_name is null then '' else ',"agentName":' || to_json(p_agent_name)::text end || '}';
    if reserved = 2 then
        notice_text := coalesce(case when c_locale = 'en' then p_notice_en else p_notice_nl end, p_notice_nl, p_notice_en);
        insert into message (conversation_id, seq, sender, sender_key, text)
        values (p_conversation, c_last_seq, 'system', 'system', notice_text)
        returning message.sent_at into stored_at;
        msgs := msgs || ',{"seq":' || c_last_seq || ',"from":"system","text":' || to_json(notice_text)::text
                || ',"sentAt":"' || to_char(stored_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"}';
    end if;
    -- loket_event_json's members for a message (no previous agent); the state is one of five fixed words
    event := '{"id":"' || p_conversation || '","v":' || c_version || ',"seq":' || c_last_seq || ',"st":"' || c_state
             || '","tp":' || to_json(c_topic)::text
             || ',"ag":' || coalesce('"' || c_agent || '"', 'null')
             || ',"an":' || coalesce(to_json(c_agent_name)::text, 'null')
             || ',"pa":null,"k":"MESSAGE","rs":' || coalesce(to_json(c_close_reason)::text, 'null')
             || ',"cb":' || coalesce('"' || c_callback || '"', 'null')
             || ',"on":' || c_online || ',"m":' || msgs || ']}';
    if exists (select 1 from node n where n.id <> p_node::uuid) then
        perform loket_notify_event(p_node, event);
    end if;
    outcome := 'stored';
    payload := event;
    return next;
end
$$;
