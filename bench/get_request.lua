-- wrk script: authenticated reads. Every request GETs one submitted request
-- (BENCH_REQUEST_ID) as the provider's analyst (BENCH_ANALYST_TOKEN), so each
-- one authenticates the bearer token and loads the request from the store.
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

wrk.method = "GET"
wrk.path = "/api/v1/requests/" .. common.env("BENCH_REQUEST_ID")
wrk.headers["Authorization"] = "Bearer " .. common.env("BENCH_ANALYST_TOKEN")

done = common.done
