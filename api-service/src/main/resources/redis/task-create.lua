-- Records a new task as PENDING: the one place a task entry is made, always with its creation data.
-- N: the names of statuses, hash fields and counters, from TaskStatus, TaskRecord and TaskKeys (RedisScript
-- prepends the table; TaskStore.NAMES lists them).
-- KEYS: 1 the task hash, 2 its timeline, 3 the recent-task index, 4 the owner's pending counter, 5 the stats prefix,
-- 6 the task's discard marker
-- ARGV: see TaskStore.Create; then field/value pairs of the task
local task, timeline, recent, pending, statsPrefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local taskId, status, retention, maxPending = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local channel, recentCount, recentAge = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local timelineLength, statsTtl, at, announce = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10], ARGV[11] == '1'
local FIELDS = 12

-- Already there (a replayed request, or a retried call): nothing to do, whatever its status now. Rolled back already
-- (this create reached Redis after its rollback, on a connection the API had given up): not made again.
if redis.call('EXISTS', task) == 1 or redis.call('EXISTS', KEYS[6]) == 1 then
  return 0
end
if maxPending >= 0 and tonumber(redis.call('GET', pending) or '0') >= maxPending then
  return -1
end

local now
if at == '' then
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
else
  now = tonumber(at)
end
local nowText = string.format('%.0f', now)

redis.call('INCR', pending)
redis.call('PEXPIRE', pending, retention)
redis.call('HSET', task, N.STATUS, status, N.CREATED_MS, nowText, unpack(ARGV, FIELDS))
redis.call('PEXPIRE', task, retention)
redis.call('LPUSH', timeline, cjson.encode({status = status, at = now}))
redis.call('LTRIM', timeline, 0, timelineLength - 1)
redis.call('PEXPIRE', timeline, retention)
redis.call('ZADD', recent, nowText, taskId)
redis.call('ZREMRANGEBYSCORE', recent, '-inf', string.format('(%.0f', now - recentAge))
redis.call('ZREMRANGEBYRANK', recent, 0, -recentCount - 1)
local minute = math.floor(now / 60000)
local stats = statsPrefix .. string.format('%.0f', minute)
redis.call('HINCRBY', stats, N.CREATED, 1)
redis.call('PEXPIREAT', stats, string.format('%.0f', minute * 60000 + statsTtl))
if announce then
  redis.call('PUBLISH', channel, cjson.encode({taskId = taskId, status = status}))
end
return 1
