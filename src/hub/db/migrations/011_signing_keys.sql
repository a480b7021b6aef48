-- The public half of every key the hub has signed certificates with. A key stays
-- listed after it is replaced, so certificates it signed keep verifying; the
-- private key is never stored here (it is HUB_SIGNING_KEY, or with PGlite a file
-- in the data directory).
create table signing_key (
  kid text primary key,
  public_jwk jsonb not null,
  added timestamptz not null default now()
);
