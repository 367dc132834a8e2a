-- A resident's socket beyond the limit per conversation replaces the oldest instead of being
-- refused. A phone that changes networks leaves sockets behind that died without a close, and
-- the server counts them until they miss its pings (tens of seconds): after three network changes
-- the resident, with one window, was refused ("already open in 3 windows") and could only wait.
--
-- Under the same lock as before (so two nodes never both go over the limit), the oldest rows go
-- until there is room for the new one: usually one, more only when a node's announcement (after it
-- was declared dead) put back rows while the conversation had connected elsewhere. Every socket
-- proved it holds the resident token, so the limit still bounds what one token holds; it no longer
-- keeps out the resident whose own dead sockets fill it.
--
-- A replaced socket on another node is told to that node here ('x|' signal, notified at the
-- commit); those of the calling node come back in `replaced`, for it to close from memory. A node
-- that misses the notification (its LISTEN connection was down) finds such sockets when it is back
-- (Signal.Resync): sockets it holds that the table no longer counts.
--
-- connected_at is the time the row went in under the lock (clock_timestamp), not the start of the
-- statement: of two sockets that waited for each other, the one that got in first is the older.
drop function loket_resident_connected(text, uuid, uuid, int, text);

-- Owned by the cluster package (presence). `accepted` is always true now; kept for the nodes of the
-- version before, which read it during a rolling upgrade.
create function loket_resident_connected(p_connection text, p_node_id uuid, p_subject uuid, p_max int, p_node text)
returns table (accepted boolean, event text, notified boolean, replaced text[])
language plpgsql as $$
declare
    r record;
    here text[] := '{}';
begin
    perform pg_advisory_xact_lock(hashtextextended('loket-presence:' || p_subject::text, 0));
    for r in
        delete from presence p
        where p.connection_id in (
            select o.connection_id from presence o where o.kind = 'resident' and o.subject = p_subject
            order by o.connected_at, o.connection_id
            limit greatest((select count(*) from presence c where c.kind = 'resident' and c.subject = p_subject) - p_max + 1, 0))
        returning p.connection_id, p.node_id
    loop
        if r.node_id = p_node_id then
            here := here || r.connection_id;
        else
            perform pg_notify('loket', p_node || '|x|' || r.connection_id);
        end if;
    end loop;
    insert into presence (connection_id, node_id, kind, subject, connected_at)
    values (p_connection, p_node_id, 'resident', p_subject, clock_timestamp());
    return query select true, b.event, b.notified, here from loket_resident_back_unless_waiting(p_subject, p_node) b;
end
$$;
