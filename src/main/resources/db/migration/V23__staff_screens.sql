-- The team lead's and administrator's screens (issue 12).

-- The urgent notice in English; residents who read English see it, else the Dutch one.
alter table topic add column notice_en text;

-- When a resident rated the conversation: the satisfaction (KCM) view and its export are by period.
-- Ratings given before this column existed read their conversation's closing time.
alter table conversation add column rated_at timestamptz;
create index conversation_rated on conversation (rated_at) where rating is not null;
