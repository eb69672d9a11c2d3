-- Shared by the bench/*.lua wrk scripts: reads the settings bench/run passes
-- in the environment and prints one machine-readable result line when done.
local M = {}

function M.env(name)
  local v = os.getenv(name)
  if v == nil or v == "" then error("bench: " .. name .. " is not set") end
  return v
end

function M.read_file(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- One line that bench/run parses; latencies in microseconds.
function M.done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_s=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end

return M
