-- spamsieve's shared near-duplicate index, run atomically inside Redis.
--
-- Why a script: "find a fingerprint within k bits, else store this one" must be one atomic
-- step, or two workers that fetch two copies of the same article at the same moment would
-- both find nothing and both keep their copy. Redis runs a script with nothing interleaved.
--
-- Storage (P = the configured prefix; all ids and fingerprints are big-endian binary):
--   P:b<block#><value>  string, packed 12-byte records: fingerprint (8) + row id (4).
--                       Multi-index hashing: the 64 bits are cut into B blocks; a record
--                       is appended to the bucket of each of its B block values. When
--                       B*(r+1) > k, two fingerprints within k bits agree on at least one
--                       block up to r bits (pigeonhole), so probing every block value within
--                       r bits of the query's blocks finds every candidate.
--   P:r                 hash, row id (4 bytes) -> item key (the kept URL), to name duplicate_of
--   P:n                 counter of row ids
--   P:p                 zset of *pending* records (member = the 12-byte record, score = the
--                       server time it was reserved). Commit removes the member; release
--                       removes the record everywhere. A pending record older than the
--                       timeout belongs to a worker that died: it is reclaimed (forgotten).
--
-- ARGV[1] is the operation:
--   reserve P hi lo k B r timeout key -> {0, record} stored | {1, record, key, distance} match
--   release P B record                -> 1 when the record was found
--   sweep   P B timeout limit         -> number of stale pending records reclaimed

local bxor, band, rshift = bit.bxor, bit.band, bit.rshift

local op = ARGV[1]
local prefix = ARGV[2]

local function popcount(x)
  x = x - band(rshift(x, 1), 0x55555555)
  x = band(x, 0x33333333) + band(rshift(x, 2), 0x33333333)
  x = band(x + rshift(x, 4), 0x0F0F0F0F)
  x = x + rshift(x, 8)
  x = x + rshift(x, 16)
  return band(x, 0x3F)
end

