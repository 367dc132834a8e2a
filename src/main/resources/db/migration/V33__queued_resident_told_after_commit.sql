-- A resident's first connection to a waiting conversation no longer notifies inside its
-- statement. A new conversation counts its resident as gone until they connect, so every
-- arrival's connect was a "resident is back" event, notified at commit: 167 a second in the
-- surge benchmark, each queueing for PostgreSQL's one notification lock (held through the
-- commit) together with the chat messages' commits. log_lock_waits (deadlock_timeout = 20ms)
-- counted about a thousand waits over 20 ms for that lock during the surge, up to 190 ms; the
-- chat messages' p99 was of the same size.
--
-- For a waiting conversation the event is returned with notified = false and the node tells
-- the other nodes right after the commit, batched (Db.committed): nobody holds the conversation
-- yet, and a session that gets the event late, out of order or (the node died) not at all sees
-- a version it already has or a gap it repairs by reading. For a conversation in progress the
-- event is notified in the transaction, as before.

-- Owned by the conversation package: the resident is connected again, as loket_resident_back
-- (V28, still used when a node announces its connections again), but a waiting conversation's
-- event comes back unnotified (notified = false). Null event when they had not counted as gone.
create function loket_resident_back_unless_waiting(p_id uuid, p_node text)
returns table (event text, notified boolean)
language plpgsql as $$
declare
    c conversation;
    was text;
begin
    update conversation set resident_gone_at = null where id = p_id and resident_gone_at is not null
    returning state into was;
    if not found then
        return query select null::text, true;
    elsif was = 'queued' then
        update conversation set version = version + 1 where id = p_id returning * into c;
        return query select loket_event_json(c, 'PRESENCE', null, '[]'::jsonb), false;
    else
        return query select loket_conversation_event(p_id, 'PRESENCE', null, null, p_node), true;
    end if;
end
$$;

-- Owned by the cluster package (presence): V28's function with the conversation's answer above.
drop function loket_resident_connected(text, uuid, uuid, int, text);

create function loket_resident_connected(p_connection text, p_node_id uuid, p_subject uuid, p_max int, p_node text)
returns table (accepted boolean, event text, notified boolean)
language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended('loket-presence:' || p_subject::text, 0));
    if (select count(*) from presence where kind = 'resident' and subject = p_subject) >= p_max then
        return query select false, null::text, true;
        return;
    end if;
    insert into presence (connection_id, node_id, kind, subject) values (p_connection, p_node_id, 'resident', p_subject);
    return query select true, b.event, b.notified from loket_resident_back_unless_waiting(p_subject, p_node) b;
end
$$;
