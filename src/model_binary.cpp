// The binary model format (`.wjm`), see docs/format.md, "Binary form (.wjm)".
//
// Layout, all integers little-endian, doubles as IEEE 754 binary64 bit patterns:
//   header (40 bytes): magic 89 'W' 'J' 'M' 0D 0A 1A 0A | u32 binary version (1 or 2) | u32 model
//     format version | u32 section count (7) | u32 flags (0; 1 see below) | u64 file size | u64 checksum of
//     the 32 bytes before it
//   7 sections in this order: strings, households, offers, residents, ties, needs, professionals;
//     each: u32 tag | u32 entity count | u64 payload bytes | u64 checksum of (tag, count, payload
//     bytes, payload) | payload
// Repeated short strings (neighbourhood codes, languages, kinds of offers) are stored once in the
// string section and referred to by index; keys are stored inline (u8 length + bytes); lists are
// a count followed by their elements; references are u32 positions.
// Binary version 2 adds format v1.1 at the end of each offer (organiser, volunteers,
// hours_per_seat, initiative) and each resident (offers_help). A model without v1.1 members is
// written as version 1, byte for byte as before; both versions are read. In version 2, header
// flag bit 0 marks that every offer ends with its confirmation date (u8 present, i32 days since
// 1970-01-01); the flag is set only when some offer has one, so older files read unchanged and
// older readers refuse the new ones instead of misreading them.
//
// Loading checks, in this order: the file size limit, the header (magic, versions, size,
// checksum), each section's bounds and checksum (damage here stops the reader with that one
// problem), the fields only this form can get wrong (string indices, flags, fit entries), and
// then Model::check(), the semantic check the JSON loader applies too. Every problem found is
// reported in one InputError, each with the JSON pointer of its field, e.g.
// "/residents/12/household"; a damaged or truncated file never crashes the reader.
#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "json_util.hpp"
#include "model_binary.hpp"
#include "model_check.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

