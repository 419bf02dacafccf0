-- wrk script: GET a statistics rollup for areas read from AREAS (one code a
-- line), in turn, so a run touches many nodes' counters rather than one:
-- QUERY is the path and query with %s where the code goes. Bearer token from
-- TOKEN.
local token = os.getenv("TOKEN")
local query = os.getenv("QUERY")
local codes = {}
for line in io.lines(os.getenv("AREAS")) do
  if #line > 0 then codes[#codes + 1] = line end
end
local i = 0
setup = function(thread)
  i = i + 1
  thread:set("start", i * 7919)
end
request = function()
  start = start + 1
  local path = string.format(query, codes[(start % #codes) + 1])
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
