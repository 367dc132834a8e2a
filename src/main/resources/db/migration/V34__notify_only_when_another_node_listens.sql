-- A node that is alone notifies nobody. Every notifying transaction takes PostgreSQL's one
-- notification lock at commit and holds it until the commit is on disk, so notifying commits
-- cannot share a WAL flush: they go one at a time. With no other node registered there is no
-- one to hear them, and a lone node's messages, claims and moves now commit like any other write.
--
-- The race with a node that is starting: a transaction checks for other nodes after its first
-- write (it has a transaction id by then), and a node that registers waits, after its row is
-- committed, until every transaction in progress at that moment has ended, before it serves a
-- connection or reads what it missed (Presence.register, Heartbeat). A transaction that did not
-- see the new row has then ended, and what it wrote is in what the new node reads.

-- Owned by the cluster package (the node table): whether a node other than p_node is registered.
-- Call it after the transaction's first write, never before (see above).
create function loket_others_listen(p_node text) returns boolean
language sql stable as $$
    select exists (select 1 from node n where n.id <> p_node::uuid)
$$;

-- V6's announcement, told only when another node may hear it.
create or replace function loket_notify_event(node text, payload text) returns void
language plpgsql as $$
begin
    if not loket_others_listen(node) then
        return;
    end if;
    if octet_length(payload) + octet_length(node) + 3 > 7900 then
        payload := ((payload::jsonb - 'm') || '{"x":true}'::jsonb)::text;
    end if;
    perform pg_notify('loket', node || '|e|' || payload);
end
$$;

-- V6's claim, owned by the conversation package, with its queue and agent signals told only when
-- another node may hear them (its event goes through loket_notify_event).
create or replace function loket_claim(p_agent uuid, p_topic text, p_conversation uuid, p_node text)
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
    if loket_others_listen(p_node) then
        perform pg_notify('loket', p_node || '|q|' || c.topic);
        perform pg_notify('loket', p_node || '|a|' || p_agent);
    end if;
    return query select 'claimed'::text, event;
end
$$;