constexpr std::array<unsigned char, 8> magic{0x89, 'W', 'J', 'M', 0x0D, 0x0A, 0x1A, 0x0A};
// Version 1: format v1. Version 2: format v1.1 members appended to offers and residents.
constexpr std::uint32_t binary_version_v1 = 1, binary_version = 2;
constexpr std::size_t header_size = 40, section_header_size = 24;
constexpr std::uint32_t flag_confirmed = 1;  // version 2 only: offers end with a confirmation date

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
// The fewest bytes an entity of each section takes: a count larger than the payload allows is
// damage, refused before anything is allocated for it.
constexpr std::array<std::size_t, section_count> min_entity_bytes_v1{1, 6, 60, 49, 35, 21, 20};
// Version 2: an offer has 31 more bytes (organiser kind, two counts, organisation, hours per
// seat, initiative), a resident 1 (the offers_help flag; 22 more when it is set).
constexpr std::array<std::size_t, section_count> min_entity_bytes{1, 6, 91, 50, 35, 21, 20};

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
  const bool v2 = m.uses_v1_1();
  const bool confirmed =
      std::any_of(m.offers.begin(), m.offers.end(), [](const Offer& o) { return o.confirmed.has_value(); });
  StringPool pool;
  std::array<std::string, section_count> payload;
  std::array<std::size_t, section_count> count{};
  auto list = [&](Writer& w, const std::vector<std::string>& items) {
    if (items.size() > 255) throw Error("save_model_binary: more than 255 languages");
    w.u8(items.size());
    for (const auto& s : items) w.u32(pool.id(s));
  };
  // One section: its entities written one after another, and their count.
  auto section = [&](Section s, const auto& items, auto write) {
    Writer w;
    w.buf.reserve(items.size() * (v2 ? min_entity_bytes : min_entity_bytes_v1)[s]);
    for (const auto& item : items) write(w, item);
    payload[s] = std::move(w.buf);
    count[s] = items.size();
  };
  section(s_households, m.households, [&](Writer& w, const Household& h) {
    w.key(h.key);
    w.u32(pool.id(h.neighbourhood));
  });
  section(s_offers, m.offers, [&](Writer& w, const Offer& o) {
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
    if (!v2) return;
    w.u8(static_cast<std::uint8_t>(o.organiser.kind));
    w.u32(o.organiser.residents.size());
    for (ResidentId r : o.organiser.residents) w.u32(r.index());
    w.u32(pool.id(o.organiser.organisation));
    w.u32(o.volunteers.size());
    for (const auto& v : o.volunteers) {
      w.u32(v.resident.index());
      w.f64(v.hours_per_week);
    }
    w.f64(o.hours_per_seat);
    const bool budget = o.initiative && o.initiative->budget_euro;
    w.u8((o.initiative ? 1U : 0U) | (budget ? 2U : 0U));
    w.u8(o.initiative ? static_cast<std::uint8_t>(o.initiative->status) : 0U);
    w.f64(budget ? *o.initiative->budget_euro : 0.0);
    if (!confirmed) return;
    w.u8(o.confirmed ? 1U : 0U);
    w.i32(o.confirmed ? o.confirmed->time_since_epoch().count() : 0);
  });
  section(s_residents, m.residents, [&](Writer& w, const Resident& r) {
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
    if (!v2) return;
    // One byte for the many residents who offer no help.
    // Bit 1: hours_used follows (only when some are used, so files without it are unchanged).
    const bool used = r.offers_help && r.offers_help->hours_used > 0.0;
    w.u8((r.offers_help ? 1U : 0U) | (used ? 2U : 0U));
    if (!r.offers_help) return;
    w.u16(r.offers_help->domains.bits);
    w.f64(r.offers_help->hours_per_week);
    w.u32(r.offers_help->day_parts.bits);
    w.f64(r.offers_help->radius_m);
    if (used) w.f64(r.offers_help->hours_used);
  });
  section(s_ties, m.ties, [](Writer& w, const Tie& t) {
    w.u32(t.helper.index());
    w.u32(t.helped.index());
    w.u8(static_cast<std::uint8_t>(t.kind));
    w.f64(t.strength);
    w.u16(t.domains.bits);
    w.f64(t.hours_per_week);
    w.f64(t.hours_used);
  });
  section(s_needs, m.needs, [](Writer& w, const Need& n) {
    w.key(n.key);
    w.u32(n.resident.index());
    w.u8(static_cast<std::uint8_t>(n.domain));
    w.i32(n.severity);
    w.u8((n.crisis ? 1U : 0U) | (n.safety_report ? 2U : 0U));
    w.i32(n.rent_arrears_months);
    w.i32(n.since.time_since_epoch().count());
    w.u8(static_cast<std::uint8_t>(n.status));
  });
  section(s_professionals, m.professionals, [&](Writer& w, const Professional& p) {
    w.key(p.key);
    w.u16(p.specialisms.bits);
    list(w, p.languages);
    w.u32(p.work_area.size());
    for (const auto& code : p.work_area) w.u32(pool.id(code));
    w.i32(p.caseload_cap);
    w.i32(p.caseload);
  });
  // Last: the string section holds what the others put in the pool.
  section(s_strings, pool.strings(), [](Writer& w, const std::string& s) { w.key(s); });

  std::size_t total = header_size;
  for (const auto& p : payload) total += section_header_size + p.size();
  Writer out;
  out.buf.reserve(total);
  out.buf.append(reinterpret_cast<const char*>(magic.data()), magic.size());
  out.u32(v2 ? binary_version : binary_version_v1);
  out.u32(static_cast<std::uint32_t>(model_format_version));
  out.u32(section_count);
  out.u32(confirmed ? flag_confirmed : 0U);
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
  std::string where(std::string_view field = {}) const { return detail::entity_pointer(section_, index_, field); }
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
      fail(field.empty() ? "/" + std::string(section_) : where(field),
           "count " + std::to_string(count) + " does not fit in the section (the file is damaged)");
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

/// Problems of single fields, collected so that a file reports all of them, as JSON does.
/// Damage to the structure (bounds, counts, checksums) still stops the reader at once.
class Notes {
 public:
  explicit Notes(std::size_t limit) : limit_(limit) {}
  void add(std::string pointer, std::string reason) {
    if (problems.size() < limit_) problems.push_back({std::move(pointer), std::move(reason)});
  }
  std::vector<Problem> problems;

 private:
  std::size_t limit_;
};

