-- When a conversation last came back into a queue after an agent held it (a transfer to a topic,
-- or the agent gone past the grace period); null while it never did. queued_at is kept on such a
-- move, so the resident keeps their place; the wait the team lead sees ("langst wachtend", the
-- waiting list's "wacht sinds") runs from coalesce(requeued_at, queued_at), the current wait.
-- Owner: the conversation package (ConversationRepository).
--
-- Nodes of the version before do not set it: a conversation they move back shows its wait from
-- queued_at, as before.
alter table conversation add column requeued_at timestamptz;

-- The queue snapshot reads the longest current wait per topic as the least of two minima: of
-- queued_at over those never requeued (conversation_queue, first row) and of requeued_at over the
-- few that were (this index, which holds only those while they wait).
create index conversation_requeued on conversation (topic, requeued_at)
    where state = 'queued' and requeued_at is not null;

-- those waiting now after a requeue: since the end of their last assignment
update conversation c set requeued_at = a.ended
from (select conversation_id, max(ended_at) as ended from assignment group by conversation_id) a
where a.conversation_id = c.id and c.state = 'queued' and a.ended is not null;
