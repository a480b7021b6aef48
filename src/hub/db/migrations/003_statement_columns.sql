-- The agents and activity almost every query names move onto the statement row:
-- the actor, an Agent or Group object, the authority (agent keys from agent-key.ts)
-- and an Activity object's IRI. A statement then writes one row and its index
-- entries instead of a row per mention. statement_agent and statement_activity keep
-- only the other mentions (group members, instructor, team, context activities,
-- everything inside a SubStatement), which related_agents, related_activities and
-- group members need.

alter table statement
  add column actor_key text,
  add column object_agent_key text,
  add column object_activity text,
  add column authority_key text;

-- The key agent-key.ts gives an Agent or identified Group; null for an anonymous group.
-- Used only to move existing statements across, then dropped.
create function hub_003_agent_key(agent jsonb) returns text language sql immutable as $$
  select case
    when jsonb_typeof(agent -> 'mbox') = 'string' then 'mbox:' || (agent ->> 'mbox')
    when jsonb_typeof(agent -> 'mbox_sha1sum') = 'string' then 'mbox_sha1sum:' || lower(agent ->> 'mbox_sha1sum')
    when jsonb_typeof(agent -> 'openid') = 'string' then 'openid:' || (agent ->> 'openid')
    when jsonb_typeof(agent -> 'account' -> 'homePage') = 'string' and jsonb_typeof(agent -> 'account' -> 'name') = 'string'
      then 'account:' || array_to_json(array[agent -> 'account' ->> 'homePage', agent -> 'account' ->> 'name'])::text
  end
$$;

update statement set
  actor_key = hub_003_agent_key(body -> 'actor'),
  object_agent_key = case when body -> 'object' ->> 'objectType' in ('Agent', 'Group') then hub_003_agent_key(body -> 'object') end,
  object_activity = case when coalesce(body -> 'object' ->> 'objectType', 'Activity') = 'Activity' then body -> 'object' ->> 'id' end,
  authority_key = hub_003_agent_key(body -> 'authority');

-- The link rows the columns now hold.
delete from statement_agent a using statement s
where a.seq = s.seq
  and ((a.usage = 'actor' and a.agent_key = s.actor_key)
    or (a.usage = 'object' and a.agent_key = s.object_agent_key)
    or (a.usage = 'authority' and a.agent_key = s.authority_key));

delete from statement_activity a using statement s
where a.seq = s.seq and a.usage = 'object' and a.activity_iri = s.object_activity;

drop function hub_003_agent_key(jsonb);

create index statement_actor on statement (actor_key, seq);
create index statement_object_agent on statement (object_agent_key, seq) where object_agent_key is not null;
create index statement_object_activity on statement (object_activity, seq);
create index statement_authority on statement (authority_key, seq);