/// The string section; an index past its end is noted and read as "".
class Pool {
 public:
  std::vector<std::string> strings;
  const std::string& get(Cursor& c, std::string_view field, Notes& notes) {
    const auto i = c.u32(field);
    if (i < strings.size()) return strings[i];
    notes.add(c.where(field), "refers to string " + std::to_string(i) + " of " + std::to_string(strings.size()));
    return none_;
  }

 private:
  const std::string none_;
};

std::string read_key(Cursor& c) {
  const auto n = c.u8("key");
  return std::string(c.bytes(n, "key"));
}

// Enumerations, numbers and sets are stored as found: Model::check() judges their values.
template <class E>
E read_enum(Cursor& c, std::string_view field) {
  return static_cast<E>(c.u8(field));
}

Location read_location(Cursor& c) {
  Location l;
  l.x_m = c.f64("location/x");
  l.y_m = c.f64("location/y");
  return l;
}

std::vector<std::string> read_strings(Cursor& c, Pool& pool, std::string_view field, std::size_t n, Notes& notes) {
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(pool.get(c, std::string(field) + "/" + std::to_string(i), notes));
  return out;
}

std::vector<std::string> read_languages(Cursor& c, Pool& pool, Notes& notes) {
  return read_strings(c, pool, "languages", c.u8("languages"), notes);
}

