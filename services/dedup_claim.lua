-- One atomic dedup decision: replay check, exact lookup, near-duplicate lookup, then claim.
--
-- Because the lookup and the claim run as one script, two workers that receive two copies
-- of one story at the same instant are serialised by Redis: exactly one of them is unique.
--
-- Key layout (every key starts with the hash-tagged base "{prefix}:", one Cluster slot):
--   a:<ref hex>             claim of one article (hash; the signature only on unique articles,
--                           in 64-byte fields "g1".."gN": a longer value would turn the hash
--                           from a listpack into a hashtable, ~2x the memory)
--   g                       registry of index generations (see 2.)
--   i:<gen>:<bucket>        index entries of one generation (hash: 6-byte digest -> 8-byte ref)
--   s:<ref hex of founder>  stats of a story with two or more articles (hash; "@<source>" fields)
-- A "ref" is the first 8 bytes of blake2b(article_id); index values are refs, so an index
-- entry costs ~20 bytes inside a listpack hash instead of ~90 for a key of its own.
-- Index entries expire by time slice: slice s is written during [s*slice, (s+1)*slice) and
-- expires `ttl` after the slice ends, so an entry lives between ttl and ttl + slice.
--
-- KEYS[1]  claim hash of this article
-- ARGV: article_id, position, now, ttl, threshold, source, signature, base, ref,
--       slice_seconds, min_buckets, entries
--   position  "topic:partition:offset" of the message; the same position again is a replay
--   signature MinHash values packed as big-endian uint16 (2 bytes a permutation)
--   entries   8-byte digests concatenated: canonical URL, normalised body, then one per band

local claim_key = KEYS[1]
local article_id, position, now_text = ARGV[1], ARGV[2], ARGV[3]
local now, ttl, threshold = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local source, sig, base, ref = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local slice, min_buckets, entries = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]

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

-- 2. The index: generations of bucketed hashes. A generation belongs to one time slice and
--    has a fixed bucket count; when it holds ~64 entries a bucket it is closed and a new one
--    with four times the buckets opens, so every bucket stays a compact listpack (Redis converts a
--    hash above hash-max-listpack-entries, default 128, to a hashtable ~4x its size). A new
--    slice starts at the size the previous slice ended with. The registry {tag}:g maps
--    "<slice>.<n>" -> bucket count and "#<slice>.<n>" -> entries written.
local FILL = 64
local reg_key = base .. 'g'
local slice_now = math.floor(now / slice)
local oldest = slice_now - math.ceil(ttl / slice)
local gens, writable, writable_n, writable_buckets, writable_count = {}, nil, -1, 0, 0
local last_slice_entries = 0
do
  local reg = redis.call('HGETALL', reg_key)
  local counts = {}
  for i = 1, #reg, 2 do
    if string.sub(reg[i], 1, 1) == '#' then counts[string.sub(reg[i], 2)] = tonumber(reg[i + 1]) end
  end
  for i = 1, #reg, 2 do
    local name = reg[i]
    if string.sub(name, 1, 1) ~= '#' then
      local dot = string.find(name, '.', 1, true)
      local gslice, n = tonumber(string.sub(name, 1, dot - 1)), tonumber(string.sub(name, dot + 1))
      if gslice < oldest then
        redis.call('HDEL', reg_key, name, '#' .. name)
      else
        local g = {name = name, slice = gslice, n = n, buckets = tonumber(reg[i + 1])}
        table.insert(gens, g)
        if gslice == slice_now and n > writable_n then
          writable, writable_n, writable_buckets = g, n, g.buckets
          writable_count = counts[name] or 0
        elseif gslice == slice_now - 1 then
          last_slice_entries = last_slice_entries + (counts[name] or 0)
        end
      end
    end
  end
  -- Newest first: a recent copy is the likelier match.
  table.sort(gens, function(x, y) return x.slice > y.slice or (x.slice == y.slice and x.n > y.n) end)
end

local function bucket_of(digest, count)
  local b1, b2, b3 = string.byte(digest, 1, 3)
  return ((b1 * 256 + b2) * 256 + b3) % count
end

