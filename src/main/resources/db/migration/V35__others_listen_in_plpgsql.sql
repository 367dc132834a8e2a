-- V34's check in PL/pgSQL, which keeps its plan for the session. As an SQL function with a
-- subquery PostgreSQL cannot inline it, and planned it afresh in every transaction that called
-- it: every message and claim (V31 found the same for the JSON helpers).
-- Owned by the cluster package (the node table).
create or replace function loket_others_listen(p_node text) returns boolean
language plpgsql stable as $$
begin
    return exists (select 1 from node n where n.id <> p_node::uuid);
end
$$;
