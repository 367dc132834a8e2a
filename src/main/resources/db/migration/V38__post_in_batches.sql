-- Several messages in one statement, one transaction and one commit: the chat line's batch
-- (the conversation package's posts go through nl.loket.platform.Batcher). When every chat
-- connection is busy, the messages that come meanwhile wait, and the next free connection takes
-- them all at once instead of one each, with a commit each.
-- Owner: the conversation package (nl.loket.conversation); see docs/architecture.md.
--
-- Each message goes through loket_post exactly as it would alone, in the order given, and gets
-- its own outcome (i is its 1-based place in the arrays). The caller orders a batch by
-- conversation, so two batches take their conversations' row locks in the same order and cannot
-- deadlock each other. If anything fails, the whole batch is rolled back and the caller sends
-- each message again alone.
create or replace function loket_post_batch(p_conversation uuid[], p_from text[], p_sender_key text[], p_agent uuid[],
                                            p_agent_name text[], p_client_msg_id text[], p_text text[],
                                            p_notice_nl text[], p_notice_en text[], p_node text)
returns table (i int, outcome text, payload text)
language plpgsql as $$
begin
    for k in 1 .. coalesce(array_length(p_conversation, 1), 0) loop
        return query select k, r.outcome, r.payload
                     from loket_post(p_conversation[k], p_from[k], p_sender_key[k], p_agent[k], p_agent_name[k],
                                     p_client_msg_id[k], p_text[k], p_notice_nl[k], p_notice_en[k], p_node) r;
    end loop;
end
$$;
