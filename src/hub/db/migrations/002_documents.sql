-- The xAPI document resources: State, Activity Profile and Agent Profile.
-- Each document is keyed by the parameters that name it, as the specification
-- does; the key is the primary key, so "one document per key" holds even when two
-- hub processes write at once. A document is kept as the bytes the client sent
-- (any content type, binary included) with its content type, the ETag the LRS
-- returns (quoted SHA-1 of the bytes) and when it last changed.
-- agent_key is the canonical identity from agent-key.ts, as statements use.

create table state_document (
  activity_iri text not null,
  agent_key text not null,
  -- The registration UUID in lower case, or '' when the request named none: a
  -- plain text column keeps "no registration" inside the primary key and its index.
  registration text not null default '',
  state_id text not null,
  content_type text not null,
  content bytea not null,
  etag text not null,
  updated timestamptz not null,
  primary key (activity_iri, agent_key, registration, state_id)
);

create table activity_profile_document (
  activity_iri text not null,
  profile_id text not null,
  content_type text not null,
  content bytea not null,
  etag text not null,
  updated timestamptz not null,
  primary key (activity_iri, profile_id)
);

create table agent_profile_document (
  agent_key text not null,
  profile_id text not null,
  content_type text not null,
  content bytea not null,
  etag text not null,
  updated timestamptz not null,
  primary key (agent_key, profile_id)
);
