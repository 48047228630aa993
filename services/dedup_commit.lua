-- Publishing one revision of an article, after its NLP: atomic per article, so two revisions
-- whose NLP ends in any order (other batches, other workers, a replay) are published in
-- revision order or not at all.
--
-- Claim fields written here (see dedup_claim.lua for the rest):
--   crev       the revision published last (absent: none yet)
--   ch         its content hash (32 bytes)
--   e1..eN     its event ids, "\n"-joined, cut into 64-byte fields ("ne" = N)
--   t1..tN     event ids it retracted: those of the revision before it that it no longer has
--   cs, csh    the revision it replaced for consumers, and that revision's content hash
--
-- KEYS[1]  claim hash of the article
-- ARGV: revision, event ids ("\n"-joined), content hash (32 bytes)
-- Reply: {"published", replaced revision (0: none), its content hash, retracted ids "\n"-joined}
--     or {"superseded", signature of the latest revision ("" if none)} when a later revision
--        was published first: nothing of this one may be published after it.

local claim_key = KEYS[1]
local revision, events, content_hash = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local CHUNK = 64

local c = redis.call('HMGET', claim_key, 'id', 'crev', 'ne', 'nt', 'cs', 'csh', 'ch', 'rev')
if not c[1] or revision > tonumber(c[8] or '1') then
  -- The claim that decided this revision is gone (Redis lost its data after the decision):
  -- nothing is known to retract, and a newer claim of the article is left as it is.
  return {'published', 0, '', ''}
end
local published = tonumber(c[2] or '0')

if revision < published then
  -- Rare (revisions racing), so the signature's 64-byte fields are read one by one.
  local parts = {}
  while true do
    local part = redis.call('HGET', claim_key, 'g' .. (#parts + 1))
    if not part then break end
    table.insert(parts, part)
  end
  return {'superseded', table.concat(parts, '')}
end

local function read_list(prefix, count)
  local n = tonumber(count or '0')
  if n == 0 then return {} end
  local names = {}
  for i = 1, n do names[i] = prefix .. i end
  local text = table.concat(redis.call('HMGET', claim_key, unpack(names)), '')
  local out = {}
  for id in string.gmatch(text, '[^\n]+') do table.insert(out, id) end
  return out
end

-- Writes the list in 64-byte fields (a longer value would turn the claim into a hashtable)
-- and drops fields an earlier, longer list left; returns the field count.
local function write_list(prefix, count_field, list, old_count)
  local text = table.concat(list, '\n')
  local n = math.ceil(string.len(text) / CHUNK)
  if n == 0 then
    redis.call('HDEL', claim_key, count_field)
  else
    local fields = {count_field, n}
    for i = 1, n do
      table.insert(fields, prefix .. i)
      table.insert(fields, string.sub(text, (i - 1) * CHUNK + 1, i * CHUNK))
    end
    redis.call('HSET', claim_key, unpack(fields))
  end
  local stale = {}
  for i = n + 1, tonumber(old_count or '0') do table.insert(stale, prefix .. i) end
  if #stale > 0 then redis.call('HDEL', claim_key, unpack(stale)) end
end

local mine, new_ids = {}, {}
for id in string.gmatch(events, '[^\n]+') do
  mine[id] = true
  table.insert(new_ids, id)
end
local live = read_list('e', c[3])

local retracted, replaced, replaced_hash = {}, 0, ''
local listed = {}
if revision == published then
  -- The same revision again (a replay, a retried batch): what it retracted the first time,
  -- plus anything the first run published that this run did not find (a changed model).
  replaced, replaced_hash = tonumber(c[5] or '0'), c[6] or ''
  for _, id in ipairs(read_list('t', c[4])) do
    listed[id] = true
    table.insert(retracted, id)
  end
else
  replaced, replaced_hash = published, c[7] or ''
end
for _, id in ipairs(live) do
  if not mine[id] and not listed[id] then
    listed[id] = true
    table.insert(retracted, id)
  end
end

redis.call('HSET', claim_key, 'crev', revision, 'ch', content_hash)
if replaced > 0 then redis.call('HSET', claim_key, 'cs', replaced, 'csh', replaced_hash) end
write_list('e', 'ne', new_ids, c[3])
write_list('t', 'nt', retracted, c[4])
return {'published', replaced, replaced_hash, table.concat(retracted, '\n')}
