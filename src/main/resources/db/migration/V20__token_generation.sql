-- Token revocation (issue 11.3). Every staff token carries the generation of its account
-- (claim "gen"); a token older than the account's current generation is refused, and the
-- account's open sockets are closed. Owner: the user package (nl.loket.user).
alter table app_user add column token_generation bigint not null default 0;

-- A value as the revocation compares it: arrays (roles, topics) as sorted sets, so writing the
-- same roles in another order revokes nothing.
create function loket_revocation_value(v jsonb) returns jsonb
language sql immutable as $$
    select case when jsonb_typeof(v) = 'array'
                then (select coalesce(jsonb_agg(distinct e order by e), '[]'::jsonb) from jsonb_array_elements(v) e)
                else v end
$$;

-- Bumps the generation when a column that decides what a token may do changes, and tells every
-- node (this one included: the prefix "db" is no node's id) with a Revoke signal
-- "r|<user id>|<generation>|<active>". It fires on every write to app_user, also one made by
-- hand in psql, so no path can change a role without revoking.
create function loket_token_generation() returns trigger
language plpgsql as $$
declare
    -- The columns whose change revokes the account's tokens. A name that is no column (yet)
    -- reads null on both sides and never counts, so "department" revokes as soon as that
    -- column is added; another column is one more name in this list.
    revoking constant text[] := array['roles', 'topics', 'password_hash', 'active', 'department'];
    o jsonb := to_jsonb(old);
    n jsonb := to_jsonb(new);
begin
    if exists (select 1 from unnest(revoking) c
               where loket_revocation_value(o -> c) is distinct from loket_revocation_value(n -> c)) then
        new.token_generation := old.token_generation + 1;
    end if;
    -- also when an operator bumps the generation by hand to log someone out everywhere
    if new.token_generation is distinct from old.token_generation then
        perform pg_notify('loket', 'db|r|' || new.id || '|' || new.token_generation || '|' || new.active);
    end if;
    return new;
end
$$;

create trigger app_user_token_generation before update on app_user
    for each row execute function loket_token_generation();
