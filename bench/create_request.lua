-- wrk script: durable request creations. Every request POSTs the demo draft
-- (BENCH_DRAFT_FILE) as the demo officer (BENCH_OFFICER_TOKEN); each one is a
-- new request row, event and commit-acknowledged write.
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

wrk.method = "POST"
wrk.path = "/api/v1/requests"
wrk.body = common.read_file(common.env("BENCH_DRAFT_FILE"))
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. common.env("BENCH_OFFICER_TOKEN")

done = common.done
