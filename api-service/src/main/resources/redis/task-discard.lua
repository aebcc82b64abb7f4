-- Removes a task that could not be queued, and gives its owner's slot back only if this call removed it, so a
-- repeated rollback cannot count it out twice. It leaves the dashboard's history too.
-- KEYS: 1 the task hash, 2 its timeline, 3 the recent-task index, 4 the owner's pending counter
-- ARGV: 1 the task id
if redis.call('DEL', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[4]) or '0') > 0 then
  redis.call('DECR', KEYS[4])
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
