-- Where each confirmed learner stands, derived from their statements by the same
-- src/lib/progress and src/lib/report code the file-drop lead view uses. A cached
-- projection: `npm run hub -- progress rebuild` derives it again from statements,
-- and the lead's matrix reads only these tables, filtered and paged in SQL.

create table learner_progress (
  person_id uuid primary key references person (id) on delete cascade,
  -- The learner's xAPI agent key (agent-key.ts): statements are found by it.
  agent_key text not null unique,
  role_id text not null,
  -- The role's status as the matrix shows it: complete, due, expired or incomplete.
  status text not null,
  -- The matrix row: one cell per requirement, with completion and renewal days.
  row jsonb not null,
  -- Which content the row was derived against (matrix and item versions).
  content_version text not null,
  -- The newest statement the row includes; a learner whose newest is the same is not derived again.
  last_seq bigint not null,
  derived timestamptz not null,
  -- When a status changes by the calendar alone (an item falls due or expires): derived again then.
  stale_after timestamptz
);
create index learner_progress_stale on learner_progress (stale_after) where stale_after is not null;

-- One row per required item of each learner: renewals coming up, filters by item.
create table learner_item (
  person_id uuid not null references person (id) on delete cascade,
  item_id text not null,
  status text not null,
  completed_on date,
  renewal_on date,
  primary key (person_id, item_id)
);
create index learner_item_renewal on learner_item (renewal_on) where renewal_on is not null;

-- How far the projection has read the statement table (by seq). Statements newer than
-- a few seconds are read again on the next pass, so one committed late is never missed.
create table progress_cursor (
  id boolean primary key default true check (id),
  seq bigint not null
);
insert into progress_cursor (id, seq) values (true, 0);
