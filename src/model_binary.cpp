// The binary model format (`.wjm`), see docs/generator.md, "Binary form".
//
// Layout, all integers little-endian, doubles as IEEE 754 binary64 bit patterns:
//   header (40 bytes): magic 89 'W' 'J' 'M' 0D 0A 1A 0A | u32 binary version (1) | u32 model
//     format version | u32 section count (7) | u32 flags (0) | u64 file size | u64 checksum of
//     the 32 bytes before it
//   7 sections in this order: strings, households, offers, residents, ties, needs, professionals;
//     each: u32 tag | u32 entity count | u64 payload bytes | u64 checksum of (tag, count, payload
//     bytes, payload) | payload
// Repeated short strings (neighbourhood codes, languages, kinds of offers) are stored once in the
// string section and referred to by index; keys are stored inline (u8 length + bytes); lists are
// a count followed by their elements; references are u32 positions.
//
// Loading checks, in this order: the file size limit, the header (magic, versions, size,
// checksum), each section's bounds and checksum, then every field as the JSON loader checks it
// (ranges, enums, key syntax, CBS codes, references, occupancy, duplicate ties and keys). The
// first problem is reported as an InputError whose pointer names the section, the entity and the
// field, e.g. "/residents/12/household"; a damaged or truncated file never crashes the reader.
#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "json_util.hpp"
#include "model_binary.hpp"
#include "wijkmatch/area.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

constexpr std::array<unsigned char, 8> magic{0x89, 'W', 'J', 'M', 0x0D, 0x0A, 0x1A, 0x0A};
constexpr std::uint32_t binary_version = 1;
constexpr std::size_t header_size = 40, section_header_size = 24;

enum Section : std::size_t {
  s_strings,
  s_households,
  s_offers,
  s_residents,
  s_ties,
  s_needs,
  s_professionals,
  section_count
};
constexpr std::array<const char*, section_count> section_names{"strings", "households", "offers",       "residents",
                                                               "ties",    "needs",      "professionals"};
constexpr std::array<std::uint32_t, section_count> section_tags{
    0x53525453, 0x444C4848, 0x5246464F, 0x54445352, 0x53454954, 0x4445454E, 0x464F5250};  // "STRS", "HHLD", ...

// ----------------------------------------------------------------------------- checksum

std::uint64_t load64(const unsigned char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) {
    std::uint64_t r = 0;
    for (int i = 0; i < 8; ++i) r = (r << 8) | (v >> (8 * i) & 0xFF);
    v = r;
  }
  return v;
}

constexpr std::uint64_t mix_constant = 0x9FB21C651E98DF25ULL;
std::uint64_t absorb(std::uint64_t h, std::uint64_t w) noexcept { return std::rotl((h ^ w) * mix_constant, 29); }

/// A fast 64-bit checksum (four lanes). Each step is a bijection of the lane state for a fixed
/// word and of the word for a fixed state, so any change confined to one 8-byte word, and any
/// change of length, always changes the result; other damage goes unnoticed with probability
/// about 2^-64. Not a cryptographic hash.
std::uint64_t checksum(const unsigned char* p, std::size_t n) noexcept {
  std::uint64_t lane[4] = {0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL, 0xA4093822299F31D0ULL, 0x082EFA98EC4E6C89ULL};
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; ++k) lane[k] = absorb(lane[k], load64(p + i + 8 * static_cast<std::size_t>(k)));
  for (; i + 8 <= n; i += 8) lane[0] = absorb(lane[0], load64(p + i));
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < n; ++k) tail |= static_cast<std::uint64_t>(p[i + k]) << (8 * k);
  lane[1] = absorb(lane[1], tail);
  std::uint64_t h = n;
  for (auto l : lane) h = absorb(h, l);
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32);
}

// ----------------------------------------------------------------------------- writing

