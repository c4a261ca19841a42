-- Each request posts to one of the 1,000 sessions bench serve opens streams on, in turn.
local counter = 0
request = function()
  counter = counter + 1
  local path = "/v1/sessions/s" .. (counter % 1000) .. "/messages"
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, '{"text": "ping"}')
end
