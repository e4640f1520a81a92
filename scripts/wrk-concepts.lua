-- wrk script: concept pages of random concepts 1..N (N from the environment
-- variable CONCEPTS, default 1523), so that light and heavy concepts mix as they
-- are in the termbase.
local n = tonumber(os.getenv("CONCEPTS") or "1523")
math.randomseed(7)
request = function()
  return wrk.format("GET", "/concepts/" .. math.random(1, n))
end
