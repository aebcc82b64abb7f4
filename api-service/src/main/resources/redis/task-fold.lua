-- Folds a worker's event into a task: forward only, and never into a task that has no entry (its creation data
-- comes from the API or from a rebuild, never from a completion event).
-- N: the names of statuses, hash fields and counters, from TaskStatus, TaskRecord and TaskKeys (RedisScript
-- prepends the table; TaskStore.NAMES lists them).
-- KEYS: 1 the task hash, 2 its timeline, 3 workers seen, 4 tasks done per worker, 5 the pending-counter prefix,
--       6 the stats prefix, 7 the view's marker (TaskKeys.VIEW_BUILT_FOR)
-- ARGV: see TaskStore.Fold; then field/value pairs of the event
local task, timeline, workersSeen, workersDone, pendingPrefix, statsPrefix, viewMarker = KEYS[1], KEYS[2], KEYS[3],
  KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local taskId, status, replaces, terminal = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'
local retention, channel, timelineLength, statsTtl = ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local workersAge, at, announce, startedAt = tonumber(ARGV[9]), ARGV[10], ARGV[11] == '1', tonumber(ARGV[12])
local FIELDS = 13

local current = redis.call('HMGET', task, N.STATUS, N.OWNER, N.CREATED_MS)
if not current[2] then
  -- No task, and no view either: Redis restarted empty and the view is not rebuilt yet (-3: fold again after it).
  if redis.call('EXISTS', viewMarker) == 0 then
    return -3
  end
  return -2
end
-- replaces: the statuses this one may move on from, space-separated (TaskStatus.canMoveTo decides, in Java).
if not string.find(' ' .. replaces .. ' ', ' ' .. current[1] .. ' ', 1, true) then
  return 0
end

local now
if at == '' then
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
else
  now = tonumber(at)
end
local nowText = string.format('%.0f', now)

redis.call('HSET', task, N.STATUS, status, unpack(ARGV, FIELDS))
redis.call('PEXPIRE', task, retention)
local worker = redis.call('HGET', task, N.WORKER)
local entry = {status = status, at = now}
-- A task that ended before its worker announced STARTED (the worker waits a little first) still shows when it started.
if terminal and current[1] == N.PENDING and startedAt then
  local started = {status = N.STARTED, at = startedAt}
  if worker then
    started.worker = worker
  end
  redis.call('LPUSH', timeline, cjson.encode(started))
end
if worker then
  entry.worker = worker
  redis.call('ZADD', workersSeen, nowText, worker)
  local idle = redis.call('ZRANGEBYSCORE', workersSeen, '-inf', string.format('(%.0f', now - workersAge))
  for _, gone in ipairs(idle) do
    redis.call('ZREM', workersSeen, gone)
    redis.call('HDEL', workersDone, gone)
  end
end
redis.call('LPUSH', timeline, cjson.encode(entry))
redis.call('LTRIM', timeline, 0, timelineLength - 1)
redis.call('PEXPIRE', timeline, retention)
if terminal then
  local pending = pendingPrefix .. current[2]
  if tonumber(redis.call('GET', pending) or '0') > 0 then
    redis.call('DECR', pending)
  end
  if worker then
    redis.call('HINCRBY', workersDone, worker, 1)
  end
  local minute = math.floor(now / 60000)
  local stats = statsPrefix .. string.format('%.0f', minute)
  redis.call('HINCRBY', stats, status == N.SUCCESS and N.SUCCEEDED or N.FAILED, 1)
  local created = tonumber(current[3])
  if created then
    redis.call('HINCRBY', stats, N.LATENCY_MS_SUM, string.format('%.0f', now - created))
    redis.call('HINCRBY', stats, N.LATENCY_COUNT, 1)
  end
  redis.call('PEXPIREAT', stats, string.format('%.0f', minute * 60000 + statsTtl))
end
if announce then
  redis.call('PUBLISH', channel, cjson.encode({taskId = taskId, status = status}))
end
return 1
