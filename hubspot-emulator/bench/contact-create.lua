-- wrk script: POST /crm/v3/objects/contacts with a unique email per request (thread id + counter), keep-alive.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("EMULATOR_TOKEN")
  run = os.getenv("BENCH_RUN") or "r"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"properties":{"email":"bench-%s-%d-%d@example.com","firstname":"Bench","lastname":"User%d","phone":"+1555%07d"}}',
    run, tid, counter, counter, counter % 10000000)
  return wrk.format("POST", "/crm/v3/objects/contacts",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function response(status, headers, body)
  if status ~= 201 then
    errors = (errors or 0) + 1
  end
end
