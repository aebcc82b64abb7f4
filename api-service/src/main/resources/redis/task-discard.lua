-- Removes a task that could not be queued, and gives its owner's slot back only if this call removed it while it was
-- still unfinished: a repeated rollback cannot count it out twice, nor can a rollback after the fold of its outcome
-- (a request that reached the log although its send timed out), which gave the slot back already. It leaves the
-- dashboard's history too, and a marker that stops a create arriving after it (on another connection) from making
-- the task again.
-- N: the names of statuses and hash fields (RedisScript prepends the table; TaskStore.NAMES lists them).
-- KEYS: 1 the task hash, 2 its timeline, 3 the recent-task index, 4 the owner's pending counter, 5 the discard marker
-- ARGV: 1 the task id, 2 the retention (ms)
local status = redis.call('HGET', KEYS[1], N.STATUS)
if redis.call('DEL', KEYS[1]) == 1 and (status == N.PENDING or status == N.STARTED)
    and tonumber(redis.call('GET', KEYS[4]) or '0') > 0 then
  redis.call('DECR', KEYS[4])
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SET', KEYS[5], '1', 'PX', ARGV[2])
return 1
