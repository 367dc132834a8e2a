-- One definition of an agent's status, used by claims, wait estimates and the agents list:
-- online = has a connection on some node; status = offline, away or available; held = active
-- conversations now; available = may be offered work (active account, online, not away).
create view agent_status as
select u.id, u.username, u.display_name, u.roles, u.topics, u.max_concurrent, u.active, u.chosen_status,
       p.online,
       case when not p.online then 'offline' else u.chosen_status end as status,
       (u.active and p.online and u.chosen_status = 'available') as available,
       (select count(*) from conversation c where c.assigned_agent = u.id and c.state = 'active')::int as held
from app_user u,
     lateral (select exists (select 1 from presence pr where pr.kind = 'agent' and pr.subject = u.id) as online) p;