class Writer {
 public:
  std::string buf;
  void u8(std::uint64_t v) { buf.push_back(static_cast<char>(v & 0xFF)); }
  void u16(std::uint64_t v) { put(v, 2); }
  void u32(std::uint64_t v) { put(v, 4); }
  void i32(std::int64_t v) {
    put(static_cast<std::uint64_t>(static_cast<std::uint32_t>(static_cast<std::int32_t>(v))), 4);
  }
  void u64(std::uint64_t v) { put(v, 8); }
  void f64(double v) { put(std::bit_cast<std::uint64_t>(v), 8); }
  void key(const std::string& s) {
    if (s.size() > 255) throw Error("save_model_binary: a key longer than 255 bytes");
    u8(s.size());
    buf.append(s);
  }
  void patch64(std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) buf[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i) & 0xFF);
  }

 private:
  void put(std::uint64_t v, int bytes) {
    char b[8];
    for (int i = 0; i < bytes; ++i) b[i] = static_cast<char>(v >> (8 * i) & 0xFF);
    buf.append(b, static_cast<std::size_t>(bytes));
  }
};

class StringPool {
 public:
  std::uint32_t id(const std::string& s) {
    // Residents and households come in runs of the same neighbourhood: remember the last one.
    if (last_ != nullptr && *last_ == s) return last_id_;
    auto [it, inserted] = ids_.try_emplace(s, static_cast<std::uint32_t>(strings_.size()));
    if (inserted) {
      if (s.size() > 255) throw Error("save_model_binary: a code or kind longer than 255 bytes");
      strings_.push_back(s);
    }
    last_ = &it->first;
    last_id_ = it->second;
    return it->second;
  }
  const std::vector<std::string>& strings() const { return strings_; }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> strings_;
  const std::string* last_ = nullptr;
  std::uint32_t last_id_ = 0;
};

std::string encode(const Model& m) {
  StringPool pool;
  std::array<std::string, section_count> payload;
  std::array<std::size_t, section_count> count{};
  auto list = [&](Writer& w, const std::vector<std::string>& items) {
    if (items.size() > 255) throw Error("save_model_binary: more than 255 languages");
    w.u8(items.size());
    for (const auto& s : items) w.u32(pool.id(s));
  };
  {
    Writer w;
    for (const auto& h : m.households) {
      w.key(h.key);
      w.u32(pool.id(h.neighbourhood));
    }
    payload[s_households] = std::move(w.buf);
    count[s_households] = m.households.size();
  }
  {
    Writer w;
    for (const auto& o : m.offers) {
      w.key(o.key);
      w.u32(pool.id(o.kind));
      w.u8(static_cast<std::uint8_t>(o.level));
      std::size_t fits = 0;
      for (double f : o.fit) fits += f != 0.0;
      w.u8(fits);
      for (std::size_t d = 0; d < life_domain_count; ++d)
        if (o.fit[d] != 0.0) {
          w.u8(d);
          w.f64(o.fit[d]);
        }
      w.i32(o.seats);
      w.i32(o.occupancy);
      w.i32(o.min_group_size);
      w.u32(o.schedule.bits);
      w.f64(o.location.x_m);
      w.f64(o.location.y_m);
      w.u32(pool.id(o.neighbourhood));
      list(w, o.languages);
      w.f64(o.cost_per_month);
      w.u8(o.eligibility.age_bands.bits);
      w.i32(o.eligibility.severity_min);
      w.i32(o.eligibility.severity_max);
      w.u8(o.eligibility.referral_required);
      w.i32(o.waiting_days);
    }
    payload[s_offers] = std::move(w.buf);
    count[s_offers] = m.offers.size();
  }
  {
    Writer w;
    w.buf.reserve(m.residents.size() * 64);
    for (const auto& r : m.residents) {
      w.key(r.key);
      w.u32(r.household.index());
      w.u32(pool.id(r.neighbourhood));
      w.f64(r.location.x_m);
      w.f64(r.location.y_m);
      w.u8(static_cast<std::uint8_t>(r.age_band));
      list(w, r.languages);
      w.u32(r.availability.bits);
      w.f64(r.max_travel_m);
      w.u8((r.group_averse ? 1U : 0U) | (r.care_avoider ? 2U : 0U));
      w.u32(r.attends.size());
      for (OfferId o : r.attends) w.u32(o.index());
    }
    payload[s_residents] = std::move(w.buf);
    count[s_residents] = m.residents.size();
  }
  {
    Writer w;
    w.buf.reserve(m.ties.size() * 35);
    for (const auto& t : m.ties) {
      w.u32(t.helper.index());
      w.u32(t.helped.index());
      w.u8(static_cast<std::uint8_t>(t.kind));
      w.f64(t.strength);
      w.u16(t.domains.bits);
      w.f64(t.hours_per_week);
      w.f64(t.hours_used);
    }
    payload[s_ties] = std::move(w.buf);
    count[s_ties] = m.ties.size();
  }
  {
    Writer w;
    for (const auto& n : m.needs) {
      w.key(n.key);
      w.u32(n.resident.index());
      w.u8(static_cast<std::uint8_t>(n.domain));
      w.i32(n.severity);
      w.u8((n.crisis ? 1U : 0U) | (n.safety_report ? 2U : 0U));
      w.i32(n.rent_arrears_months);
      w.i32(n.since.time_since_epoch().count());
      w.u8(static_cast<std::uint8_t>(n.status));
    }
    payload[s_needs] = std::move(w.buf);
    count[s_needs] = m.needs.size();
  }
  {
    Writer w;
    for (const auto& p : m.professionals) {
      w.key(p.key);
      w.u16(p.specialisms.bits);
      list(w, p.languages);
      w.u32(p.work_area.size());
      for (const auto& code : p.work_area) w.u32(pool.id(code));
      w.i32(p.caseload_cap);
      w.i32(p.caseload);
    }
    payload[s_professionals] = std::move(w.buf);
    count[s_professionals] = m.professionals.size();
  }
  {
    Writer w;
    for (const auto& s : pool.strings()) w.key(s);
    payload[s_strings] = std::move(w.buf);
    count[s_strings] = pool.strings().size();
  }

  std::size_t total = header_size;
  for (const auto& p : payload) total += section_header_size + p.size();
  Writer out;
  out.buf.reserve(total);
  out.buf.append(reinterpret_cast<const char*>(magic.data()), magic.size());
  out.u32(binary_version);
  out.u32(static_cast<std::uint32_t>(model_format_version));
  out.u32(section_count);
  out.u32(0);
  out.u64(total);
  out.u64(checksum(reinterpret_cast<const unsigned char*>(out.buf.data()), 32));
  for (std::size_t s = 0; s < section_count; ++s) {
    if (count[s] > 0xFFFFFFFFULL) throw Error("save_model_binary: too many entities");
    const std::size_t at = out.buf.size();
    out.u32(section_tags[s]);
    out.u32(count[s]);
    out.u64(payload[s].size());
    out.u64(0);
    out.buf.append(payload[s]);
    // The checksum covers the first 16 bytes of the section header and the payload.
    const auto* base = reinterpret_cast<const unsigned char*>(out.buf.data());
    const std::uint64_t h =
        absorb(checksum(base + at, 16), checksum(base + at + section_header_size, payload[s].size()));
    out.patch64(at + 16, h);
    std::string().swap(payload[s]);
  }
  return std::move(out.buf);
}

