-- Home timelines merge in the posts of accounts above the fan-out limit
-- (10,000 followers by default) at read time, and so ask often which those
-- are. Only accounts above 1,000 followers are indexed: the index costs
-- follows nothing for nearly everyone.
CREATE INDEX accounts_large ON accounts (followers_count) WHERE followers_count > 1000;
