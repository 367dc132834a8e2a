-- The hot path: a message, a claim and a new conversation each cost one statement, and every
-- change to a conversation is announced with its content, so nodes deliver from memory.
-- Owner: the conversation package (nl.loket.conversation); see docs/architecture.md.

-- Every change a connection must see bumps the version by one: a subscriber that sees a version
-- skip knows it missed something and reads the conversation once.
alter table conversation add column version bigint not null default 0;

-- A message as every party receives it (the fields of the message frame).
create function loket_message_json(m message) returns jsonb
language sql immutable as $$
    select jsonb_strip_nulls(jsonb_build_object(
        'seq', m.seq, 'from', m.sender, 'text', m.text,
        'sentAt', to_char(m.sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'clientMsgId', m.client_msg_id, 'agentName', m.agent_name))
$$;

-- A change of a conversation as announced: its state after the change and the messages the
-- change wrote. k = the move (or MESSAGE, PRESENCE), pa = the agent who held it before the move.
create function loket_event_json(c conversation, kind text, previous_agent uuid, messages jsonb) returns text
language sql stable as $$
    select jsonb_build_object(
        'id', c.id, 'v', c.version, 'seq', c.last_seq, 'st', c.state, 'tp', c.topic,
        'ag', c.assigned_agent, 'an', (select u.display_name from app_user u where u.id = c.assigned_agent),
        'pa', previous_agent, 'k', kind, 'rs', c.close_reason, 'cb', c.callback_id,
        'on', c.resident_gone_at is null, 'm', coalesce(messages, '[]'::jsonb))::text
$$;

-- NOTIFY carries at most 8000 bytes: a change too big to carry goes without its messages
-- ("x": elided), and the nodes read them.
create function loket_notify_event(node text, payload text) returns void
language plpgsql as $$
begin
    if octet_length(payload) + octet_length(node) + 3 > 7900 then
        payload := ((payload::jsonb - 'm') || '{"x":true}'::jsonb)::text;
    end if;
    perform pg_notify('loket', node || '|e|' || payload);
end
$$;

-- Announces a change made in the calling transaction: bumps the version, carries the messages
-- written after from_seq (none when null). Returns the full event (with messages) for delivery on this node.
create function loket_conversation_event(p_id uuid, p_kind text, p_previous_agent uuid, p_from_seq int, p_node text)
returns text
language plpgsql as $$
declare
    c conversation;
    msgs jsonb;
    payload text;
begin
    update conversation set version = version + 1 where id = p_id returning * into c;
    select coalesce(jsonb_agg(loket_message_json(m) order by m.seq), '[]'::jsonb) into msgs
    from message m where m.conversation_id = p_id and m.seq > coalesce(p_from_seq, c.last_seq);
    payload := loket_event_json(c, p_kind, p_previous_agent, msgs);
    perform loket_notify_event(p_node, payload);
    return payload;
end
$$;

-- One message in one round trip: lock the conversation, return the original of a repeated
-- clientMsgId, check that the sender may write, take the next seq (two with the redaction
-- notice, in the conversation's language), store, announce. outcome: stored | duplicate | not_found | not_assigned | conversation_ended.
create function loket_post(p_conversation uuid, p_from text, p_sender_key text, p_agent uuid, p_agent_name text,
                           p_client_msg_id text, p_text text, p_notice_nl text, p_notice_en text, p_node text)
returns table (outcome text, payload text)
language plpgsql as $$
declare
    c conversation;
    m message;
    notice message;
    msgs jsonb;
    event text;
    notice_text text;
begin
    select * into c from conversation where id = p_conversation for update;
    if not found then
        return query select 'not_found'::text, null::text;
        return;
    end if;
    if p_client_msg_id is not null then
        select * into m from message
        where conversation_id = p_conversation and sender_key = p_sender_key and client_msg_id = p_client_msg_id;
        if found then
            return query select 'duplicate'::text, loket_message_json(m)::text;
            return;
        end if;
    end if;
    if p_agent is not null then
        if c.state <> 'active' or c.assigned_agent is distinct from p_agent then
            return query select 'not_assigned'::text, null::text;
            return;
        end if;
    elsif c.state in ('closed', 'callback', 'abandoned') then
        return query select 'conversation_ended'::text, null::text;
        return;
    end if;
    notice_text := case when c.locale = 'en' then p_notice_en else p_notice_nl end;
    update conversation
    set last_seq = last_seq + case when notice_text is null then 1 else 2 end,
        version = version + 1,
        updated_at = now(),
        last_activity_at = case when p_from = 'note' then last_activity_at else now() end
    where id = p_conversation
    returning * into c;
    insert into message (conversation_id, seq, sender, sender_key, text, client_msg_id, agent_id, agent_name)
    values (p_conversation, c.last_seq - case when notice_text is null then 0 else 1 end, p_from, p_sender_key, p_text,
            p_client_msg_id, p_agent, p_agent_name)
    returning * into m;
    msgs := jsonb_build_array(loket_message_json(m));
    if notice_text is not null then
        insert into message (conversation_id, seq, sender, sender_key, text)
        values (p_conversation, c.last_seq, 'system', 'system', notice_text)
        returning * into notice;
        msgs := msgs || jsonb_build_array(loket_message_json(notice));
    end if;
    event := loket_event_json(c, 'MESSAGE', null, msgs);
    perform loket_notify_event(p_node, event);
    return query select 'stored'::text, event;
end
$$;

-- A claim in one round trip: lock the agent (one agent's claims are serialised, so
-- maxConcurrent holds), check them, take the given conversation or the longest waiting one of
-- their topics (skipping rows other claims hold, then once more waiting for them, so a claim
-- fails only when nothing is waiting), assign, record, announce.
-- outcome: claimed | agent_unavailable | at_capacity | topic_not_allowed | not_found |
-- already_claimed | nothing_waiting.
create function loket_claim(p_agent uuid, p_topic text, p_conversation uuid, p_node text)
returns table (outcome text, payload text)
language plpgsql as $$
declare
    s agent_status;
    wanted text[];
    target uuid;
    c conversation;
    event text;
begin
    perform 1 from app_user where id = p_agent for update;
    -- a fresh snapshot after the lock: the count of held conversations includes any claim that just committed
    select * into s from agent_status where id = p_agent;
    if not found or not s.active or s.chosen_status = 'away' then
        return query select 'agent_unavailable'::text, null::text;
        return;
    end if;
    if s.held >= s.max_concurrent then
        return query select 'at_capacity'::text, null::text;
        return;
    end if;
    if p_conversation is not null then
        select * into c from conversation where id = p_conversation for update;
        if not found then
            return query select 'not_found'::text, null::text;
            return;
        end if;
        if c.state <> 'queued' then
            return query select 'already_claimed'::text, null::text;
            return;
        end if;
        if not (c.topic = any(s.topics)) then
            return query select 'topic_not_allowed'::text, null::text;
            return;
        end if;
        target := c.id;
    else
        if p_topic is not null and not (p_topic = any(s.topics)) then
            return query select 'topic_not_allowed'::text, null::text;
            return;
        end if;
        wanted := case when p_topic is null then s.topics else array[p_topic] end;
        select id into target from conversation where state = 'queued' and topic = any(wanted)
        order by queued_at, id limit 1 for update skip locked;
        if target is null then
            select id into target from conversation where state = 'queued' and topic = any(wanted)
            order by queued_at, id limit 1 for update;
        end if;
        if target is null then
            return query select 'nothing_waiting'::text, null::text;
            return;
        end if;
    end if;
    update conversation
    set state = 'active', assigned_agent = p_agent, assigned_at = now(),
        first_assigned_at = coalesce(first_assigned_at, now()), last_activity_at = now(), updated_at = now(),
        version = version + 1
    where id = target
    returning * into c;
    insert into assignment (conversation_id, agent_id, assigned_at) values (target, p_agent, now());
    insert into outbox (type, payload) values ('conversation.assigned',
        jsonb_build_object('conversationId', target, 'topic', c.topic, 'agentId', p_agent));
    event := loket_event_json(c, 'CLAIM', null, '[]'::jsonb);
    perform loket_notify_event(p_node, event);
    perform pg_notify('loket', p_node || '|q|' || c.topic);
    perform pg_notify('loket', p_node || '|a|' || p_agent);
    return query select 'claimed'::text, event;
end
$$;

-- Who opened a conversation, as a keyed hash of the client address, so one address cannot
-- flood the queue. Kept while the conversation is open; retention clears it with the rest.
alter table conversation add column client_key text;
create index conversation_open_by_client on conversation (client_key) where state in ('queued', 'active');

-- A new conversation in one round trip: refuse a client address over its limit of open
-- conversations (serialised per address), insert, record the event, announce the queue change,
-- and say where it stands (1-based position among the topic's waiting conversations).
-- outcome: created | too_many.
create function loket_create_conversation(p_id uuid, p_topic text, p_name text, p_locale text, p_client_key text,
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
    perform pg_notify('loket', p_node || '|q|' || p_topic);
    return query select 'created'::text, c.queued_at,
        (select count(*) from conversation q where q.state = 'queued' and q.topic = p_topic
           and (q.queued_at, q.id) <= (c.queued_at, c.id));
end
$$;
