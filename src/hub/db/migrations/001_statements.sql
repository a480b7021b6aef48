-- Statements, the agents and activities they mention, attachments and API keys.
-- A statement is stored whole as jsonb (exactly what GET returns) beside the
-- columns the queries filter on; link tables record every agent and activity a
-- statement mentions and where (usage), so agent/activity filters and their
-- related_* forms are index lookups.

create table statement (
  -- Insertion order: paging, since/until ties and "ascending" follow it.
  seq bigint generated always as identity unique,
  id uuid primary key,
  -- The statement as the LRS returns it, with id, stored, authority and version set.
  body jsonb not null,
  verb_iri text not null,
  registration uuid,
  stored timestamptz not null,
  -- True once a voiding statement targeting this one is stored.
  voided boolean not null default false,
  -- For a voiding statement, the id it voids.
  voids uuid
);
create index statement_stored on statement (stored, seq);
create index statement_verb on statement (verb_iri, seq);
create index statement_registration on statement (registration, seq) where registration is not null;
create index statement_voids on statement (voids) where voids is not null;

-- Link tables carry no foreign keys: only the hub writes them, in the statement's own
-- transaction, and a per-row check would cost more than the insert.

-- Every agent a statement mentions. usage: actor, object, authority, instructor, team,
-- and sub_actor, sub_object, sub_instructor, sub_team inside a SubStatement. Group
-- members are recorded with their group's usage.
create table statement_agent (
  seq bigint not null,
  agent_key text not null,
  usage text not null
);
create index statement_agent_key on statement_agent (agent_key, seq);

-- Every activity a statement mentions. usage: object, parent, grouping, category, other,
-- and sub_object, sub_parent, … inside a SubStatement.
create table statement_activity (
  seq bigint not null,
  activity_iri text not null,
  usage text not null
);
create index statement_activity_iri on statement_activity (activity_iri, seq);

-- Statements a statement refers to with a StatementRef object (voiding, and filters
-- that follow references).
create table statement_ref (
  seq bigint not null,
  target uuid not null
);
create index statement_ref_target on statement_ref (target);

-- One row per agent identity seen in statements (key from agent-key.ts): the Agents
-- resource builds a Person from it.
create table agent (
  agent_key text primary key,
  -- The identifier as an Agent object: objectType and one of mbox, mbox_sha1sum, openid, account.
  ifi jsonb not null,
  names text[] not null default '{}',
  updated timestamptz not null
);

-- The canonical definition of each activity: the latest one stored (the Activities resource).
create table activity (
  iri text primary key,
  definition jsonb,
  updated timestamptz not null
);

-- Attachment content, addressed by its SHA-2 hash; statements list the hashes they carry.
create table attachment (
  sha2 text primary key,
  content_type text not null,
  content bytea not null
);

-- Systems that call the hub with Basic auth: key is the user name, the secret the password.
create table api_key (
  key text primary key,
  name text not null,
  -- SHA-256 of the secret, hex; the secret itself is shown once and never stored.
  secret_sha256 text not null,
  scopes text[] not null,
  created timestamptz not null default now(),
  revoked timestamptz
);
