-- A resident's socket opening in one round trip (issue 10, "the other hot moves"): before, it was
-- a transaction of six statements (begin, lock, count, insert, update, commit, and the event).

-- Owned by the conversation package: the resident is connected again. The change's event (also
-- notified to the other nodes) when they had counted as gone, else null.
create function loket_resident_back(p_id uuid, p_node text)
returns text
language plpgsql as $$
begin
    update conversation set resident_gone_at = null where id = p_id and resident_gone_at is not null;
    if found then
        return loket_conversation_event(p_id, 'PRESENCE', null, null, p_node);
    end if;
    return null;
end
$$;

-- Owned by the cluster package (presence): a resident connection is recorded unless the
-- conversation already has p_max of them. Connections and disconnections of one subject take
-- turns under the same advisory lock as Presence's Java side uses.
create function loket_resident_connected(p_connection text, p_node_id uuid, p_subject uuid, p_max int, p_node text)
returns table (accepted boolean, event text)
language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended('loket-presence:' || p_subject::text, 0));
    if (select count(*) from presence where kind = 'resident' and subject = p_subject) >= p_max then
        return query select false, null::text;
        return;
    end if;
    insert into presence (connection_id, node_id, kind, subject) values (p_connection, p_node_id, 'resident', p_subject);
    return query select true, loket_resident_back(p_subject, p_node);
end
$$;
