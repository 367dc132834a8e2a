-- Two gaps a security review left open.
--
-- 1. A claim of a given conversation answered by the conversation's state before it looked at
-- the agent's topics: an agent who does not serve a topic heard "already taken" for a taken or
-- closed conversation of it and "topic not allowed" for a waiting one, and so learned what went
-- on in a topic they may not see. Now the topics come first: an agent who does not serve the
-- conversation's topic hears topic_not_allowed whatever its state (and whatever their own
-- status), and nothing is locked or changed. The conversation's topic is read without a lock for
-- that, and checked again once the row is locked (a transfer may have moved it meanwhile). A
-- conversation id that does not exist is still not_found (as a read of it is 404, and of one out
-- of the agent's scope 403: docs/protocol.md). Still one round trip; the locks and the rest are V34's.
-- outcome: claimed | agent_unavailable | at_capacity | topic_not_allowed | not_found |
-- already_claimed | nothing_waiting.
create or replace function loket_claim(p_agent uuid, p_topic text, p_conversation uuid, p_node text)
returns table (outcome text, payload text)
language plpgsql as $$
declare
    s agent_status;
    wanted text[];
    target uuid;
    c conversation;
    seen_topic text;
    event text;
begin
    perform 1 from app_user where id = p_agent for update;
    -- a fresh snapshot after the lock: the count of held conversations includes any claim that just committed
    select * into s from agent_status where id = p_agent;
    if not found then
        return query select 'agent_unavailable'::text, null::text;
        return;
    end if;
    -- the agent's topics before anything that depends on their status or on the conversation's state
    if p_conversation is not null then
        select topic into seen_topic from conversation where id = p_conversation;
        if not found then
            return query select 'not_found'::text, null::text;
            return;
        end if;
        if not (seen_topic = any(s.topics)) then
            return query select 'topic_not_allowed'::text, null::text;
            return;
        end if;
    elsif p_topic is not null and not (p_topic = any(s.topics)) then
        return query select 'topic_not_allowed'::text, null::text;
        return;
    end if;
    if not s.active or s.chosen_status = 'away' then
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
        -- moved to another topic between the look above and the lock
        if not (c.topic = any(s.topics)) then
            return query select 'topic_not_allowed'::text, null::text;
            return;
        end if;
        if c.state <> 'queued' then
            return query select 'already_claimed'::text, null::text;
            return;
        end if;
        target := c.id;
    else
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

-- 2. Usernames are one whatever their case ("Bart" is "bart": to people, and to the audit log's
-- actor filter). The user package checked that with "not exists" before its insert, but two
-- creations at the same moment both passed the check. The unique index on lower(username) makes
-- the database refuse the second; the insert takes that refusal as "taken" (UserRepository.insert).
--
-- An installation may already hold such a pair, made before the check existed. The migration then
-- renames nobody and does not fail (a node would not start): it leaves the index out and says so
-- in a NOTICE, without the names, and so does every start of the application (a WARN of
-- nl.loket.user.UsernameCaseIndex) until an operator has resolved the pairs as README.md describes
-- ("Gebruikersnamen die alleen in hoofdletters verschillen"); the first start after that makes the
-- index. Owner: the user package.
do $$
declare
    shared bigint;
begin
    select count(*) into shared from (select 1 from app_user group by lower(username) having count(*) > 1) p;
    if shared = 0 then
        create unique index if not exists app_user_username_lower on app_user (lower(username));
    else
        raise notice 'Loket: % username(s) are held by more than one account, differing only in case. The unique index app_user_username_lower is left out until they are resolved: see README.md, "Gebruikersnamen die alleen in hoofdletters verschillen". The first start after that makes it.', shared;
    end if;
end
$$;
