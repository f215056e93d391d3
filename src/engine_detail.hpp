// Private to the live engine. The engine's state is the model (with tombstones: retired offers,
// ended ties and residents gone keep their ids) plus what the model cannot hold: referrals,
// declines, plans, consent and the audit trail. The ranking indexes of a Ranker over the model
// are kept up to date event by event (RankingIndex's upkeep functions), never rebuilt.
//
//   engine.cpp         construction, rank, queries, the live model, checksum
//   engine_events.cpp  reading and applying each event kind
//   engine_state.cpp   the state as JSON (snapshots, checksum), audit and plan output
//   engine_journal.cpp the durable engine: open, replay, journal, snapshots
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "json_util.hpp"
#include "ranking_detail.hpp"
#include "wijkmatch/engine.hpp"

namespace wijkmatch::detail {

class Journal;

/// One event in a need's history.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string event_id;
  std::string type;
  Date at{};
  std::string body;  ///< the event as applied (canonical JSON)
};

/// A read of a household's plan.
struct AccessRecord {
  std::int64_t seq = 0;  ///< the state the read saw
  std::string party;
  std::uint32_t household = 0;
  Date at{};
  std::vector<PlanPart> parts;  ///< what was returned
};

template <class V>
using KeyMap = std::unordered_map<std::string, V>;

struct EngineState {
  /// keys_indexed: m's key maps are current (a model just decoded), so they are not built
  /// again (a second or more for a city of a million residents).
  EngineState(Model m, EngineOptions o, bool keys_indexed = false);
  ~EngineState();

  EngineOptions options;
  std::unique_ptr<Model> model;  ///< stable address: the ranker refers to it
  Ranker ranker;
  RankingIndex& index;
  std::int64_t seq = 0;

  std::vector<char> offer_retired, tie_ended, resident_gone;
  std::vector<int> attendees;  ///< by offer: residents whose attends list it (occupancy may not go below)

  std::vector<Referral> referrals;
  KeyMap<std::uint32_t> referral_by_key;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> referrals_by_need;
  /// Places held by referrals, so that a capacity event cannot go below them.
  std::unordered_map<std::uint32_t, int> seats_held;     ///< by offer
  std::unordered_map<std::uint32_t, double> hours_held;  ///< by tie

  std::unordered_map<std::uint32_t, int> caseload_held;                               ///< by professional
  std::unordered_map<std::uint32_t, std::array<int, decline_reason_count>> declines;  ///< by offer

  std::unordered_map<std::uint32_t, LivePlan> plans;                           ///< by household
  std::unordered_map<std::uint32_t, std::vector<AuditEntry>> audit;            ///< by need
  std::unordered_map<std::uint32_t, std::vector<AuditEntry>> household_audit;  ///< plan.coordinator, consent
  std::vector<AccessRecord> access;

  std::unordered_set<std::string> applied_ids;  ///< in-memory engines: the ids seen

  // Durable engines.
  std::unique_ptr<Journal> journal;
  std::int64_t since_snapshot = 0;

  /// Keeps the tombstone vectors the size of the model.
  void sync_sizes();
  bool live_tie(std::uint32_t t) const noexcept { return !tie_ended[t]; }

  /// The live ties from `helper` to `helped` (usually none or one; a model may hold two of
  /// different kinds). O(ties of the helper).
  std::vector<std::uint32_t> find_ties(std::uint32_t helper, std::uint32_t helped) const;
  /// The referrals of a need (ids), possibly empty.
  const std::vector<std::uint32_t>& referrals_of(std::uint32_t need) const;

  /// The state that is not in the model, as canonical JSON (sorted members).
  json state_json() const;
  /// Restores what state_json wrote, on a state built from the snapshot's model. Throws Error.
  void load_state(const json& state);
  std::uint64_t checksum() const;
};

/// A read event: the parsed JSON with its id, type and date, and a Reader whose first
/// problem becomes the EventError.
struct EventInput {
  const json& doc;
  std::string id;
  std::string type;
  Date at{};
};

