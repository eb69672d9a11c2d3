-- wrk script: signed request creations. Every request POSTs one signed
-- request from BENCH_SIGNED_DIR/<BENCH_STAGE>.jsonl (one envelope per line,
-- each used once; bench/run prepares one file for the warm-up and one for the
-- measured run) to
-- /api/v1/requests/signed as the demo officer: the hub verifies the officer's
-- signature, the certificate chain and revocation, records the nonce and
-- request id, and commits the request as submitted.
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  thread:set("stride", tonumber(common.env("BENCH_THREADS_N")))
  table.insert(threads, thread)
end

local bodies = {}
local next_body = 1

function init(args)
  -- Each thread takes every stride-th line, so no envelope is sent twice.
  local n = 0
  local file = common.env("BENCH_SIGNED_DIR") .. "/" .. common.env("BENCH_STAGE") .. ".jsonl"
  for line in io.lines(file) do
    n = n + 1
    if (n - index) % stride == 0 then bodies[#bodies + 1] = line end
  end
  next_body = 1
end

function request()
  local body = bodies[next_body]
  if body == nil then
    error("bench: out of signed requests; raise BENCH_SIGNED_PER_SECOND")
  end
  next_body = next_body + 1
  return wrk.format("POST", "/api/v1/requests/signed", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. common.env("BENCH_OFFICER_TOKEN"),
  }, body)
end

done = common.done
