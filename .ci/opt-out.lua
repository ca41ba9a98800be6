-- One valid opt-out per request, as a browser without JavaScript posts it,
-- each from its own address, as a crowd of customers would send them.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local sent = 0
function request()
  sent = sent + 1
  local body = "full_name=Bench+Customer&email=bench-" .. (thread_id or 0) .. "-" .. sent .. "%40example.com"
    .. "&phone=555-123-4567&postal_address=1+Test+Road%2C+Springfield&account_number=A-1001"
    .. "&scope=all_sharing&joint_account=not_joint"
  return wrk.format(nil, nil, nil, body)
end