// ----------------------------------------------------------------------------- reading

[[noreturn]] void fail(std::string pointer, std::string reason) {
  throw InputError({Problem{std::move(pointer), std::move(reason)}});
}

/// Reads one section's payload; every read is bounds-checked.
class Cursor {
 public:
  Cursor(const unsigned char* begin, const unsigned char* end, std::string_view section)
      : p_(begin), end_(end), section_(section) {}
  void at(std::size_t index) noexcept { index_ = index; }
  std::string where(std::string_view field = {}) const {
    std::string s = "/";
    s += section_;
    s += '/';
    s += std::to_string(index_);
    if (!field.empty()) {
      s += '/';
      s += field;
    }
    return s;
  }
  std::uint64_t u8(std::string_view field) { return get(1, field); }
  std::uint64_t u16(std::string_view field) { return get(2, field); }
  std::uint64_t u32(std::string_view field) { return get(4, field); }
  std::uint64_t u64(std::string_view field) { return get(8, field); }
  std::int64_t i32(std::string_view field) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(get(4, field)));
  }
  double f64(std::string_view field) { return std::bit_cast<double>(get(8, field)); }
  std::string_view bytes(std::size_t n, std::string_view field) {
    need(n, field);
    std::string_view v(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return v;
  }
  std::size_t left() const noexcept { return static_cast<std::size_t>(end_ - p_); }
  /// Refuses a count that cannot fit in what is left (each element at least `min_size` bytes).
  void check_count(std::uint64_t count, std::size_t min_size, std::string_view field) const {
    if (count > left() / std::max<std::size_t>(1, min_size))
      fail(where(field), "count " + std::to_string(count) + " does not fit in the section (the file is damaged)");
  }

 private:
  void need(std::size_t n, std::string_view field) const {
    if (left() < n) fail(where(field), "the section ends inside this entity (the file is damaged or truncated)");
  }
  std::uint64_t get(int n, std::string_view field) {
    need(static_cast<std::size_t>(n), field);
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(p_[i]) << (8 * i);
    p_ += n;
    return v;
  }
  const unsigned char* p_;
  const unsigned char* end_;
  std::string_view section_;
  std::size_t index_ = 0;
};

