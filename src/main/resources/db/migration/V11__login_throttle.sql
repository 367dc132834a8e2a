-- Failed logins are counted in one row per username and one per client address, so that one
-- statement counts and records an attempt at once: parallel guesses cannot slip past the limit
-- between a count and an insert (see nl.loket.security.LoginThrottle). The rows name addresses,
-- so they are deleted once their window has passed.
drop table login_failure;
create table login_failure (
    scope        text not null check (scope in ('username', 'address')),
    key          text not null,
    failures     int not null,
    window_start timestamptz not null,
    last_at      timestamptz not null,
    primary key (scope, key)
);
create index login_failure_last on login_failure (last_at);
