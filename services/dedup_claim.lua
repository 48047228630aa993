-- One atomic dedup decision: replay check, exact lookup, near-duplicate lookup, then claim.
--
-- Because the lookup and the claim run as one script, two workers that receive two copies
-- of one story at the same instant are serialised by Redis: exactly one of them is unique.
--
-- Key layout (every key starts with the hash-tagged base "{prefix}:", one Cluster slot):
--   a:<ref hex>             claim of one article (hash; the signature only on unique articles)
--   i:<gen>:<bucket>        index entries of one time slice (hash: 6-byte digest -> 8-byte ref)
--   s:<ref hex of founder>  stats of a story with two or more articles (hash; "@<source>" fields)
-- A "ref" is the first 8 bytes of blake2b(article_id); index values are refs, so an index
-- entry costs ~20 bytes inside a listpack hash instead of ~90 for a key of its own.
-- Index entries expire by time slice: slice g is written during [g*slice, (g+1)*slice) and
-- expires `ttl` after the slice ends, so an entry lives between ttl and ttl + slice.
--
-- KEYS[1]  claim hash of this article
-- ARGV: article_id, position, now, ttl, threshold, source, signature, base, ref,
--       slice_seconds, buckets, entries
--   position  "topic:partition:offset" of the message; the same position again is a replay
--   signature MinHash values packed as big-endian uint16 (2 bytes a permutation)
--   entries   8-byte digests concatenated: canonical URL, normalised body, then one per band

local claim_key = KEYS[1]
local article_id, position, now_text = ARGV[1], ARGV[2], ARGV[3]
local now, ttl, threshold = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local source, sig, base, ref = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local slice, buckets, entries = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]

local function hex(bytes)
  return (string.gsub(bytes, '.', function(c) return string.format('%02x', string.byte(c)) end))
end

local function story_size(sref)
  -- Single-article stories keep no stats key of their own; their size is 1.
  local count = redis.call('HGET', base .. 's:' .. sref, 'article_count')
  return tonumber(count or '1')
end

-- 1. Seen this article id before? Then it gets its first decision again, never "duplicate of
--    itself": a replay at the same position, a retry after a failed publish, or a re-send.
local prior = redis.call('HMGET', claim_key, 'st', 'story', 'dup', 'sim', 'pos', 'at', 'failed',
  'sref')
if prior[1] then
  local origin = 'resend'
  if prior[5] == position then origin = 'replay' end
  if prior[7] == '1' then
    origin = 'replay'
    redis.call('HSET', claim_key, 'pos', position, 'failed', '0')
  end
  -- A unique article is the founder of its own story.
  local story, sref = prior[2] or article_id, prior[8] or hex(ref)
  return {prior[1], story, prior[3] or '', prior[4], prior[6], 0, story_size(sref), origin}
end

-- Index helpers: which hash and field an 8-byte digest lives in, for a time slice.
local gen_now = math.floor(now / slice)
local oldest = gen_now - math.ceil(ttl / slice)

local function index_key(gen, digest)
  local bucket = (string.byte(digest, 1) * 256 + string.byte(digest, 2)) % buckets
  return base .. 'i:' .. gen .. ':' .. bucket
end

local function lookup(digest)
  local field = string.sub(digest, 3, 8)
  for gen = gen_now, oldest, -1 do
    local found = redis.call('HGET', index_key(gen, digest), field)
    if found then return found end
  end
  return nil
end

local index_ttl = math.max(1, math.ceil((gen_now + 1) * slice + ttl - now))
local function index(digest)
  local key = index_key(gen_now, digest)
  redis.call('HSETNX', key, string.sub(digest, 3, 8), ref)
  redis.call('EXPIRE', key, index_ttl)
end

local url_digest, body_digest = string.sub(entries, 1, 8), string.sub(entries, 9, 16)
local band_count = (string.len(entries) - 16) / 8

-- The founder of the story a claimed article belongs to: its id and its ref.
local function story_of(other_ref)
  local other = redis.call('HMGET', base .. 'a:' .. hex(other_ref), 'id', 'story', 'sref')
  if not other[1] then return nil end
  if other[2] then return other[1], other[2], other[3] end
  return other[1], other[1], hex(other_ref)
end

local function join_story(story, sref)
  local skey = base .. 's:' .. sref
  if redis.call('EXISTS', skey) == 0 then
    -- The second article of a story: start its stats from the founder's claim.
    local founder = redis.call('HMGET', base .. 'a:' .. sref, 'at', 'src')
    redis.call('HSET', skey, 'first_seen', founder[1] or now_text, 'article_count', 1)
    if founder[2] and founder[2] ~= '' then redis.call('HSET', skey, '@' .. founder[2], 1) end
  end
  redis.call('HSET', skey, 'last_seen', now_text)
  if source ~= '' then redis.call('HSET', skey, '@' .. source, 1) end
  local size = redis.call('HINCRBY', skey, 'article_count', 1)
  redis.call('EXPIRE', skey, ttl)
  return size
end

local function claim_duplicate(status, other_ref, sim)
  local dup, story, sref = story_of(other_ref)
  redis.call('HSET', claim_key, 'id', article_id, 'st', status, 'story', story, 'sref', sref,
    'dup', dup, 'sim', sim, 'pos', position, 'at', now_text, 'src', source)
  redis.call('EXPIRE', claim_key, ttl)
  index(url_digest)
  index(body_digest)
  return {status, story, dup, sim, now_text, 0, join_story(story, sref), 'new'}
end

-- 2. Exact: the same canonical URL, or the same normalised body.
local first = lookup(url_digest) or lookup(body_digest)
if first and first ~= ref and story_of(first) then
  return claim_duplicate('exact_duplicate', first, '1')
end

-- 3. Near: every article that shares an LSH band bucket is a candidate; verify each by the
--    share of equal MinHash values (an estimate of their Jaccard similarity).
local perms = string.len(sig) / 2
local mine = {string.byte(sig, 1, -1)}
local seen, candidates = {}, 0
local best_ref, best_id, best_sim = nil, nil, 0.0
for b = 0, band_count - 1 do
  local other = lookup(string.sub(entries, 17 + b * 8, 24 + b * 8))
  if other and other ~= ref and not seen[other] then
    seen[other] = true
    candidates = candidates + 1
    local found = redis.call('HMGET', base .. 'a:' .. hex(other), 'sig', 'id')
    local other_sig = found[1]
    if other_sig and string.len(other_sig) == string.len(sig) then
      local theirs = {string.byte(other_sig, 1, -1)}
      local equal = 0
      for p = 1, perms * 2, 2 do
        if mine[p] == theirs[p] and mine[p + 1] == theirs[p + 1] then equal = equal + 1 end
      end
      local sim = equal / perms
      if sim > best_sim or (sim == best_sim and best_id and found[2] < best_id) then
        best_ref, best_id, best_sim = other, found[2], sim
      end
    end
  end
end

local sim_text = string.format('%.4f', best_sim)
if best_ref and best_sim >= threshold then
  local reply = claim_duplicate('near_duplicate', best_ref, sim_text)
  reply[6] = candidates
  return reply
end

-- 4. Unique: this article founds a story and is indexed for the ones that follow.
redis.call('HSET', claim_key, 'id', article_id, 'st', 'unique', 'sim', sim_text,
  'pos', position, 'at', now_text, 'src', source, 'sig', sig)
redis.call('EXPIRE', claim_key, ttl)
for offset = 1, string.len(entries), 8 do
  index(string.sub(entries, offset, offset + 7))
end
return {'unique', article_id, '', sim_text, now_text, candidates, 1, 'new'}
