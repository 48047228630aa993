-- One atomic dedup decision: replay check, revision check, exact lookup, near-duplicate
-- lookup, then claim.
--
-- Because the lookup and the claim run as one script, two workers that receive two copies
-- of one story at the same instant are serialised by Redis: exactly one of them is unique.
-- The same holds for two versions of one article: each gets its own revision number.
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
-- Revisions of one article live in its claim: "rev" is the latest revision number (absent: 1),
-- and revision k keeps its fingerprint, claim time and message position in "h<k>", "at<k>",
-- "pos<k>" (revision 1 in "h", "at", "pos"), for the last KEEP revisions. "um" is the latest
-- updated_at a sender gave, "ur" the revision at which a copy became an article of its own.
-- What was published ("crev", event ids) is written by dedup_commit.lua after NLP.
--
-- KEYS[1]  claim hash of this article
-- ARGV: article_id, position, now, ttl, threshold, source, signature, base, ref,
--       slice_seconds, min_buckets, entries, fingerprint, updated
--   position     "topic:partition:offset" of the message; the same position again is a replay
--   signature    MinHash values packed as big-endian uint16 (2 bytes a permutation)
--   entries      8-byte digests concatenated: canonical URL, normalised body, then one per band
--   fingerprint  16 bytes: everything a reader sees of this version (body, title, URL, ...)
--   updated      the sender's updated_at in epoch seconds, or "" when it sent none
--
-- Reply: status, story, duplicate_of, similarity, claimed_at, candidates, story_size, origin,
--        revision (0: a version that is not a revision, see 1b.)

local claim_key = KEYS[1]
local article_id, position, now_text = ARGV[1], ARGV[2], ARGV[3]
local now, ttl, threshold = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local source, sig, base, ref = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local slice, min_buckets, entries = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]
local fingerprint, updated = ARGV[13], tonumber(ARGV[14])
-- Revisions whose fingerprint and position a claim keeps: re-sends of older versions are
-- rare, and a live blog revised every minute must not grow its claim without bound.
local KEEP = 8

local function hex(bytes)
  return (string.gsub(bytes, '.', function(c) return string.format('%02x', string.byte(c)) end))
end

local function story_size(sref)
  -- Single-article stories keep no stats key of their own; their size is 1.
  local count = redis.call('HGET', base .. 's:' .. sref, 'article_count')
  return tonumber(count or '1')
end

-- Field of revision k in the claim: revision 1 uses the plain names (claims written before
-- revisions existed read as revision 1).
local function field(name, k)
  if k == 1 then return name end
  return name .. k
end

local perms = string.len(sig) / 2
local sig_fields = {}
for i = 1, math.ceil(string.len(sig) / 64) do sig_fields[i] = 'g' .. i end

-- Share of equal MinHash values with another packed signature (an estimate of Jaccard).
local mine = nil
local function similarity(other_sig)
  if not other_sig or string.len(other_sig) ~= string.len(sig) then return 0.0 end
  mine = mine or {string.byte(sig, 1, -1)}
  local theirs = {string.byte(other_sig, 1, -1)}
  local equal = 0
  for p = 1, perms * 2, 2 do
    if mine[p] == theirs[p] and mine[p + 1] == theirs[p + 1] then equal = equal + 1 end
  end
  return equal / perms
end

local function stored_signature(key)
  local found = redis.call('HMGET', key, unpack(sig_fields))
  if not found[1] then return nil end
  return table.concat(found, '')
end

-- Set by 1. when a copy of another article comes back with new content: it is judged again
-- below, as this revision of the article.
local revision, revision_at, origin = 1, now_text, 'new'
local leaving_story = nil

-- 1. Seen this article id before? Then this message is one of:
--    a. a replay of a revision's own message (same position): that revision's decision again;
--    b. a version that is not applied: an older revision's message after a newer revision was
--       published, or a version its sender dated (updated_at) before one already seen. Nothing
--       of it is published as the article: a near_duplicate of itself, revision 0 when it
--       never was one;
--    c. the content of a kept revision again: an exact_duplicate of itself, no NLP;
--    d. new content: the next revision. An article's revision is an article again (story
--       kept, new text indexed); a copy's revision is judged again from 2. on.
local prior = redis.call('HMGET', claim_key, 'st', 'story', 'dup', 'sim', 'failed', 'sref', 'rev',
  'crev', 'um', 'ur')
