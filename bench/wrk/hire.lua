-- make bench: hirings with PASS IAE issuance. Run with as many threads as connections: each thread is one employer
-- with one connection, who goes through the accept wizard application after application, as in a browser:
-- contract step (POST), confirmation page (GET), « Confirmer l'embauche » (POST).
-- Argument: the folder of bench_prepare's client files (client-<n>.txt: cookie, CSRF token, then "path<TAB>body").

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("id", thread_count)
   table.insert(threads, thread)
end

hires = 0
refusals = 0
local contracts = {}
local index, step = 1, 1
local cookie, csrf

function init(args)
   local lines = io.lines(args[1] .. "/client-" .. id .. ".txt")
   cookie, csrf = lines(), lines()
   for line in lines do
      local path, body = line:match("^([^\t]+)\t(.*)$")
      contracts[#contracts + 1] = { path = path, body = body }
   end
end

local function post(path, body)
   return wrk.format("POST", path, {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
   }, body .. "&csrfmiddlewaretoken=" .. csrf)
end

function request()
   local contract = contracts[index]
   if contract == nil then
      wrk.thread:stop()  -- every prepared application is hired: bench_prepare sizes them for the duration
      return wrk.format("GET", "/sante/")
   end
   if step == 1 then
      return post(contract.path, contract.body)
   elseif step == 2 then
      return wrk.format("GET", contract.path, { ["Cookie"] = cookie })
   end
   return post(contract.path, "action=confirm")
end

function response(status, headers, body)
   if step < 3 then
      step = step + 1
      return
   end
   -- A hiring redirects to the application's page; anything else (the wizard again, an error) is no hiring.
   local location = headers["Location"] or ""
   if status == 302 and not location:find("accepter", 1, true) then
      hires = hires + 1
   else
      refusals = refusals + 1
   end
   step, index = 1, index + 1
end

function done(summary, latency, requests)
   local hires_total, refusals_total = 0, 0
   for _, thread in ipairs(threads) do
      hires_total = hires_total + thread:get("hires")
      refusals_total = refusals_total + thread:get("refusals")
   end
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
      '"hires": %d, "refusals": %d, "http_errors": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.max, hires_total, refusals_total, summary.errors.status))
end
