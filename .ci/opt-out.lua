-- One valid opt-out per request, as a browser without JavaScript posts it,
-- each from its own address, as a crowd of customers would send them. The
-- addresses carry the second the run began: the benchmark runs wrk once per
-- level on one database, and a level that posted the addresses of the one
-- before was a crowd of people asking twice (each submission then also
-- marked as a likely duplicate, in a transaction of its own).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local sent = 0
function init(args)
  run = os.time()
end

function request()
  sent = sent + 1
  local body = "full_name=Bench+Customer&email=bench-" .. run .. "-" .. (thread_id or 0) .. "-" .. sent .. "%40example.com"
    .. "&phone=555-123-4567&postal_address=1+Test+Road%2C+Springfield&account_number=A-1001"
    .. "&scope=all_sharing&joint_account=not_joint"
  return wrk.format(nil, nil, nil, body)
end