if prior[1] then
  local status, sim_text = prior[1], prior[4] or '0'
  local failed = tonumber(prior[5] or '0')
  -- A unique article is the founder of its own story.
  local story, sref = prior[2] or article_id, prior[6] or hex(ref)
  local rev, crev = tonumber(prior[7] or '1'), tonumber(prior[8] or '0')
  local seen_updated, own_since = tonumber(prior[9] or ''), tonumber(prior[10] or '1')
  local oldest = math.max(1, rev - KEEP + 1)
  local names = {}
  for k = oldest, rev do
    table.insert(names, field('h', k))
    table.insert(names, field('at', k))
    table.insert(names, field('pos', k))
  end
  local values = redis.call('HMGET', claim_key, unpack(names))
  local hist = {}
  for k = oldest, rev do
    local i = (k - oldest) * 3
    hist[k] = {h = values[i + 1], at = values[i + 2] or now_text, pos = values[i + 3]}
  end
  local size = story_size(sref)

  local function again(k, why)
    return {status, story, prior[3] or '', sim_text, hist[k].at, 0, size, why, k}
  end
  local function not_applied(k, at, why)
    local sim = 0.0
    if status == 'unique' then sim = similarity(stored_signature(claim_key)) end
    return {'near_duplicate', story, article_id, string.format('%.4f', sim), at, 0, size, why, k}
  end

  -- a. (and b. for a replay of a revision that a later one has replaced)
  for k = rev, oldest, -1 do
    if hist[k].pos == position then
      if failed == k then redis.call('HSET', claim_key, 'failed', '0') end
      if status == 'unique' then
        if k >= own_since and k >= crev then return again(k, 'replay') end
      elseif k == rev then
        return again(k, 'replay')
      end
      return not_applied(k, hist[k].at, 'replay')
    end
  end
  if updated and (not seen_updated or updated > seen_updated) then
    redis.call('HSET', claim_key, 'um', ARGV[14])
  end
  -- c.
  for k = rev, oldest, -1 do
    if hist[k].h == fingerprint then
      if failed == k and k == rev then
        -- Its first run was dead-lettered after the claim (NLP failed): this copy runs it.
        redis.call('HSET', claim_key, field('pos', k), position, 'failed', '0')
        return again(k, 'replay')
      end
      return {'exact_duplicate', story, article_id, '1', hist[k].at, 0, size, 'resend', k}
    end
  end
  -- b. for a version dated before one already seen.
  if updated and seen_updated and updated < seen_updated then
    return not_applied(0, hist[rev].at, 'stale')
  end
  -- d. Claim times of revisions increase even if the clocks of workers do not agree, so
  --    consumers may order revisions by processed_at.
  revision = rev + 1
  revision_at = string.format('%.6f', math.max(now, tonumber(hist[rev].at) + 0.001))
  origin = 'revision'
  redis.call('HSET', claim_key, 'rev', revision, field('h', revision), fingerprint,
    field('at', revision), revision_at, field('pos', revision), position)
  redis.call('HDEL', claim_key, 'failed')  -- a failed earlier revision is replaced anyway
  local forget = revision - KEEP
  if forget == 1 then
    redis.call('HDEL', claim_key, 'h')  -- "at" and "pos" of revision 1 stay: the story reads "at"
  elseif forget > 1 then
    redis.call('HDEL', claim_key, field('h', forget), field('at', forget), field('pos', forget))
  end
  redis.call('EXPIRE', claim_key, ttl)
  if status ~= 'unique' then
    leaving_story = story
  end
  -- An article's revision falls through to 5b. below once the index is open.
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
local oldest_slice = slice_now - math.ceil(ttl / slice)
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
      if gslice < oldest_slice then
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
  local field_name = string.sub(digest, 3, 8)
  for _, g in ipairs(gens) do
    local found = redis.call('HGET', base .. 'i:' .. g.name .. ':' .. bucket_of(digest, g.buckets), field_name)
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

-- The signature fields of a claim (64 bytes each, see the key layout).
local function signature_fields()
  local fields = {}
  for i, name in ipairs(sig_fields) do
    table.insert(fields, name)
    table.insert(fields, string.sub(sig, (i - 1) * 64 + 1, i * 64))
  end
  return fields
end

-- 5b. A new revision of an article: still the article, in its own story; its new text is
--     indexed (the old entries stay until they expire and now lead to the new text) and its
--     signature replaced, so later copies of either version find it.
if origin == 'revision' and leaving_story == nil then
  redis.call('HSET', claim_key, unpack(signature_fields()))
  index_all(entries)
  local sref = prior[6] or hex(ref)
  return {'unique', article_id, '', prior[4] or '0', revision_at, 0, story_size(sref), origin, revision}
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
  if story == leaving_story then
    -- A copy's new version that matched its own story again: it is counted there already.
    return story_size(sref)
  end
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

-- Fields a first claim writes besides the decision: revision 1 and the sender's date.
local function first_claim_fields(fields)
  if revision == 1 then
    for _, v in ipairs({'pos', position, 'at', now_text, 'h', fingerprint}) do table.insert(fields, v) end
    if updated then
      table.insert(fields, 'um')
      table.insert(fields, ARGV[14])
    end
  end
  return fields
end

local function claim_duplicate(status, other_ref, sim)
  local dup, story, sref = story_of(other_ref)
  redis.call('HSET', claim_key, unpack(first_claim_fields({'id', article_id, 'st', status,
    'story', story, 'sref', sref, 'dup', dup, 'sim', sim, 'src', source})))
  redis.call('EXPIRE', claim_key, ttl)
  index_all(url_digest .. body_digest)
  return {status, story, dup, sim, revision_at, 0, join_story(story, sref), origin, revision}
end

-- 3. Exact: the same canonical URL, or the same normalised body (a copy's new version finds
--    its own earlier entries, which do not count).
local first = lookup(url_digest)
if first == ref then first = nil end
if not first then first = lookup(body_digest) end
if first and first ~= ref and story_of(first) then
  return claim_duplicate('exact_duplicate', first, '1')
end

-- 4. Near: every article that shares an LSH band bucket is a candidate; verify each by the
--    share of equal MinHash values (an estimate of their Jaccard similarity).
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
      local sim = similarity(other_sig)
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

-- 5. Unique: this article founds a story and is indexed for the ones that follow. A copy
--    whose new version is unique leaves its old story (whose counts keep it) for its own.
local fields = first_claim_fields({'id', article_id, 'st', 'unique', 'sim', sim_text, 'src', source})
for _, v in ipairs(signature_fields()) do table.insert(fields, v) end
if revision > 1 then
  redis.call('HDEL', claim_key, 'story', 'sref', 'dup')
  table.insert(fields, 'ur')
  table.insert(fields, revision)
end
redis.call('HSET', claim_key, unpack(fields))
redis.call('EXPIRE', claim_key, ttl)
index_all(entries)
return {'unique', article_id, '', sim_text, revision_at, candidates, 1, origin, revision}
