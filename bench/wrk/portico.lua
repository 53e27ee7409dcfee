-- One wrk script for every load the benchmark drives, chosen by environment variables:
--   BENCH_MODE     get (default) | submit | sign_in | code_request
--   BENCH_HEADERS  extra headers, "Name: value" separated by "\n"
--   BENCH_SLUGS    submit: resource slugs to spread requests over, comma separated
--   BENCH_RUN      submit: a word that keeps this run's emails apart from other runs'
--   BENCH_EMAIL, BENCH_PASSWORD   sign_in: the staff account
--   BENCH_PARTNERS code_request: how many partner accounts (code-partner-N@...) to spread over
--   BENCH_GRANT    token: authorization_code | refresh_token
--   BENCH_VALUES   token: a file of single-use codes or refresh tokens, one per line
--   BENCH_REDIRECT token: the redirect_uri the codes were issued for
--   BENCH_OUT      file the summary is written to (JSON), read by bench/load.py
local mode = os.getenv("BENCH_MODE") or "get"
local threads = {}

local function form_encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  sent = 0
  slugs = {}
  for slug in string.gmatch(os.getenv("BENCH_SLUGS") or "", "[^,]+") do
    table.insert(slugs, slug)
  end
  for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
  if mode ~= "get" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  if mode == "token" then
    -- Each thread takes every n-th value, so no code or token is sent twice.
    values = {}
    local i = 0
    for line in io.lines(os.getenv("BENCH_VALUES")) do
      if i % tonumber(os.getenv("BENCH_THREADS") or "1") == thread_number - 1 then table.insert(values, line) end
      i = i + 1
    end
  end
  if mode == "sign_in" then
    wrk.path = "/api/sign_in"
    wrk.body = "email=" .. form_encode(os.getenv("BENCH_EMAIL")) .. "&password=" .. form_encode(os.getenv("BENCH_PASSWORD"))
  end
end

function request()
  if mode == "code_request" then
    -- No cookie: every request is a new browser asking for a code.
    sent = sent + 1
    local partners = tonumber(os.getenv("BENCH_PARTNERS") or "1")
    local email = string.format("code-partner-%d@partner.example.org", (sent * 2 + thread_number) % partners)
    -- Each from its own client address (the portal trusts the proxy header in the bench), so
    -- the per-client hourly limit counts what one client would ask, not the whole load.
    local client = string.format("10.%d.%d.%d", thread_number, math.floor(sent / 250) % 250, sent % 250)
    -- wrk.format takes the whole header set: the script's own ones, then this client's.
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["X-Forwarded-For"] = client
    return wrk.format("POST", "/api/send_sign_in_code", headers, "next=&code_email=" .. form_encode(email))
  end
  if mode == "token" then
    sent = sent + 1
    local value = values[sent]
    if value == nil then value = "exhausted" end
    local body
    if os.getenv("BENCH_GRANT") == "refresh_token" then
      body = "grant_type=refresh_token&refresh_token=" .. value
    else
      body = "grant_type=authorization_code&code=" .. value .. "&redirect_uri=" .. form_encode(os.getenv("BENCH_REDIRECT"))
    end
    return wrk.format("POST", "/oauth/token", nil, body)
  end
  if mode ~= "submit" then
    return wrk.request()
  end
  sent = sent + 1
  local slug = slugs[(sent % #slugs) + 1]
  local email = string.format("bench-%s-%d-%d@partner%d.example.org", os.getenv("BENCH_RUN") or "run", thread_number, sent, sent % 50)
  local body = "slug=" .. slug
    .. "&email=" .. form_encode(email)
    .. "&display_name=" .. form_encode("Bench Partner " .. sent)
    .. "&organisation=" .. form_encode("Partner Company " .. (sent % 50))
    .. "&justification=" .. form_encode("Needs access for the joint project, week " .. (sent % 52))
  return wrk.format("POST", "/api/submit_access_request", nil, body)
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "status_errors": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
  out:close()
end
