-- The soak's mix, one request at a time per connection: 40 % opt-outs
-- (each to an address of its own, as a crowd would post them), 30 %
-- tracking pages of earlier submissions, 30 % staff pages (the queue, a
-- case, the dashboard) as a signed-in manager. Counts answers by class.
local counter = 0
local threads = {}

local function lines(path)
  local list = {}
  for line in io.lines(path) do
    if line ~= "" then list[#list + 1] = line end
  end
  return list
end

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  tracking = lines(os.getenv("SOAK_TRACKING"))
  cases = lines(os.getenv("SOAK_CASES"))
  cookie = os.getenv("SOAK_COOKIE")
  staff_pages = { "/staff", "/staff?status=all&sort=newest", "/staff/dashboard", "/staff/mail" }
  answers = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }
  math.randomseed(id * 7919 + os.time())
end

function request()
  local pick = math.random(100)
  if pick <= 40 then
    counter = counter + 1
    local body = "full_name=Soak+Customer&email=soak-" .. id .. "-" .. counter .. "%40example.com"
      .. "&phone=555-123-4567&postal_address=1+Test+Road%2C+Springfield&account_number=A-1001"
      .. "&scope=all_sharing&joint_account=not_joint"
    return wrk.format("POST", "/opt-out",
      { ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "text/html" }, body)
  elseif pick <= 70 then
    return wrk.format("GET", tracking[math.random(#tracking)])
  elseif pick <= 80 then
    return wrk.format("GET", "/staff/requests/" .. cases[math.random(#cases)], { ["Cookie"] = cookie })
  else
    return wrk.format("GET", staff_pages[math.random(#staff_pages)], { ["Cookie"] = cookie })
  end
end

function response(status, headers, body)
  local class = math.floor(status / 100) .. "xx"
  answers[class] = (answers[class] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for class, n in pairs(thread:get("answers")) do
      total[class] = (total[class] or 0) + n
    end
  end
  io.write(string.format("answers: 2xx %d, 3xx %d, 4xx %d, 5xx %d\n",
    total["2xx"] or 0, total["3xx"] or 0, total["4xx"] or 0, total["5xx"] or 0))
  io.write(string.format("latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("timeouts: %d, connect errors: %d, read errors: %d, write errors: %d\n",
    summary.errors.timeout, summary.errors.connect, summary.errors.read, summary.errors.write))
end
