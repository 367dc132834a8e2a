-- A repeated callback request (same number and topic as an open one) is stored as its own row,
-- linked to the open one. Its maker gets access to what they submitted and nothing else; agents
-- keep seeing one request per number and topic. 'merged' rows follow the open one to its end.
alter table callback_request add column merged_into uuid references callback_request (id);
alter table callback_request drop constraint callback_request_state_check;
alter table callback_request add constraint callback_request_state_check
    check (state in ('open', 'claimed', 'merged', 'done', 'failed', 'cancelled'));
create index callback_merged on callback_request (merged_into) where merged_into is not null;