/// Reads, checks and applies one event to `state`; throws EventError and changes nothing when
/// the event is refused. `journal_body` receives the canonical form to journal (and to keep in
/// the audit), and `commit` is called with it after every check passed and before the state
/// changes; an exception from `commit` (the journal failing) leaves the state unchanged.
void apply_event(EngineState& state, const EventInput& event,
                 const std::function<void(const std::string& canonical_body)>& commit);

/// FNV-1a, 64 bits, continuing from `h`: the digest of a state (model bytes, then state JSON).
std::uint64_t digest64(std::string_view bytes, std::uint64_t h = 14695981039346656037ULL) noexcept;

/// Every event type, in documentation order.
std::span<const std::string_view> event_types();

/// Throws EventError for `event_id` at `pointer`.
[[noreturn]] void refuse(const std::string& event_id, std::string pointer, std::string reason);

/// The option label a referral target has in events and output: an offer key,
/// "network:<helper key>" or "professional:<key>".
std::string target_label(const Model& model, const ReferralTarget& target);

/// Parses the envelope of an event (id, type, at) into `doc`; EventError when malformed.
EventInput read_event(std::string_view text, json& doc);
/// Applies one event to an engine whose lock the caller holds (duplicates answered, journaled
/// when durable).
Applied apply_locked(EngineState& state, std::string_view text);

// The durable side (engine_journal.cpp).
bool journal_has(const EngineState& state, const std::string& event_id);
std::int64_t journal_append(EngineState& state, const std::string& event_id, const std::string& body);
/// Snapshots when options.snapshot_every says so.
void after_durable_event(EngineState& state);
void journal_log_access(EngineState& state, const json& record);
/// Groups the events of apply_all into one journal transaction: commit() commits; leaving
/// without commit() (an event refused) commits what was applied before it, then the
/// exception propagates.
class BatchGuard {
 public:
  explicit BatchGuard(EngineState& state);
  ~BatchGuard();
  void commit();
  BatchGuard(const BatchGuard&) = delete;
  BatchGuard& operator=(const BatchGuard&) = delete;

 private:
  EngineState& state_;
  bool open_ = false;
};

/// The live model: tombstones left out, ids renumbered in order. O(model).
Model live_model(const EngineState& state);
json audit_json(const EngineState& state, NeedId need);
/// The plan as `party` may see it; logs the read. O(plan).
json read_plan(EngineState& state, HouseholdId household, const std::string& party, Date at);

/// Output documents.
json referral_json(const Model& model, const Referral& r);
json plan_json(const Model& model, const LivePlan& plan, const std::vector<PlanPart>& parts);

}  // namespace wijkmatch::detail

namespace wijkmatch {

namespace detail {
/// A reader-writer lock that lets a waiting writer in before new readers: glibc's rwlock
/// prefers readers, so threads ranking without pause would keep an event out for ever. A
/// writer holds the turnstile while it waits; readers pass the turnstile first.
class WriterFirstMutex {
 public:
  void lock() {
    std::lock_guard turn(turnstile_);
    shared_.lock();
  }
  void unlock() { shared_.unlock(); }
  void lock_shared() {
    { std::lock_guard turn(turnstile_); }
    shared_.lock_shared();
  }
  void unlock_shared() { shared_.unlock_shared(); }

 private:
  std::mutex turnstile_;
  std::shared_mutex shared_;
};
}  // namespace detail

struct Engine::Impl {
  Impl(Model model, EngineOptions options, bool keys_indexed = false)
      : s(std::move(model), std::move(options), keys_indexed) {}
  detail::EngineState s;
  mutable detail::WriterFirstMutex mutex;

  NeedId need_id(std::string_view key) const {
    auto id = s.model->find_need(key);
    if (!id) throw InvalidArgument("unknown need \"" + std::string(key) + "\"");
    return *id;
  }
  HouseholdId household_id(std::string_view key) const {
    auto id = s.model->find_household(key);
    if (!id) throw InvalidArgument("unknown household \"" + std::string(key) + "\"");
    return *id;
  }
};

}  // namespace wijkmatch
