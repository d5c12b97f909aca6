-- A member hides a whole server (domain_block.go): the posts and
-- notifications of accounts whose domain is the blocked one or a
-- subdomain of it. domain is normalised: lower-case ASCII (punycode).
CREATE TABLE domain_blocks (
  id         BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  domain     TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX domain_blocks_account_domain ON domain_blocks (account_id, domain);
