-- One valid opt-out per request, as a browser without JavaScript posts it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "full_name=Bench+Customer&email=bench%40example.com&phone=555-123-4567"
  .. "&postal_address=1+Test+Road%2C+Springfield&account_number=A-1001"
  .. "&scope=all_sharing&joint_account=not_joint"
