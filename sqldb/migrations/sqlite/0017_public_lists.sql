-- A member can make a list public: anyone with its address sees who is on
-- it and can follow them all in one click ("people in social care worth
-- following").
ALTER TABLE lists ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
