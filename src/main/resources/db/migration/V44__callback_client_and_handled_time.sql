-- 1. Who asked for a callback, as the per-address limit counts it: the same keyed hash of the
-- client address as conversation.client_key (V6), never the address itself. A request asked
-- from a chat takes its conversation's key. Owner: the callback package (CallbackService), which
-- counts a client's live requests (open, claimed, or merged into one) under an advisory lock per
-- key before it stores the next, so the limit holds across nodes. Retention and requests to be
-- forgotten clear it with the phone number. Rows from before have none and count for nobody.
alter table callback_request add column client_key text;
create index callback_live_by_client on callback_request (client_key)
    where state in ('open', 'claimed', 'merged') and client_key is not null;

-- 2. Handle time is the time agents held a conversation: the sum of its assignments, without the
-- time it waited in a queue again after a requeue (an agent gone, a transfer to a topic). The
-- figures (StatsResource) and the queue snapshot's average handle time (QueueService) read a
-- conversation's assignments by conversation; the only index there was led with the agent.
create index assignment_conversation on assignment (conversation_id);
