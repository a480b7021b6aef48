-- The hub's people and who may see what: organisations, admins, leads and
-- learners, enrolment links, learners' device credentials and one-time codes,
-- passkeys and sessions for staff, rate limits and the audit log.
-- Every secret (link token, device token, one-time code, session id) is kept only
-- as its SHA-256 hash, hex.

create table organisation (
  id uuid primary key,
  name text not null,
  district text not null default '',
  created timestamptz not null default now()
);

-- kind: 'admin' (the council), 'lead' (one or more organisations, in lead_organisation)
-- or 'learner' (exactly one organisation). A learner's xAPI actor is
-- { account: { homePage: <hub public URL>, name: id } }, so id is the account name.
-- status: learners start 'awaiting' until a lead of their organisation confirms
-- them; staff are 'confirmed' when created.
create table person (
  id uuid primary key,
  kind text not null check (kind in ('admin', 'lead', 'learner')),
  name text not null,
  role_id text,
  organisation_id uuid references organisation (id),
  status text not null default 'confirmed' check (status in ('awaiting', 'confirmed')),
  email text,
  email_confirmed timestamptz,
  created timestamptz not null default now(),
  confirmed timestamptz,
  confirmed_by uuid references person (id) on delete set null,
  last_active timestamptz,
  check ((kind = 'learner') = (organisation_id is not null))
);
create index person_organisation on person (organisation_id, status) where organisation_id is not null;

create table lead_organisation (
  person_id uuid not null references person (id) on delete cascade,
  organisation_id uuid not null references organisation (id) on delete cascade,
  primary key (person_id, organisation_id)
);
create index lead_organisation_organisation on lead_organisation (organisation_id);

-- A lead's link that lets staff of one organisation enrol.
create table enrolment_link (
  id uuid primary key,
  token_sha256 text not null unique,
  organisation_id uuid not null references organisation (id) on delete cascade,
  created_by uuid references person (id) on delete set null,
  label text not null default '',
  created timestamptz not null default now(),
  expires timestamptz not null,
  max_uses integer not null check (max_uses > 0),
  uses integer not null default 0,
  revoked timestamptz
);

-- Which link each learner enrolled through (the lead sees it beside the enrolment).
alter table person add column enrolled_by_link uuid references enrolment_link (id) on delete set null;

-- A learner's credential on one browser: a random 256-bit Bearer token.
create table device (
  id uuid primary key,
  person_id uuid not null references person (id) on delete cascade,
  token_sha256 text not null unique,
  label text not null default '',
  shared boolean not null default false,
  created timestamptz not null default now(),
  last_used timestamptz not null default now(),
  -- Set for a shared computer: the end of the day it was signed in on.
  expires timestamptz,
  revoked timestamptz
);
create index device_person on device (person_id);

-- "Continue on another device": a one-time code for a learner, valid 10 minutes.
create table device_code (
  code_sha256 text primary key,
  person_id uuid not null references person (id) on delete cascade,
  created timestamptz not null default now(),
  expires timestamptz not null,
  used timestamptz,
  wrong_tries integer not null default 0
);
create index device_code_expires on device_code (expires);

-- One-time links that make an admin (the first from the command line) or a lead.
create table staff_invite (
  token_sha256 text primary key,
  kind text not null check (kind in ('admin', 'lead')),
  name text not null default '',
  organisation_ids uuid[] not null default '{}',
  created_by uuid references person (id) on delete set null,
  created timestamptz not null default now(),
  expires timestamptz not null,
  used timestamptz,
  -- Set when the invite resets a lead's passkeys: the person it signs in.
  person_id uuid references person (id) on delete cascade
);

create table passkey (
  -- The WebAuthn credential id, base64url.
  id text primary key,
  person_id uuid not null references person (id) on delete cascade,
  public_key bytea not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  name text not null default '',
  created timestamptz not null default now(),
  last_used timestamptz
);
create index passkey_person on passkey (person_id);

-- An OpenID Connect subject linked to a lead or admin.
create table oidc_identity (
  issuer text not null,
  subject text not null,
  person_id uuid not null references person (id) on delete cascade,
  primary key (issuer, subject)
);

-- Sessions for staff: the cookie holds the id, the table its hash.
create table staff_session (
  id_sha256 text primary key,
  person_id uuid not null references person (id) on delete cascade,
  csrf_token text not null,
  created timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  expires timestamptz not null
);
create index staff_session_person on staff_session (person_id);

-- WebAuthn and OIDC challenges waiting for their answer.
create table auth_challenge (
  id_sha256 text primary key,
  purpose text not null,
  challenge text not null,
  person_id uuid references person (id) on delete cascade,
  detail jsonb not null default '{}',
  expires timestamptz not null
);

-- Fixed-window counters for rate limits: bucket names the endpoint and the client.
create table rate_limit (
  bucket text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (bucket, window_start)
);

-- What happened, for admins. actor_id is null for the hub itself; an erasure
-- leaves only that it happened (subject and detail name nobody).
create table audit_log (
  seq bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  actor_name text not null default '',
  action text not null,
  subject text not null default '',
  detail jsonb not null default '{}'
);
create index audit_log_at on audit_log (at);
