-- The queue snapshot's average handle time reads a topic's last 50 conversations closed in the
-- last 7 days. Without this index it scanned the whole conversation table once per topic on
-- every snapshot (several per second during a surge), a cost that grew with every day of history.
create index conversation_handled on conversation (topic, closed_at desc)
    where state = 'closed' and assigned_at is not null;
