-- Email reminders, when the council switches them on (SMTP_URL): a person's email
-- address (person.email, from migration 004) is used only once its owner has
-- confirmed it (person.email_confirmed) by a link sent to it, and never after the
-- mail server refused it outright (email_refused).

alter table person add column email_refused timestamptz;
-- What the mail server said when it refused the address, for the person and their lead.
alter table person add column email_refused_reason text not null default '';

-- A link that confirms an address: only its SHA-256 is kept; used once, then deleted.
create table email_confirmation (
  token_sha256 text primary key,
  person_id uuid not null references person (id) on delete cascade,
  email text not null,
  created timestamptz not null default now(),
  expires timestamptz not null
);
create index email_confirmation_person on email_confirmation (person_id);

-- Each email the reminder job decides to send, planned once (unique per person, kind
-- and key) and sent from this queue: claimed with FOR UPDATE SKIP LOCKED, so one hub
-- process sends it however many run. kind: 'renewal' (a learner's items expiring
-- within 30 days; key is the day it was planned) or 'summary' (a lead's week; key is
-- the Monday the week starts). status: queued → sending → sent, or refused (5xx at
-- RCPT), cancelled (the address went before it was sent) or failed (retries ran out).
-- The email's words are written when it is sent, from what the hub holds then.
create table email_message (
  id uuid primary key,
  person_id uuid not null references person (id) on delete cascade,
  kind text not null check (kind in ('renewal', 'summary')),
  key text not null,
  status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'refused', 'cancelled', 'failed')),
  attempts integer not null default 0,
  next_attempt timestamptz not null,
  last_error text not null default '',
  created timestamptz not null default now(),
  sent timestamptz,
  -- The SHA-256 of the "stop these emails" token the email carries.
  stop_sha256 text unique,
  unique (person_id, kind, key)
);
create index email_message_queue on email_message (next_attempt) where status = 'queued';

-- Which renewal each reminder covered: an item's renewal day is reminded once.
create table renewal_reminder (
  person_id uuid not null references person (id) on delete cascade,
  item_id text not null,
  renewal_on date not null,
  message_id uuid not null references email_message (id) on delete cascade,
  primary key (person_id, item_id, renewal_on)
);
create index renewal_reminder_message on renewal_reminder (message_id);