bool valid_key(std::string_view k) noexcept {
  if (k.empty() || k.size() > 64) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
  });
}
bool valid_identifier(std::string_view k) noexcept {
  if (k.empty() || k.size() > 64 || k[0] < 'a' || k[0] > 'z') return false;
  return std::all_of(k.begin(), k.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}
bool valid_language(std::string_view k) noexcept {
  return k.size() == 2 && k[0] >= 'a' && k[0] <= 'z' && k[1] >= 'a' && k[1] <= 'z';
}

/// The string section, with each entry checked once for the use it is put to.
class Pool {
 public:
  std::vector<std::string> strings;
  enum Use : std::uint8_t { neighbourhood = 1, language = 2, kind = 4 };
  const std::string& get(Cursor& c, std::string_view field, Use use) {
    const auto i = c.u32(field);
    if (i >= strings.size())
      fail(c.where(field), "refers to string " + std::to_string(i) + " of " + std::to_string(strings.size()));
    if (!(checked_[i] & use)) {
      const std::string& s = strings[i];
      if (use == neighbourhood) {
        if (auto why = check_area_code(s, AreaLevel::neighbourhood)) fail(c.where(field), *why);
      } else if (use == language) {
        if (!valid_language(s))
          fail(c.where(field), "must be an ISO 639-1 language code: two lowercase letters, e.g. \"nl\"");
      } else if (!valid_identifier(s)) {
        fail(c.where(field), "must be a lowercase identifier");
      }
      checked_[i] = static_cast<std::uint8_t>(checked_[i] | use);
    }
    return strings[i];
  }
  void done_reading() { checked_.assign(strings.size(), 0); }

 private:
  std::vector<std::uint8_t> checked_;
};

std::string read_key(Cursor& c) {
  const auto n = c.u8("key");
  const auto k = c.bytes(n, "key");
  if (!valid_key(k))
    fail(c.where("key"), "must be a pseudonymous key of 1 to 64 letters, digits, '_', '-', '.' or ':'");
  return std::string(k);
}

double read_number(Cursor& c, std::string_view field, double lo, double hi) {
  const double v = c.f64(field);
  if (!std::isfinite(v) || v < lo || v > hi)
    fail(c.where(field),
         "must be a finite number in [" + detail::format_number(lo) + ", " + detail::format_number(hi) + "]");
  return v;
}

std::int64_t read_int(Cursor& c, std::string_view field, std::int64_t lo, std::int64_t hi) {
  const auto v = c.i32(field);
  if (v < lo || v > hi)
    fail(c.where(field), "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

template <class E>
E read_enum(Cursor& c, std::string_view field, std::size_t count) {
  const auto v = c.u8(field);
  if (v >= count) fail(c.where(field), "unknown value " + std::to_string(v));
  return static_cast<E>(v);
}

Location read_location(Cursor& c) {
  Location l;
  l.x_m = read_number(c, "location/x", 0.0, 300000.0);
  l.y_m = read_number(c, "location/y", 300000.0, 625000.0);
  return l;
}

std::vector<std::string> read_languages(Cursor& c, Pool& pool) {
  const auto n = c.u8("languages");
  if (n == 0) fail(c.where("languages"), "must list at least one language");
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& s = pool.get(c, "languages", Pool::language);
    if (std::find(out.begin(), out.end(), s) != out.end())
      fail(c.where("languages/" + std::to_string(i)), "duplicate language");
    out.push_back(s);
  }
  return out;
}

WeeklySchedule read_schedule(Cursor& c, std::string_view field) {
  const auto bits = c.u32(field);
  if (bits >> (day_count * day_part_count)) fail(c.where(field), "has bits beyond the 21 day-parts of a week");
  return WeeklySchedule{static_cast<std::uint32_t>(bits)};
}

DomainSet read_domains(Cursor& c, std::string_view field, bool allow_empty) {
  const auto bits = c.u16(field);
  if (bits >> life_domain_count)
    fail(c.where(field), "has bits beyond the " + std::to_string(life_domain_count) + " life domains");
  if (!allow_empty && bits == 0) fail(c.where(field), "must list at least one life domain");
  return DomainSet{static_cast<std::uint16_t>(bits)};
}

Model decode(const unsigned char* data, std::size_t size) {
  // Header.
  if (size < header_size)
    fail("", "not a wijkmatch binary model: " + std::to_string(size) + " bytes is shorter than the header");
  if (!std::equal(magic.begin(), magic.end(), data)) fail("", "not a wijkmatch binary model (wrong magic bytes)");
  Cursor h(data + 8, data + header_size, "header");
  const auto version = h.u32("version");
  const auto model_version = h.u32("format_version");
  const auto sections = h.u32("sections");
  const auto flags = h.u32("flags");
  const auto declared_size = h.u64("size");
  const auto header_sum = h.u64("checksum");
  if (header_sum != checksum(data, 32)) fail("", "header checksum mismatch (the file is damaged)");
  if (version != binary_version)
    fail("", "unsupported binary version " + std::to_string(version) + "; this build reads " +
                 std::to_string(binary_version));
  if (model_version != static_cast<std::uint32_t>(model_format_version))
    fail("", "unsupported format version " + std::to_string(model_version) + "; this build reads " +
                 std::to_string(model_format_version));
  if (sections != section_count || flags != 0) fail("", "unexpected section count or flags");
  if (declared_size != size)
    fail("", "the file has " + std::to_string(size) + " bytes but its header says " + std::to_string(declared_size) +
                 (size < declared_size ? " (truncated)" : " (trailing bytes)"));

  // Section bounds and checksums.
  std::array<std::pair<const unsigned char*, const unsigned char*>, section_count> payload{};
  std::array<std::uint32_t, section_count> count{};
  std::size_t at = header_size;
  for (std::size_t s = 0; s < section_count; ++s) {
    const std::string where = std::string("/") + section_names[s];
    if (size - at < section_header_size) fail(where, "missing (the file is truncated)");
    Cursor sh(data + at, data + at + section_header_size, section_names[s]);
    const auto tag = sh.u32("tag");
    count[s] = static_cast<std::uint32_t>(sh.u32("count"));
    const auto bytes = sh.u64("bytes");
    const auto sum = sh.u64("checksum");
    if (tag != section_tags[s]) fail(where, "wrong section tag (the file is damaged)");
    if (bytes > size - at - section_header_size)
      fail(where, "extends past the end of the file (the file is damaged or truncated)");
    const unsigned char* p = data + at + section_header_size;
    if (absorb(checksum(data + at, 16), checksum(p, bytes)) != sum)
      fail(where, "checksum mismatch (the file is damaged)");
    payload[s] = {p, p + bytes};
    at += section_header_size + bytes;
  }
  if (at != size) fail("", "trailing bytes after the last section");
  auto cursor = [&](Section s) { return Cursor(payload[s].first, payload[s].second, section_names[s]); };
  auto finish = [](Cursor& c, std::size_t n) {
    c.at(n);
    if (c.left() != 0) fail(c.where(), "bytes left after the last entity (the file is damaged)");
  };

  Model m;
  Pool pool;
  {
    Cursor c = cursor(s_strings);
    c.check_count(count[s_strings], 1, "");
    pool.strings.reserve(count[s_strings]);
    for (std::size_t i = 0; i < count[s_strings]; ++i) {
      c.at(i);
      const auto n = c.u8("");
      pool.strings.emplace_back(c.bytes(n, ""));
    }
    finish(c, count[s_strings]);
    pool.done_reading();
  }
  {
    Cursor c = cursor(s_households);
    c.check_count(count[s_households], 6, "");
    m.households.resize(count[s_households]);
    for (std::size_t i = 0; i < m.households.size(); ++i) {
      c.at(i);
      m.households[i].key = read_key(c);
      m.households[i].neighbourhood = pool.get(c, "neighbourhood", Pool::neighbourhood);
    }
    finish(c, m.households.size());
  }
  {
    Cursor c = cursor(s_offers);
    c.check_count(count[s_offers], 60, "");
    m.offers.resize(count[s_offers]);
    for (std::size_t i = 0; i < m.offers.size(); ++i) {
      c.at(i);
      Offer& o = m.offers[i];
      o.key = read_key(c);
      o.kind = pool.get(c, "kind", Pool::kind);
      o.level = read_enum<LadderLevel>(c, "level", ladder_level_count);
      if (o.level == LadderLevel::own_network) fail(c.where("level"), "own_network help comes from ties, not offers");
      const auto fits = c.u8("domains");
      if (fits == 0) fail(c.where("domains"), "must serve at least one life domain");
      for (std::size_t k = 0; k < fits; ++k) {
        const auto d = static_cast<std::size_t>(read_enum<LifeDomain>(c, "domains", life_domain_count));
        const std::string field = "domains/" + std::string(to_string(static_cast<LifeDomain>(d)));
        if (o.fit[d] != 0.0) fail(c.where(field), "duplicate life domain");
        o.fit[d] = read_number(c, field, 0.0, 1.0);
        if (o.fit[d] <= 0.0) fail(c.where(field), "fit weight must be above 0");
      }
      o.seats = static_cast<int>(read_int(c, "seats", 0, 1000000));
      o.occupancy = static_cast<int>(read_int(c, "occupancy", 0, o.seats));
      o.min_group_size = static_cast<int>(read_int(c, "min_group_size", 0, o.seats));
      o.schedule = read_schedule(c, "schedule");
      o.location = read_location(c);
      o.neighbourhood = pool.get(c, "neighbourhood", Pool::neighbourhood);
      o.languages = read_languages(c, pool);
      o.cost_per_month = read_number(c, "cost_per_month", 0.0, 1.0e7);
      const auto ages = c.u8("eligibility/age_bands");
      if (ages >> age_band_count) fail(c.where("eligibility/age_bands"), "has bits beyond the 6 age bands");
      o.eligibility.age_bands.bits = static_cast<std::uint8_t>(ages);
      o.eligibility.severity_min = static_cast<int>(read_int(c, "eligibility/severity_min", 1, 5));
      o.eligibility.severity_max =
          static_cast<int>(read_int(c, "eligibility/severity_max", o.eligibility.severity_min, 5));
      const auto referral = c.u8("eligibility/referral_required");
      if (referral > 1) fail(c.where("eligibility/referral_required"), "must be 0 or 1");
      o.eligibility.referral_required = referral == 1;
      o.waiting_days = static_cast<int>(read_int(c, "waiting_days", 0, 3650));
    }
    finish(c, m.offers.size());
  }
  std::vector<int> attendees(m.offers.size(), 0);
  {
    Cursor c = cursor(s_residents);
    c.check_count(count[s_residents], 49, "");
    m.residents.resize(count[s_residents]);
    std::vector<char> has_member(m.households.size(), 0);
    for (std::size_t i = 0; i < m.residents.size(); ++i) {
      c.at(i);
      Resident& r = m.residents[i];
      r.key = read_key(c);
      const auto hh = c.u32("household");
      if (hh >= m.households.size()) fail(c.where("household"), "unknown household " + std::to_string(hh));
      r.household = HouseholdId(static_cast<std::uint32_t>(hh));
      has_member[hh] = 1;
      r.neighbourhood = pool.get(c, "neighbourhood", Pool::neighbourhood);
      if (r.neighbourhood != m.households[hh].neighbourhood)
        fail(c.where("neighbourhood"),
             "must equal its household's neighbourhood (" + m.households[hh].neighbourhood + ")");
      r.location = read_location(c);
      r.age_band = read_enum<AgeBand>(c, "age_band", age_band_count);
      r.languages = read_languages(c, pool);
      r.availability = read_schedule(c, "availability");
      r.max_travel_m = read_number(c, "max_travel_m", 0.0, 100000.0);
      const auto flags_byte = c.u8("group_averse");
      if (flags_byte > 3) fail(c.where("group_averse"), "unknown flags");
      r.group_averse = flags_byte & 1;
      r.care_avoider = flags_byte & 2;
      const auto n = c.u32("attends");
      c.check_count(n, 4, "attends");
      r.attends.reserve(n);
      for (std::size_t k = 0; k < n; ++k) {
        const auto o = c.u32("attends");
        if (o >= m.offers.size()) fail(c.where("attends/" + std::to_string(k)), "unknown offer " + std::to_string(o));
        if (std::find(r.attends.begin(), r.attends.end(), OfferId(static_cast<std::uint32_t>(o))) != r.attends.end())
          fail(c.where("attends/" + std::to_string(k)), "duplicate offer");
        r.attends.emplace_back(static_cast<std::uint32_t>(o));
        ++attendees[o];
      }
    }
    finish(c, m.residents.size());
    for (std::size_t o = 0; o < m.offers.size(); ++o)
      if (attendees[o] > m.offers[o].occupancy)
        fail("/offers/" + std::to_string(o) + "/occupancy", std::to_string(m.offers[o].occupancy) + " is below the " +
                                                                std::to_string(attendees[o]) +
                                                                " residents whose attends list this offer");
    for (std::size_t hh = 0; hh < has_member.size(); ++hh)
      if (!has_member[hh]) fail("/households/" + std::to_string(hh), "no resident belongs to this household");
  }
  {
    Cursor c = cursor(s_ties);
    c.check_count(count[s_ties], 35, "");
    m.ties.resize(count[s_ties]);
    std::vector<std::uint32_t> per_helper(m.residents.size() + 1, 0);
    for (std::size_t i = 0; i < m.ties.size(); ++i) {
      c.at(i);
      Tie& t = m.ties[i];
      const auto helper = c.u32("helper"), helped = c.u32("helped");
      if (helper >= m.residents.size()) fail(c.where("helper"), "unknown resident " + std::to_string(helper));
      if (helped >= m.residents.size()) fail(c.where("helped"), "unknown resident " + std::to_string(helped));
      if (helper == helped) fail(c.where("helped"), "a tie cannot join a resident to themself");
      t.helper = ResidentId(static_cast<std::uint32_t>(helper));
      t.helped = ResidentId(static_cast<std::uint32_t>(helped));
      t.kind = read_enum<TieKind>(c, "kind", tie_kind_count);
      t.strength = read_number(c, "strength", 0.0, 1.0);
      if (t.strength <= 0.0) fail(c.where("strength"), "must be above 0 and at most 1");
      t.domains = read_domains(c, "domains", true);
      t.hours_per_week = read_number(c, "hours_per_week", 0.0, 168.0);
      t.hours_used = read_number(c, "hours_used", 0.0, t.hours_per_week);
      ++per_helper[helper + 1];
    }
    finish(c, m.ties.size());
    // Duplicate (helper, helped, kind): bucket the ties by helper, then compare within a bucket.
    for (std::size_t r = 1; r < per_helper.size(); ++r) per_helper[r] += per_helper[r - 1];
    std::vector<std::uint32_t> order(m.ties.size());
    {
      std::vector<std::uint32_t> next(per_helper.begin(), per_helper.end() - 1);
      for (std::uint32_t i = 0; i < m.ties.size(); ++i) order[next[m.ties[i].helper.index()]++] = i;
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>> bucket;
    for (std::size_t r = 0; r + 1 < per_helper.size(); ++r) {
      if (per_helper[r + 1] - per_helper[r] < 2) continue;
      bucket.clear();
      for (std::uint32_t k = per_helper[r]; k < per_helper[r + 1]; ++k) {
        const Tie& t = m.ties[order[k]];
        bucket.emplace_back(static_cast<std::uint64_t>(t.helped.index()) << 8 | static_cast<std::uint64_t>(t.kind),
                            order[k]);
      }
      std::sort(bucket.begin(), bucket.end());
      for (std::size_t k = 1; k < bucket.size(); ++k)
        if (bucket[k].first == bucket[k - 1].first)
          fail("/ties/" + std::to_string(bucket[k].second),
               "duplicate tie: the same helper, helped and kind appear earlier");
    }
  }
  {
    Cursor c = cursor(s_needs);
    c.check_count(count[s_needs], 21, "");
    m.needs.resize(count[s_needs]);
    const std::int64_t first_day = std::chrono::sys_days(std::chrono::year(1900) / 1 / 1).time_since_epoch().count();
    const std::int64_t last_day = std::chrono::sys_days(std::chrono::year(2199) / 12 / 31).time_since_epoch().count();
    for (std::size_t i = 0; i < m.needs.size(); ++i) {
      c.at(i);
      Need& n = m.needs[i];
      n.key = read_key(c);
      const auto res = c.u32("resident");
      if (res >= m.residents.size()) fail(c.where("resident"), "unknown resident " + std::to_string(res));
      n.resident = ResidentId(static_cast<std::uint32_t>(res));
      n.domain = read_enum<LifeDomain>(c, "domain", life_domain_count);
      n.severity = static_cast<int>(read_int(c, "severity", 1, 5));
      const auto flags_byte = c.u8("crisis");
      if (flags_byte > 3) fail(c.where("crisis"), "unknown flags");
      n.crisis = flags_byte & 1;
      n.safety_report = flags_byte & 2;
      n.rent_arrears_months = static_cast<int>(read_int(c, "rent_arrears_months", 0, 120));
      n.since = Date{std::chrono::days{static_cast<std::chrono::days::rep>(read_int(c, "since", first_day, last_day))}};
      n.status = read_enum<NeedStatus>(c, "status", need_status_count);
    }
    finish(c, m.needs.size());
  }
  {
    Cursor c = cursor(s_professionals);
    c.check_count(count[s_professionals], 20, "");
    m.professionals.resize(count[s_professionals]);
    for (std::size_t i = 0; i < m.professionals.size(); ++i) {
      c.at(i);
      Professional& p = m.professionals[i];
      p.key = read_key(c);
      p.specialisms = read_domains(c, "specialisms", true);
      p.languages = read_languages(c, pool);
      const auto n = c.u32("work_area");
      if (n == 0) fail(c.where("work_area"), "must be a non-empty array of CBS neighbourhood codes");
      c.check_count(n, 4, "work_area");
      p.work_area.reserve(n);
      for (std::size_t k = 0; k < n; ++k) {
        const std::string& code = pool.get(c, "work_area", Pool::neighbourhood);
        if (std::find(p.work_area.begin(), p.work_area.end(), code) != p.work_area.end())
          fail(c.where("work_area/" + std::to_string(k)), "duplicate neighbourhood");
        p.work_area.push_back(code);
      }
      p.caseload_cap = static_cast<int>(read_int(c, "caseload_cap", 0, 10000));
      p.caseload = static_cast<int>(read_int(c, "caseload", 0, p.caseload_cap));
    }
    finish(c, m.professionals.size());
  }
  m.rebuild_index();  // InputError for a duplicate key, with its pointer
  return m;
}

}  // namespace

namespace detail {

std::string encode_model_binary(const Model& model) { return encode(model); }

Model decode_model_binary(std::string_view bytes) {
  return decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

void reseal_model_binary(std::string& bytes) {
  if (bytes.size() < header_size) return;
  auto* data = reinterpret_cast<unsigned char*>(bytes.data());
  auto patch = [&](std::size_t at, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) data[at + i] = static_cast<unsigned char>(v >> (8 * i) & 0xFF);
  };
  patch(24, bytes.size());
  patch(32, checksum(data, 32));
  std::size_t at = header_size;
  for (std::size_t s = 0; s < section_count && bytes.size() - at >= section_header_size; ++s) {
    const std::uint64_t payload = load64(data + at + 8);
    if (payload > bytes.size() - at - section_header_size) return;
    patch(at + 16, absorb(checksum(data + at, 16), checksum(data + at + section_header_size, payload)));
    at += section_header_size + payload;
  }
}

}  // namespace detail

void save_model_binary(const Model& model, const std::filesystem::path& path) {
  detail::write_file_atomically(path, encode(model));
}

Model load_model_binary(const std::filesystem::path& path, const LoadOptions& options) {
  const std::string bytes = read_file_checked(path, options.max_bytes);
  return decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

Model load_any(const std::filesystem::path& path, const LoadOptions& options) {
  if (path.extension() == ".wjm") return load_model_binary(path, options);
  return load_model(path, options);
}

}  // namespace wijkmatch
