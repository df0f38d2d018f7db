-- make bench: one key page under load. Optional argument: a file of paths of the same page, visited in turn (each
-- thread starts at another line). Prints one line "BENCH {json}" with the latency percentiles and every answer that
-- is not a 200 (a redirect to the login page would otherwise pass for a fast page).

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("id", thread_count)
   table.insert(threads, thread)
end

local paths = nil
local next_path = 1
unexpected = 0

function init(args)
   if args[1] then
      paths = {}
      for line in io.lines(args[1]) do
         paths[#paths + 1] = line
      end
      next_path = (id * 97) % #paths + 1
   end
end

function request()
   if paths then
      local path = paths[next_path]
      next_path = next_path % #paths + 1
      return wrk.format("GET", path)
   end
   return wrk.request()
end

function response(status, headers, body)
   if status ~= 200 then
      unexpected = unexpected + 1
   end
end

function done(summary, latency, requests)
   local unexpected_total = 0
   for _, thread in ipairs(threads) do
      unexpected_total = unexpected_total + thread:get("unexpected")
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
      '"unexpected_status": %d, "socket_errors": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.max, unexpected_total, errors.connect + errors.read + errors.write + errors.timeout))
end
