-- wrk script: POST /api/v1/events, each request a new event with its own
-- idempotency key, at a point inside the demo county (read from POINTS, a
-- file of "lng lat" lines that bench/run.sh located beforehand), with the
-- bearer token from the environment. The answer (201) comes after the
-- commit: located, inserted, its timeline entry and audit row durable.
local token = os.getenv("TOKEN")
local run = os.getenv("RUN") or "0"
local points = {}
for line in io.lines(os.getenv("POINTS")) do
  local lng, lat = line:match("^(%S+) (%S+)$")
  points[#points + 1] = { lng, lat }
end
local minors = { "1302", "2901", "2902", "1303", nil }
local sources = { "grid_worker", "hotline", "inspection", "video" }

local threads, n = 0, 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

math.randomseed(411624)
request = function()
  n = n + 1
  local p = points[math.random(#points)]
  local minor = minors[math.random(#minors)]
  local body = string.format(
    '{"source":"%s","description":"基准测试上报 %d-%d：路面破损需要修复","lng":%s,"lat":%s,' ..
    '%s"idempotency_key":"bench-%d-%d-%d"}',
    sources[math.random(#sources)], tid, n, p[1], p[2],
    minor and string.format('"minor":"%s",', minor) or "", run, tid, n)
  return wrk.format("POST", "/api/v1/events",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
