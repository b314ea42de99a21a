-- wrk script for bench/run: signed-in GETs and a JSON summary.
--   wrk -t2 -c20 -d10s -s bench/wrk_session.lua http://127.0.0.1:8791/path -- COOKIE_NAME KEY1 KEY2 ...
-- Each request carries one of the session keys in turn (several users' sessions, so that the
-- per-request session save does not queue on a single row). done() prints one JSON line.
-- With "Bearer" as the name, each key is an API token sent as `Authorization: Bearer KEY`.
local cookies = {}
local header = "Cookie"
local counter = 0

function init(args)
  local name = args[1]
  for i = 2, #args do
    if name == "Bearer" then
      header = "Authorization"
      cookies[#cookies + 1] = "Bearer " .. args[i]
    else
      cookies[#cookies + 1] = name .. "=" .. args[i]
    end
  end
  counter = math.random(1, 1000)
end

function request()
  counter = counter + 1
  local headers = {}
  if #cookies > 0 then
    headers[header] = cookies[(counter % #cookies) + 1]
  end
  return wrk.format("GET", nil, headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non_2xx_3xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