local function u32(s, p)
  local a, b, c, d = string.byte(s, p, p + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local char, floor = string.char, math.floor

-- v (0 <= v < 2^32) as n big-endian bytes; unrolled, it builds every probed bucket key
local function be_bytes(v, n)
  if n == 2 then return char(floor(v / 256), v % 256) end
  if n == 1 then return char(v) end
  if n == 3 then return char(floor(v / 65536), floor(v / 256) % 256, v % 256) end
  return char(floor(v / 16777216), floor(v / 65536) % 256, floor(v / 256) % 256, v % 256)
end

-- widths of the B blocks: 64 bits split as evenly as possible, wider blocks first
local function widths(nblocks)
  local base, extra, w = math.floor(64 / nblocks), 64 % nblocks, {}
  for i = 1, nblocks do
    w[i] = base + ((i <= extra) and 1 or 0)
  end
  return w
end

-- `width` bits of a 32-bit word, `shift` bits up from its least significant end
local function field(word, shift, width)
  local v = band(rshift(word, shift), 2 ^ width - 1)
  if v < 0 then v = v + 4294967296 end
  return v
end

-- the value of bits [start, start + width) of hi..lo, bit 0 being the most significant
local function bits(hi, lo, start, width)
  local stop = start + width
  if stop <= 32 then return field(hi, 32 - stop, width) end
  if start >= 32 then return field(lo, 64 - stop, width) end
  local from_lo = stop - 32
  return field(hi, 0, 32 - start) * 2 ^ from_lo + field(lo, 32 - from_lo, from_lo)
end

local function bucket_key(i, v, width)
  return prefix .. ':b' .. char(i - 1) .. be_bytes(v, math.ceil(width / 8))
end

local function block_keys(hi, lo, nblocks)
  local w, keys, start = widths(nblocks), {}, 0
  for i = 1, nblocks do
    keys[i] = bucket_key(i, bits(hi, lo, start, w[i]), w[i])
    start = start + w[i]
  end
  return keys
end

-- forget a record: out of every bucket, the key hash and the pending set
local function remove_record(record, nblocks)
  local found = 0
  for _, bkey in ipairs(block_keys(u32(record, 1), u32(record, 5), nblocks)) do
    local s = redis.call('GET', bkey)
    if s then
      for p = 1, #s, 12 do
        if string.sub(s, p, p + 11) == record then
          local rest = string.sub(s, 1, p - 1) .. string.sub(s, p + 12)
          if #rest == 0 then redis.call('DEL', bkey) else redis.call('SET', bkey, rest) end
          found = 1
          break
        end
      end
    end
  end
  redis.call('HDEL', prefix .. ':r', string.sub(record, 9, 12))
  redis.call('ZREM', prefix .. ':p', record)
  return found
end

local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1e6
end

if op == 'reserve' then
  local qh, ql = tonumber(ARGV[3]), tonumber(ARGV[4])
  local k, nblocks, radius = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
  local timeout, item_key = tonumber(ARGV[8]), ARGV[9]
  local w, start = widths(nblocks), 0
  local best, best_d, best_id = nil, k + 1, nil
  local stale, seen_stale = {}, {}
  local own_keys, own_values = {}, {}
  local t_now = nil
  for i = 1, nblocks do
    local v = bits(qh, ql, start, w[i])
    start = start + w[i]
    -- the query's own bucket first, then every value within `radius` bits of it
    local head, nbytes = prefix .. ':b' .. char(i - 1), math.ceil(w[i] / 8)
    local probes, n = {head .. be_bytes(v, nbytes)}, 1
    if radius >= 1 then
      for a = 0, w[i] - 1 do
        local va = bxor(v, 2 ^ a)
        n = n + 1
        probes[n] = head .. be_bytes(va, nbytes)
        if radius >= 2 then
          for b = a + 1, w[i] - 1 do
            n = n + 1
            probes[n] = head .. be_bytes(bxor(va, 2 ^ b), nbytes)
          end
        end
      end
    end
    local values = redis.call('MGET', unpack(probes))  -- one call per block, not per probe
    own_keys[i], own_values[i] = probes[1], values[1]
    for _, s in ipairs(values) do
      if s then
        for p = 1, #s, 12 do
          -- most candidates already differ in more than k bits of the high half: skip
          -- the low half for them (half the work on full buckets)
          local d = popcount(bxor(u32(s, p), qh))
          if d <= best_d then d = d + popcount(bxor(u32(s, p + 4), ql)) else d = 65 end
          if d < best_d or (d == best_d and best and string.sub(s, p + 8, p + 11) < best_id) then
            local record = string.sub(s, p, p + 11)
            local since = redis.call('ZSCORE', prefix .. ':p', record)
            if since then t_now = t_now or now() end
            if since and t_now - tonumber(since) > timeout then
              if not seen_stale[record] then
                seen_stale[record] = true
                stale[#stale + 1] = record
              end
            else
              best, best_d, best_id = record, d, string.sub(record, 9, 12)
            end
          end
        end
      end
    end
  end
  for _, record in ipairs(stale) do remove_record(record, nblocks) end
  if best then
    local owner = redis.call('HGET', prefix .. ':r', best_id) or ''
    return {1, best, owner, best_d}
  end
  local id = redis.call('INCR', prefix .. ':n')
  local record = be_bytes(qh, 4) .. be_bytes(ql, 4) .. be_bytes(id % 4294967296, 4)
  for i = 1, nblocks do
    if #stale > 0 then
      own_values[i] = redis.call('GET', own_keys[i])  -- reclaiming may have rewritten it
    end
    -- SET of the whole value rather than APPEND: APPEND over-allocates (doubles) the
    -- string, which for buckets of a few records would double the index's memory
    redis.call('SET', own_keys[i], (own_values[i] or '') .. record)
  end
  redis.call('HSET', prefix .. ':r', string.sub(record, 9, 12), item_key)
  redis.call('ZADD', prefix .. ':p', t_now or now(), record)
  return {0, record}
elseif op == 'release' then
  return remove_record(ARGV[4], tonumber(ARGV[3]))
elseif op == 'sweep' then
  local nblocks, timeout, limit = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
  local old = redis.call('ZRANGEBYSCORE', prefix .. ':p', '-inf', now() - timeout, 'LIMIT', 0, limit)
  for _, record in ipairs(old) do remove_record(record, nblocks) end
  return #old
end
return redis.error_reply('spamsieve: unknown index operation ' .. tostring(op))
