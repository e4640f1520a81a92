-- wrk script: the search API over the queries of a file (one a line, path in the
-- environment variable QUERIES), percent-encoded, in turn.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if #line > 0 then
    queries[#queries + 1] = line:gsub("([^%w%-_%.~])", function(c) return string.format("%%%02X", string.byte(c)) end)
  end
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/search?limit=20&q=" .. queries[i])
end
