-- Retention and requests to be forgotten remove the phone numbers of ended callback requests.
alter table callback_request alter column phone drop not null;
create index callback_ended on callback_request (ended_at) where ended_at is not null and purged_at is null;
