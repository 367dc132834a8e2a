-- The JSON of a message and of a conversation event, built by PL/pgSQL instead of SQL functions.
-- Called from loket_post, loket_claim and loket_conversation_event, an SQL function that cannot
-- be inlined (to_char is not immutable; the event has a sub-select) was planned afresh on every
-- call: 0.07 ms for the message and 0.15 ms for the event, together 45 % of loket_post's 0.48 ms
-- (pg_stat_user_functions, one client posting 3,000 messages). PL/pgSQL keeps its plans for the
-- session: 0.02 ms and 0.04 ms. Same output, same signatures.

create or replace function loket_message_json(m message) returns jsonb
language plpgsql immutable as $$
begin
    return jsonb_strip_nulls(jsonb_build_object(
        'seq', m.seq, 'from', m.sender, 'text', m.text,
        'sentAt', to_char(m.sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'clientMsgId', m.client_msg_id, 'agentName', m.agent_name));
end
$$;

create or replace function loket_event_json(c conversation, kind text, previous_agent uuid, messages jsonb) returns text
language plpgsql stable as $$
begin
    return jsonb_build_object(
        'id', c.id, 'v', c.version, 'seq', c.last_seq, 'st', c.state, 'tp', c.topic,
        'ag', c.assigned_agent, 'an', (select u.display_name from app_user u where u.id = c.assigned_agent),
        'pa', previous_agent, 'k', kind, 'rs', c.close_reason, 'cb', c.callback_id,
        'on', c.resident_gone_at is null, 'm', coalesce(messages, '[]'::jsonb))::text;
end
$$;