Model decode(const unsigned char* data, std::size_t size, std::size_t max_problems) {
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
  if (version != binary_version_v1 && version != binary_version)
    fail("", "unsupported binary version " + std::to_string(version) + "; this build reads " +
                 std::to_string(binary_version_v1) + " and " + std::to_string(binary_version));
  const bool v2 = version == binary_version;
  const auto& min_bytes = v2 ? min_entity_bytes : min_entity_bytes_v1;
  if (model_version != static_cast<std::uint32_t>(model_format_version))
    fail("", "unsupported format version " + std::to_string(model_version) + "; this build reads " +
                 std::to_string(model_format_version));
  if (sections != section_count || (flags != 0 && !(v2 && flags == flag_confirmed)))
    fail("", "unexpected section count or flags");
  const bool confirmed = flags == flag_confirmed;
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
  Model m;
  Pool pool;
  Notes notes(max_problems);
  // One section: its entities read one after another, each at its index for the messages, and
  // nothing left over.
  auto section = [&](Section s, auto& items, auto read) {
    Cursor c(payload[s].first, payload[s].second, section_names[s]);
    c.check_count(count[s], min_bytes[s], "");
    items.resize(count[s]);
    for (std::size_t i = 0; i < items.size(); ++i) {
      c.at(i);
      read(c, items[i]);
    }
    c.at(items.size());
    if (c.left() != 0) fail(c.where(), "bytes left after the last entity (the file is damaged)");
  };
  section(s_strings, pool.strings, [](Cursor& c, std::string& s) {
    const auto n = c.u8("");
    s = c.bytes(n, "");
  });
  section(s_households, m.households, [&](Cursor& c, Household& h) {
    h.key = read_key(c);
    h.neighbourhood = pool.get(c, "neighbourhood", notes);
  });
  section(s_offers, m.offers, [&](Cursor& c, Offer& o) {
    o.key = read_key(c);
    o.kind = pool.get(c, "kind", notes);
    o.level = read_enum<LadderLevel>(c, "level");
    const auto fits = c.u8("domains");
    for (std::size_t k = 0; k < fits; ++k) {
      const auto d = c.u8("domains");
      const double fit = c.f64("domains");
      if (d >= life_domain_count) {
        notes.add(c.where("domains"), "unknown life domain " + std::to_string(d));
        continue;
      }
      const std::string field = "domains/" + std::string(to_string(static_cast<LifeDomain>(d)));
      if (o.fit[d] != 0.0)
        notes.add(c.where(field), "duplicate life domain");
      else if (fit == 0.0)
        notes.add(c.where(field), "fit weight must be above 0");
      else
        o.fit[d] = fit;
    }
    o.seats = static_cast<int>(c.i32("seats"));
    o.occupancy = static_cast<int>(c.i32("occupancy"));
    o.min_group_size = static_cast<int>(c.i32("min_group_size"));
    o.schedule.bits = static_cast<std::uint32_t>(c.u32("schedule"));
    o.location = read_location(c);
    o.neighbourhood = pool.get(c, "neighbourhood", notes);
    o.languages = read_languages(c, pool, notes);
    o.cost_per_month = c.f64("cost_per_month");
    o.eligibility.age_bands.bits = static_cast<std::uint8_t>(c.u8("eligibility/age_bands"));
    o.eligibility.severity_min = static_cast<int>(c.i32("eligibility/severity_min"));
    o.eligibility.severity_max = static_cast<int>(c.i32("eligibility/severity_max"));
    const auto referral = c.u8("eligibility/referral_required");
    if (referral > 1) notes.add(c.where("eligibility/referral_required"), "must be 0 or 1");
    o.eligibility.referral_required = referral == 1;
    o.waiting_days = static_cast<int>(c.i32("waiting_days"));
    if (!v2) return;
    o.organiser.kind = read_enum<OrganiserKind>(c, "organiser/kind");
    const auto organisers = c.u32("organiser/residents");
    c.check_count(organisers, 4, "organiser/residents");
    o.organiser.residents.reserve(organisers);
    for (std::size_t k = 0; k < organisers; ++k)
      o.organiser.residents.emplace_back(static_cast<std::uint32_t>(c.u32("organiser/residents")));
    o.organiser.organisation = pool.get(c, "organiser/organisation", notes);
    const auto volunteers = c.u32("volunteers");
    c.check_count(volunteers, 12, "volunteers");
    o.volunteers.resize(volunteers);
    for (auto& v : o.volunteers) {
      v.resident = ResidentId(static_cast<std::uint32_t>(c.u32("volunteers")));
      v.hours_per_week = c.f64("volunteers");
    }
    o.hours_per_seat = c.f64("hours_per_seat");
    const auto initiative = c.u8("initiative");
    const auto status = read_enum<InitiativeStatus>(c, "initiative/status");
    const double budget = c.f64("initiative/budget_euro");
    if (initiative > 3 || initiative == 2) notes.add(c.where("initiative"), "unknown flags");
    if (initiative & 1U)
      o.initiative = Initiative{status, (initiative & 2U) ? std::optional<double>(budget) : std::nullopt};
    if (!confirmed) return;
    const auto has_confirmed = c.u8("confirmed");
    const auto days = c.i32("confirmed");
    if (has_confirmed > 1) notes.add(c.where("confirmed"), "must be 0 or 1");
    if (has_confirmed == 1) o.confirmed = Date{std::chrono::days{static_cast<std::chrono::days::rep>(days)}};
  });
  section(s_residents, m.residents, [&](Cursor& c, Resident& r) {
    r.key = read_key(c);
    r.household = HouseholdId(static_cast<std::uint32_t>(c.u32("household")));
    r.neighbourhood = pool.get(c, "neighbourhood", notes);
    r.location = read_location(c);
    r.age_band = read_enum<AgeBand>(c, "age_band");
    r.languages = read_languages(c, pool, notes);
    r.availability.bits = static_cast<std::uint32_t>(c.u32("availability"));
    r.max_travel_m = c.f64("max_travel_m");
    const auto flags_byte = c.u8("group_averse");
    if (flags_byte > 3) notes.add(c.where("group_averse"), "unknown flags");
    r.group_averse = flags_byte & 1;
    r.care_avoider = flags_byte & 2;
    const auto n = c.u32("attends");
    c.check_count(n, 4, "attends");
    r.attends.reserve(n);
    for (std::size_t k = 0; k < n; ++k) r.attends.emplace_back(static_cast<std::uint32_t>(c.u32("attends")));
    if (!v2) return;
    const auto has_help = c.u8("offers_help");
    // Bit 0 says whether the help offer follows, bit 1 whether its hours_used do; the other
    // bits are unknown (noted, not skipped).
    if (has_help > 3 || has_help == 2) notes.add(c.where("offers_help"), "unknown flags");
    if ((has_help & 1U) == 0) return;
    HelpOffer help;
    help.domains.bits = static_cast<std::uint16_t>(c.u16("offers_help/domains"));
    help.hours_per_week = c.f64("offers_help/hours_per_week");
    help.day_parts.bits = static_cast<std::uint32_t>(c.u32("offers_help/day_parts"));
    help.radius_m = c.f64("offers_help/radius_m");
    if ((has_help & 2U) != 0) help.hours_used = c.f64("offers_help/hours_used");
    r.offers_help = help;
  });
  section(s_ties, m.ties, [](Cursor& c, Tie& t) {
    t.helper = ResidentId(static_cast<std::uint32_t>(c.u32("helper")));
    t.helped = ResidentId(static_cast<std::uint32_t>(c.u32("helped")));
    t.kind = read_enum<TieKind>(c, "kind");
    t.strength = c.f64("strength");
    t.domains.bits = static_cast<std::uint16_t>(c.u16("domains"));
    t.hours_per_week = c.f64("hours_per_week");
    t.hours_used = c.f64("hours_used");
  });
  section(s_needs, m.needs, [&](Cursor& c, Need& n) {
    n.key = read_key(c);
    n.resident = ResidentId(static_cast<std::uint32_t>(c.u32("resident")));
    n.domain = read_enum<LifeDomain>(c, "domain");
    n.severity = static_cast<int>(c.i32("severity"));
    const auto flags_byte = c.u8("crisis");
    if (flags_byte > 3) notes.add(c.where("crisis"), "unknown flags");
    n.crisis = flags_byte & 1;
    n.safety_report = flags_byte & 2;
    n.rent_arrears_months = static_cast<int>(c.i32("rent_arrears_months"));
    n.since = Date{std::chrono::days{static_cast<std::chrono::days::rep>(c.i32("since"))}};
    n.status = read_enum<NeedStatus>(c, "status");
  });
  section(s_professionals, m.professionals, [&](Cursor& c, Professional& p) {
    p.key = read_key(c);
    p.specialisms.bits = static_cast<std::uint16_t>(c.u16("specialisms"));
    p.languages = read_languages(c, pool, notes);
    const auto n = c.u32("work_area");
    c.check_count(n, 4, "work_area");
    p.work_area = read_strings(c, pool, "work_area", n, notes);
    p.caseload_cap = static_cast<int>(c.i32("caseload_cap"));
    p.caseload = static_cast<int>(c.i32("caseload"));
  });
  std::vector<Problem> problems = std::move(notes.problems);
  const detail::Reported reported(problems);
  detail::check_model(m, problems, max_problems, &reported);
  if (!problems.empty()) throw InputError(std::move(problems));
  m.rebuild_index();
  return m;
}

}  // namespace

