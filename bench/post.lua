-- wrk script: POST the JSON file named after "--" on the command line
local body
function init(args)
  local file = assert(io.open(args[1], "rb"))
  body = file:read("*a")
  file:close()
end
function request()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
