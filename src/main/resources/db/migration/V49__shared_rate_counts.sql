-- The public rate limit across nodes: each node adds, about once a second and in one statement,
-- how many public POSTs it let through per client since its last sync, and reads back the
-- cluster's totals. Owner: nl.loket.security.RateLimits; docs/architecture.md ("The public rate
-- limit across nodes") says how and what it bounds.
--
-- client_key is ClientKeys.of(address), an HMAC under a secret the nodes share, never the
-- address. window_start is the minute the counts are filed under (by the reporting node's clock).
-- Rows older than two minutes (by the database's clock) are deleted by the syncs themselves.
--
-- UNLOGGED: no WAL, so a sync's commit does not wait for a WAL flush; PostgreSQL empties the
-- table after a crash, which costs at most one minute of the limit. Not replicated to a standby
-- either: after a failover the limit starts again from zero, the same. fillfactor leaves room on
-- each page so that the counts' updates stay HOT (n is in no index).
create unlogged table shared_rate_count (
    window_start timestamptz not null,
    client_key   text        not null,
    n            integer     not null,
    primary key (window_start, client_key)
) with (fillfactor = 70);
