-- wrk script: GET /api/v1/areas/locate at random points of the demo county's
-- bounding box (沈丘县, WGS-84), with the bearer token from the environment.
local token = os.getenv("TOKEN")
math.randomseed(411624)
request = function()
  local lng = 115.00 + math.random() * 0.34
  local lat = 33.17 + math.random() * 0.27
  return wrk.format("GET", string.format("/api/v1/areas/locate?lng=%.6f&lat=%.6f", lng, lat),
    { ["Authorization"] = "Bearer " .. token })
end
