-- Logout (POST /api/v1/auth/logout) revokes one staff token, not the account's other sessions:
-- its id (the claim "jti") is kept here until the token would have expired anyway. Every node
-- holds the ids in memory and checks each request and WebSocket upgrade against them; a node
-- that starts, or whose listener reconnects, reads them again from here (the database decides).
-- Owner: the security package (nl.loket.security.RevokedTokens).
create table revoked_token (
    token_id   text        primary key,
    user_id    uuid        not null,
    expires_at timestamptz not null,
    revoked_at timestamptz not null default now()
);

-- the purge of ids whose token has expired, and the load of those that have not
create index revoked_token_expires on revoked_token (expires_at);

-- Tells every node (this one included: the prefix "db" is no node's id) with a Logout signal
-- "l|<user id>|<expiry, epoch seconds>|<token id>", as V20 tells a generation's rise: on every
-- insert, also one made by hand in psql, and whether or not another node is registered (a node
-- that is starting listens before it registers).
create function loket_token_revoked() returns trigger
language plpgsql as $$
begin
    perform pg_notify('loket', 'db|l|' || new.user_id || '|' || floor(extract(epoch from new.expires_at))::bigint
                               || '|' || new.token_id);
    return new;
end
$$;

create trigger revoked_token_notify after insert on revoked_token
    for each row execute function loket_token_revoked();