namespace detail {

std::string encode_model_binary(const Model& model) { return encode(model); }

Model decode_model_binary(std::string_view bytes, std::size_t max_problems) {
  return decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), max_problems);
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
  write_file_atomic(path, encode(model));
}

Model load_model_binary(const std::filesystem::path& path, const LoadOptions& options) {
  const std::string bytes = read_input(path, options.max_bytes);
  return decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), options.max_problems);
}

namespace {

// The first four bytes of the magic decide: 0x89 never starts a UTF-8 JSON text (nor its BOM),
// and a file that starts so but is damaged after them gets the binary reader's exact message.
bool starts_binary(std::string_view head) {
  return head.size() >= 4 &&
         std::equal(magic.begin(), magic.begin() + 4, reinterpret_cast<const unsigned char*>(head.data()));
}

}  // namespace

bool is_binary_model(std::string_view head) noexcept { return starts_binary(head); }

Model load_any(const std::filesystem::path& path, const LoadOptions& options) {
  std::error_code ec;
  if (path != "-" && std::filesystem::is_regular_file(path, ec)) {
    // A regular file is peeked at and then read by its own loader, so that each keeps its
    // fast path (and its size check before reading).
    char head[4] = {};
    std::ifstream in(path, std::ios::binary);
    in.read(head, sizeof head);
    if (starts_binary(std::string_view(head, static_cast<std::size_t>(in.gcount()))))
      return load_model_binary(path, options);
    return load_model(path, options);
  }
  // Standard input, pipes and devices can be read only once: read, then decide. Missing files
  // and directories get read_input's messages.
  const std::string bytes = read_input(path, options.max_bytes);
  if (starts_binary(bytes))
    return decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), options.max_problems);
  return parse_model(bytes, options);
}

}  // namespace wijkmatch
