-- wrk straight at DynamoDB (Local): the backend's own ceiling for the requests behind Imagery's routes.
-- env: DYNAMODB_OP=get|put  TABLE=imagery-image  GET_ID=<an item's id>  AWS_ACCESS_KEY_ID
-- DynamoDB Local checks that a request is signed with a known key, not the signature itself, so a fixed
-- header stands in for SigV4 (real DynamoDB would refuse it).
local op = os.getenv("DYNAMODB_OP") or "get"
local tbl = os.getenv("TABLE") or "imagery-image"
local key = os.getenv("AWS_ACCESS_KEY_ID") or "imagery"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Date"] = "20260101T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=" .. key
    .. "/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"

-- Each wrk thread numbers its items apart from the others' (one Lua state per thread).
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
local run
local function uuid()
  if not run then -- random per run and thread, so the warm-up's items never collide with the run's
    local f = io.open("/dev/urandom", "rb")
    local b1, b2, b3, b4 = f:read(4):byte(1, 4)
    f:close()
    run = ((b1 * 256 + b2) * 256 + b3) * 256 + b4
  end
  counter = counter + 1
  return string.format("%08x-%04x-4000-8000-%012x", run, tid, counter)
end

request = function()
  if op == "put" then
    -- As POST /image: a new item, never overwriting (the version attribute's condition).
    wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.PutItem"
    local body = string.format('{"TableName":"%s","Item":{"id":{"S":"%s"},"state":{"S":"created"},'
        .. '"version":{"N":"0"}},"ConditionExpression":"attribute_not_exists(#v)",'
        .. '"ExpressionAttributeNames":{"#v":"version"}}', tbl, uuid())
    return wrk.format(nil, nil, nil, body)
  end
  -- As GET /image/{id}: one strongly consistent read.
  wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
  local body = string.format('{"TableName":"%s","Key":{"id":{"S":"%s"}},"ConsistentRead":true}',
      tbl, os.getenv("GET_ID"))
  return wrk.format(nil, nil, nil, body)
end
