-- wrk script: sends each request with the next access token from the file
-- named by the TOKENS environment variable (one token a line), so a run
-- reads many members' timelines, as `starling bench` does.
--   TOKENS=tokens.txt wrk -t2 -c32 -d30s -s docs/wrk-tokens.lua http://127.0.0.1:8080/api/v1/timelines/home?limit=20
local tokens = {}
local i = 0

function init(args)
  for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do
    if line ~= "" then table.insert(tokens, line) end
  end
  i = math.random(#tokens)
end

function request()
  i = i % #tokens + 1
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. tokens[i] })
end
