-- One atomic dedup decision: look up exact and near-duplicate evidence, then claim.
--
-- Because the lookup and the claim run as one script, two workers that receive two copies
-- of one story at the same instant are serialised by Redis: exactly one of them is unique.
--
-- KEYS[1]  claim hash of this article      {tag}:a:<article_id>
-- KEYS[2]  canonical URL key               {tag}:u:<url digest>
-- KEYS[3]  normalised body key             {tag}:h:<content digest>
-- KEYS[4..] LSH band keys                  {tag}:b:<band>:<bucket digest>
-- ARGV: article_id, position, now, ttl, threshold, source, signature, key_base
--   position  "topic:partition:offset" of the message; the same position again is a replay
--   signature MinHash values packed as big-endian uint16 (2 bytes a permutation)
--   key_base  "{tag}:" so the script can name candidate and story keys in the same slot

local claim_key, url_key, body_key = KEYS[1], KEYS[2], KEYS[3]
local article_id, position = ARGV[1], ARGV[2]
local now, ttl, threshold = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local source, sig, base = ARGV[6], ARGV[7], ARGV[8]

local function story_stats(story_id, count_article)
  local skey = base .. 's:' .. story_id
  local srcs = base .. 'ss:' .. story_id
  if count_article then
    redis.call('HSETNX', skey, 'first_seen', ARGV[3])
    redis.call('HSET', skey, 'last_seen', ARGV[3])
    redis.call('HINCRBY', skey, 'article_count', 1)
    if source ~= '' then redis.call('SADD', srcs, source) end
    redis.call('EXPIRE', skey, ttl)
    redis.call('EXPIRE', srcs, ttl)
  end
  return tonumber(redis.call('HGET', skey, 'article_count') or '0')
end

-- 1. Seen this article id before?
local prior = redis.call('HMGET', claim_key, 'st', 'story', 'dup', 'sim', 'pos', 'at', 'failed')
if prior[1] then
  local story_size = story_stats(prior[2], false)
  if prior[5] == position or prior[7] == '1' then
    -- A replay (crash, rebalance, re-read) or a retry after a failed publish: same decision.
    if prior[7] == '1' then redis.call('HSET', claim_key, 'pos', position, 'failed', '0') end
    return {prior[1], prior[2], prior[3] or '', prior[4], prior[6], 0, story_size, 'replay'}
  end
  -- The same id sent again from another offset: a re-send of an article we already hold.
  local of = prior[3]
  if of == nil or of == false or of == '' then of = article_id end
  return {'exact_duplicate', prior[2], of, '1', ARGV[3], 0, story_size, 'resend'}
end

local function story_of(other_id)
  return redis.call('HGET', base .. 'a:' .. other_id, 'story') or other_id
end

local function claim(status, story, dup, sim, with_signature)
  if with_signature then
    redis.call('HSET', claim_key, 'st', status, 'story', story, 'dup', dup, 'sim', sim,
      'pos', position, 'at', ARGV[3], 'sig', sig)
  else
    redis.call('HSET', claim_key, 'st', status, 'story', story, 'dup', dup, 'sim', sim,
      'pos', position, 'at', ARGV[3])
  end
  redis.call('EXPIRE', claim_key, ttl)
  redis.call('SET', url_key, article_id, 'NX', 'EX', ttl)
  return story_stats(story, true)
end

-- 2. Exact: the same canonical URL, or the same normalised body.
local first = redis.call('GET', url_key)
if not first then first = redis.call('GET', body_key) end
if first and first ~= article_id then
  local story = story_of(first)
  local size = claim('exact_duplicate', story, first, '1', false)
  return {'exact_duplicate', story, first, '1', ARGV[3], 0, size, 'new'}
end

-- 3. Near: every article that shares an LSH band bucket is a candidate; verify each
--    by the share of equal MinHash values (an estimate of their Jaccard similarity).
local perms = string.len(sig) / 2
local seen, candidates = {}, 0
local best_id, best_sim = nil, 0.0
for i = 4, #KEYS do
  local other = redis.call('GET', KEYS[i])
  if other and other ~= article_id and not seen[other] then
    seen[other] = true
    candidates = candidates + 1
    local other_sig = redis.call('HGET', base .. 'a:' .. other, 'sig')
    if other_sig and string.len(other_sig) == string.len(sig) then
      local equal = 0
      for p = 1, perms * 2, 2 do
        if string.byte(sig, p) == string.byte(other_sig, p)
          and string.byte(sig, p + 1) == string.byte(other_sig, p + 1) then
          equal = equal + 1
        end
      end
      local sim = equal / perms
      if sim > best_sim or (sim == best_sim and best_id and other < best_id) then
        best_id, best_sim = other, sim
      end
    end
  end
end

local sim_text = string.format('%.4f', best_sim)
if best_id and best_sim >= threshold then
  local story = story_of(best_id)
  local size = claim('near_duplicate', story, best_id, sim_text, false)
  return {'near_duplicate', story, best_id, sim_text, ARGV[3], candidates, size, 'new'}
end

-- 4. Unique: this article founds a story and is indexed for the ones that follow.
local size = claim('unique', article_id, '', sim_text, true)
redis.call('SET', body_key, article_id, 'NX', 'EX', ttl)
for i = 4, #KEYS do
  redis.call('SET', KEYS[i], article_id, 'NX', 'EX', ttl)
end
return {'unique', article_id, '', sim_text, ARGV[3], candidates, size, 'new'}
