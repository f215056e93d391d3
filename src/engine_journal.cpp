// The durable engine: every accepted event goes into the journal (journal.hpp) before apply()
// returns; open() restores the latest snapshot and replays what follows it.
#include <mutex>

#include "engine_detail.hpp"
#include "journal.hpp"
#include "model_binary.hpp"

namespace wijkmatch {
namespace detail {
namespace {

std::string hex(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 15];
  return out;
}

/// Identifies what a journal's events apply to: the base model and the policy.
std::string base_digest(const Model& model, const Policy& policy) {
  return hex(digest64(to_json(policy, -1), digest64(encode_model_binary(model))));
}

void take_snapshot(EngineState& s) {
  JournalSnapshot snap{s.seq, encode_model_binary(*s.model), s.state_json().dump(), 0};
  snap.checksum = digest64(snap.state, digest64(snap.model));
  s.journal->put_snapshot(snap);
  s.since_snapshot = 0;
}

}  // namespace

EngineState::~EngineState() = default;

bool journal_has(const EngineState& s, const std::string& event_id) { return s.journal->find(event_id).has_value(); }

std::int64_t journal_append(EngineState& s, const std::string& event_id, const std::string& body) {
  return s.journal->append(event_id, body);
}

void after_durable_event(EngineState& s) {
  ++s.since_snapshot;
  if (s.options.snapshot_every > 0 && s.since_snapshot >= s.options.snapshot_every) take_snapshot(s);
}

void journal_log_access(EngineState& s, const json& record) { s.journal->log_access(record.dump()); }

BatchGuard::BatchGuard(EngineState& state) : state_(state) {
  if (state_.journal) {
    state_.journal->begin_batch();
    open_ = true;
  }
}

BatchGuard::~BatchGuard() {
  // An event was refused: what was applied before it stays applied, so it must be journaled.
  if (open_) try {
      state_.journal->commit_batch();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; the refusal propagates
    }
}

void BatchGuard::commit() {
  if (open_) {
    open_ = false;
    state_.journal->commit_batch();
  }
}

}  // namespace detail

Engine Engine::open(Model model, const std::filesystem::path& path, EngineOptions options) {
  using namespace detail;
  JournalOptions jo;
  jo.sync = options.sync_full ? JournalSync::full : JournalSync::normal;
  auto journal = std::make_unique<Journal>(Journal::open(path, base_digest(model, options.policy), jo));
  const std::string name = path.string();

  std::unique_ptr<Impl> impl;
  std::int64_t after = 0;
  if (auto snap = journal->latest_snapshot()) {
    if (digest64(snap->state, digest64(snap->model)) != snap->checksum)
      throw Error("journal " + name + ": the snapshot at entry " + std::to_string(snap->seq) +
                  " does not match its checksum");
    impl = std::make_unique<Impl>(decode_model_binary(snap->model), std::move(options), /*keys_indexed=*/true);
    impl->s.load_state(json::parse(snap->state));
    // The restored state must be the one recorded, byte for byte (which checksum() would
    // only tell through two digests more, half a second for a million events).
    if (encode_model_binary(*impl->s.model) != snap->model || impl->s.state_json().dump() != snap->state)
      throw Error("journal " + name + ": the state restored from the snapshot at entry " + std::to_string(snap->seq) +
                  " differs from the state it recorded");
    after = snap->seq;
  } else {
    if (auto problems = model.check(); !problems.empty()) throw InputError(std::move(problems));
    impl = std::make_unique<Impl>(std::move(model), std::move(options));
  }
  auto& s = impl->s;
  journal->for_each(after, [&](const JournalEntry& entry) {
    json doc;
    try {
      EventInput in = read_event(entry.body, doc);
      apply_event(s, in, [&](const std::string&) { s.seq = entry.seq; });
    } catch (const EventError& e) {
      throw Error("journal " + name + ": entry " + std::to_string(entry.seq) + " cannot be replayed: " + e.what());
    }
  });
  journal->for_each_access([&](std::int64_t, const std::string& text) {
    const json r = json::parse(text);
    std::vector<PlanPart> parts;
    for (const auto& p : r.at("parts")) parts.push_back(*parse_plan_part(p.get<std::string>()));
    s.access.push_back({r.at("seq").get<std::int64_t>(), r.at("party").get<std::string>(),
                        r.at("household").get<std::uint32_t>(), *parse_date(r.at("at").get<std::string>()),
                        std::move(parts)});
  });
  s.journal = std::move(journal);
  s.since_snapshot = s.seq - after;
  return Engine(std::move(impl));
}

void Engine::snapshot() {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->s.journal) throw StateError("snapshot: this engine has no journal (open it with Engine::open)");
  detail::take_snapshot(impl_->s);
}

}  // namespace wijkmatch
