-- Forwarding every stored statement to the council's own LRS. A trigger on statement
-- enqueues each new row in the same transaction that stores it, while forwarding is
-- on, so no statement is stored without being queued and none is queued unstored.
-- Hub processes claim queue rows with FOR UPDATE SKIP LOCKED and lease them by moving
-- next_attempt forward, so several processes share one queue without sending a row twice
-- at once, and a process that dies lets its rows go when the lease ends.

-- One row: whether forwarding is on, and where to, as the hub process last started set it.
create table forward_setting (
  only_row boolean primary key default true check (only_row),
  enabled boolean not null,
  endpoint text,
  updated timestamptz not null default now()
);
insert into forward_setting (enabled) values (false);

create table forward_queue (
  -- The statement row (statement.seq); a statement erased before it was sent is skipped.
  seq bigint primary key,
  enqueued timestamptz not null default now(),
  -- When a process may next claim it: at once for a new row (-infinity, so no clock between the hub
  -- and the database can delay it, and new rows go in the order they were stored), later after a
  -- failure (backoff) or while claimed (lease).
  next_attempt timestamptz not null default '-infinity',
  -- Sends tried, and how many of them the LRS refused this statement alone (400).
  attempts int not null default 0,
  refusals int not null default 0,
  -- True while a process holds it (its lease is next_attempt).
  claimed boolean not null default false,
  last_error text
);
create index forward_queue_due on forward_queue (next_attempt, seq);

-- Statements the LRS refused more than a few times: kept out of the queue until an admin retries them.
create table forward_dead_letter (
  seq bigint primary key,
  statement_id uuid not null,
  reason text not null,
  attempts int not null,
  enqueued timestamptz not null,
  failed timestamptz not null
);

-- Statement-level, with a transition table: one insert into the queue per batch, not one per row.
create function hub_forward_enqueue() returns trigger language plpgsql as $$
begin
  if exists (select 1 from forward_setting where enabled) then
    insert into forward_queue (seq) select seq from stored_rows on conflict (seq) do nothing;
  end if;
  return null;
end
$$;

create trigger statement_forward after insert on statement
  referencing new table as stored_rows
  for each statement execute function hub_forward_enqueue();
