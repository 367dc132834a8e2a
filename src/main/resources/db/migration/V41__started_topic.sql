-- The topic the resident chose, kept once a transfer moves the conversation to another topic
-- (conversation.topic is then the topic it is in now); null while it never moved, when topic is
-- the chosen one. Set by the move itself (ConversationRepository#requeue), so starting a
-- conversation, the hot path, writes nothing more. The statistics count a conversation as
-- offered, answered and waited in coalesce(started_topic, topic), and how it ended (abandoned,
-- callback, handle time, rating) in topic. Owner: the conversation package.
--
-- Conversations transferred before this migration keep only the topic they ended in. Nodes of
-- the version before do not set it: a transfer they make counts under the topic it ended in.
alter table conversation add column started_topic text references topic (id);