local function lookup(digest)
  local field = string.sub(digest, 3, 8)
  for _, g in ipairs(gens) do
    local found = redis.call('HGET', base .. 'i:' .. g.name .. ':' .. bucket_of(digest, g.buckets), field)
    if found then return found end
  end
  return nil
end

local function index_all(digests)
  -- digests: the 8-byte entries to add, concatenated.
  local n = string.len(digests) / 8
  if writable == nil or writable_count + n > writable_buckets * FILL then
    local size = min_buckets
    if writable ~= nil then
      -- x4, not x2: fewer generations to read on every lookup (the script's main cost).
      size = writable_buckets * 4
    else
      while size * FILL < last_slice_entries do size = size * 2 end
    end
    writable = {name = slice_now .. '.' .. (writable_n + 1), buckets = size}
    -- Lookups in this call do not need it: nothing was written to it before this article.
    writable_n, writable_buckets, writable_count = writable_n + 1, size, 0
    redis.call('HSET', reg_key, writable.name, size)
  end
  redis.call('HINCRBY', reg_key, '#' .. writable.name, n)
  redis.call('EXPIRE', reg_key, ttl + slice)
  -- A slice's hashes expire `ttl` after the slice ends.
  local index_ttl = math.max(1, math.ceil((slice_now + 1) * slice + ttl - now))
  local prefix = base .. 'i:' .. writable.name .. ':'
  for offset = 1, string.len(digests), 8 do
    local digest = string.sub(digests, offset, offset + 7)
    local key = prefix .. bucket_of(digest, writable_buckets)
    redis.call('HSETNX', key, string.sub(digest, 3, 8), ref)
    redis.call('EXPIRE', key, index_ttl)
  end
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
  index_all(url_digest .. body_digest)
  return {status, story, dup, sim, now_text, 0, join_story(story, sref), 'new'}
end

-- 3. Exact: the same canonical URL, or the same normalised body.
local first = lookup(url_digest) or lookup(body_digest)
if first and first ~= ref and story_of(first) then
  return claim_duplicate('exact_duplicate', first, '1')
end

-- 4. Near: every article that shares an LSH band bucket is a candidate; verify each by the
--    share of equal MinHash values (an estimate of their Jaccard similarity).
local perms = string.len(sig) / 2
local mine = {string.byte(sig, 1, -1)}
local sig_fields = {}
for i = 1, math.ceil(string.len(sig) / 64) do sig_fields[i] = 'g' .. i end
local seen, candidates = {}, 0
local best_ref, best_id, best_sim = nil, nil, 0.0
for b = 0, band_count - 1 do
  local other = lookup(string.sub(entries, 17 + b * 8, 24 + b * 8))
  if other and other ~= ref and not seen[other] then
    seen[other] = true
    candidates = candidates + 1
    local found = redis.call('HMGET', base .. 'a:' .. hex(other), 'id', unpack(sig_fields))
    local other_id = found[1]
    local other_sig = nil
    if found[2] then other_sig = table.concat(found, '', 2) end
    if other_sig and string.len(other_sig) == string.len(sig) then
      local theirs = {string.byte(other_sig, 1, -1)}
      local equal = 0
      for p = 1, perms * 2, 2 do
        if mine[p] == theirs[p] and mine[p + 1] == theirs[p + 1] then equal = equal + 1 end
      end
      local sim = equal / perms
      if sim > best_sim or (sim == best_sim and best_id and other_id < best_id) then
        best_ref, best_id, best_sim = other, other_id, sim
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

-- 5. Unique: this article founds a story and is indexed for the ones that follow.
local fields = {'id', article_id, 'st', 'unique', 'sim', sim_text, 'pos', position,
  'at', now_text, 'src', source}
for i, field in ipairs(sig_fields) do
  table.insert(fields, field)
  table.insert(fields, string.sub(sig, (i - 1) * 64 + 1, i * 64))
end
redis.call('HSET', claim_key, unpack(fields))
redis.call('EXPIRE', claim_key, ttl)
index_all(entries)
return {'unique', article_id, '', sim_text, now_text, candidates, 1, 'new'}
