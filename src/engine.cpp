// The live engine: construction, events in, queries out. See src/engine_detail.hpp.
#include "wijkmatch/engine.hpp"

#include <algorithm>
#include <mutex>

#include "engine_detail.hpp"
#include "journal.hpp"
#include "model_check.hpp"

namespace wijkmatch {
namespace {

constexpr std::array<std::string_view, referral_state_count> state_names{
    "proposed", "offered", "accepted", "declined",  "expired",
    "started",  "on_hold", "ended",    "cancelled", "entered_in_error"};
constexpr std::array<std::string_view, referral_state_count> fhir_names{
    "requested",   "requested", "accepted",  "rejected",  "failed",
    "in-progress", "on-hold",   "completed", "cancelled", "entered-in-error"};
constexpr std::array<std::string_view, decline_reason_count> decline_names{
    "not_interested", "schedule", "distance", "language", "group_averse", "no_capacity", "no_contact", "other"};
constexpr std::array<std::string_view, ending_reason_count> ending_codes{"02", "19", "20", "31",
                                                                         "32", "33", "34", "goal_reached"};
constexpr std::array<std::string_view, plan_part_count> part_names{"agreements", "goals", "progress", "referrals",
                                                                   "coordinator"};
constexpr std::array<std::string_view, 6> outcome_names{"exception", "failed_condition", "not_acceptable",
                                                        "full",      "declined",         "nothing_within_reach"};

template <class E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view text) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

std::string event_error_text(const std::string& id, const Problem& p) {
  return "event " + (id.empty() ? std::string("(no id)") : id) + ": " + to_string(p);
}

}  // namespace

std::string_view to_string(ReferralState s) noexcept { return state_names[static_cast<std::size_t>(s)]; }
std::optional<ReferralState> parse_referral_state(std::string_view t) noexcept {
  return parse_name<ReferralState>(state_names, t);
}
std::string_view fhir_task_status(ReferralState s) noexcept { return fhir_names[static_cast<std::size_t>(s)]; }
bool is_terminal(ReferralState s) noexcept {
  return s == ReferralState::declined || s == ReferralState::expired || s == ReferralState::ended ||
         s == ReferralState::cancelled || s == ReferralState::entered_in_error;
}
std::string_view to_string(DeclineReason r) noexcept { return decline_names[static_cast<std::size_t>(r)]; }
std::optional<DeclineReason> parse_decline_reason(std::string_view t) noexcept {
  return parse_name<DeclineReason>(decline_names, t);
}
std::string_view to_code(EndingReason r) noexcept { return ending_codes[static_cast<std::size_t>(r)]; }
std::optional<EndingReason> parse_ending_reason(std::string_view t) noexcept {
  return parse_name<EndingReason>(ending_codes, t);
}
std::string_view to_string(PlanPart p) noexcept { return part_names[static_cast<std::size_t>(p)]; }
std::optional<PlanPart> parse_plan_part(std::string_view t) noexcept { return parse_name<PlanPart>(part_names, t); }
std::string_view to_string(LevelAccount::Outcome o) noexcept { return outcome_names[static_cast<std::size_t>(o)]; }

std::string option_label(const Model& model, const ReferralTarget& target) {
  return detail::target_label(model, target);
}

int DeclineCounts::total() const noexcept {
  int n = 0;
  for (int c : by_reason) n += c;
  return n;
}

EventError::EventError(std::string event_id, Problem problem)
    : InputError(std::vector<Problem>{problem}), event_id_(std::move(event_id)) {
  message_ = event_error_text(event_id_, problems().front());
}

const char* EventError::what() const noexcept { return message_.c_str(); }

namespace detail {

EngineState::EngineState(Model m, EngineOptions o, bool keys_indexed)
    : options(std::move(o)),
      model(std::make_unique<Model>(std::move(m))),
      ranker((keys_indexed ? void() : model->rebuild_index(), *model), options.policy),
      index(RankerAccess::index(ranker)) {
  sync_sizes();
  for (const auto& r : model->residents)
    for (OfferId o : r.attends) ++attendees[o.index()];
}

void EngineState::sync_sizes() {
  offer_retired.resize(model->offers.size(), 0);
  attendees.resize(model->offers.size(), 0);
  tie_ended.resize(model->ties.size(), 0);
  resident_gone.resize(model->residents.size(), 0);
}

std::vector<std::uint32_t> EngineState::find_ties(std::uint32_t helper, std::uint32_t helped) const {
  // The helper's live ties, from the ranking's graph: a few per resident, no map to keep up.
  std::vector<std::uint32_t> out;
  index.graph.for_each(EdgeKind::helps, helper, [&](const GraphEdge& e) {
    if (e.target == helped) out.push_back(e.index);
  });
  return out;
}

const std::vector<std::uint32_t>& EngineState::referrals_of(std::uint32_t need) const {
  static const std::vector<std::uint32_t> none;
  auto it = referrals_by_need.find(need);
  return it == referrals_by_need.end() ? none : it->second;
}

}  // namespace detail

namespace detail {

namespace {

constexpr std::size_t event_max_bytes = std::size_t{1} << 20;
constexpr int event_max_depth = 32;

/// Builds an event's document in one SAX pass and stops at anything parse_checked refuses
/// (a syntax error, a number out of range, a duplicate member, nesting past the limit). On the
/// well-formed events a case system sends, this replaces parse_checked's three passes (depth
/// scan, duplicate scan, parse), a fifth of the cost of a plain event; the refused ones go
/// through parse_checked again, so that they are worded as every other input is.
class EventDocument {
 public:
  explicit EventDocument(json& root) : root_(root) {}

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(json::number_integer_t v) { return value(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return value(v); }
  bool string(json::string_t& v) { return value(std::move(v)); }
  bool binary(json::binary_t&) { return false; }  // never produced by the JSON parser
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool key(json::string_t& k) {
    if (stack_.back()->contains(k)) return false;  // a duplicate member
    member_ = &(*stack_.back())[k];
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  json* place(json&& v) {
    if (stack_.empty()) return &(root_ = std::move(v));
    if (stack_.back()->is_array()) return &stack_.back()->emplace_back(std::move(v));
    *member_ = std::move(v);
    return member_;
  }
  bool value(json&& v) {
    place(std::move(v));
    return true;
  }
  bool open(json&& container) {
    if (static_cast<int>(stack_.size()) >= event_max_depth) return false;
    stack_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }
  json& root_;
  std::vector<json*> stack_;
  json* member_ = nullptr;
};

}  // namespace

EventInput read_event(std::string_view text, json& doc) {
  bool parsed_fast = false;
  if (text.size() <= event_max_bytes) {
    EventDocument builder(doc);
    parsed_fast = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, /*strict=*/true,
                                  /*ignore_comments=*/false);
  }
  if (!parsed_fast) {
    std::vector<Problem> problems;
    auto parsed = parse_checked(text, event_max_bytes, event_max_depth, problems);
    if (!parsed) refuse("", problems.front().pointer, problems.front().reason);
    doc = std::move(*parsed);
  }
  if (!doc.is_object()) refuse("", "", "an event must be a JSON object with id, type and at");
  std::vector<Problem> found;
  Reader r(found, 1);
  auto id = r.key(doc, "", "id");
  if (!id) refuse("", found.front().pointer, found.front().reason);
  auto type = r.string(doc, "", "type", true);
  if (!type) refuse(*id, found.front().pointer, found.front().reason);
  auto at = read_date(r, doc, "", "at");
  if (!at) refuse(*id, found.front().pointer, found.front().reason);
  return EventInput{doc, *id, *type, *at};
}

/// Applies one event to an engine whose lock the caller holds.
Applied apply_locked(EngineState& s, std::string_view text) {
  json doc;
  EventInput in = read_event(text, doc);
  if (s.journal ? journal_has(s, in.id) : s.applied_ids.count(in.id) > 0) return Applied{in.id, s.seq, true};
  apply_event(s, in, [&](const std::string& body) {
    if (s.journal)
      s.seq = journal_append(s, in.id, body);
    else
      ++s.seq;
    if (!s.journal) s.applied_ids.insert(in.id);
  });
  if (s.journal) after_durable_event(s);
  return Applied{in.id, s.seq, false};
}

}  // namespace detail

Engine::Engine(Model model, EngineOptions options)
    : impl_(std::make_unique<Impl>(std::move(model), std::move(options))) {
  if (auto problems = impl_->s.model->check(); !problems.empty()) throw InputError(std::move(problems));
}
Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

Applied Engine::apply(std::string_view event_json) {
  std::unique_lock lock(impl_->mutex);
  return detail::apply_locked(impl_->s, event_json);
}

std::vector<Applied> Engine::apply_all(std::span<const std::string> events) {
  std::unique_lock lock(impl_->mutex);
  auto& s = impl_->s;
  std::vector<Applied> out;
  out.reserve(events.size());
  detail::BatchGuard batch(s);
  for (const auto& e : events) out.push_back(detail::apply_locked(s, e));
  batch.commit();
  return out;
}

Ranking Engine::rank(NeedId need, const RankRequest& request) const {
  std::shared_lock lock(impl_->mutex);
  if (need.index() >= impl_->s.model->needs.size())
    throw OutOfRange("need id " + std::to_string(need.index()) + " is outside the model");
  return impl_->s.ranker.rank(need, request);
}

Ranking Engine::rank(std::string_view need_key, const RankRequest& request) const {
  std::shared_lock lock(impl_->mutex);
  return impl_->s.ranker.rank(impl_->need_id(need_key), request);
}

std::string Engine::rank_json(std::string_view need_key) const {
  std::shared_lock lock(impl_->mutex);
  std::vector<Ranking> one{impl_->s.ranker.rank(impl_->need_id(need_key), RankRequest::full())};
  return rankings_to_json(*impl_->s.model, one);
}

AllocationResult Engine::allocate(const AllocateOptions& options) const {
  Model copy;
  {
    std::shared_lock lock(impl_->mutex);
    const auto& s = impl_->s;
    copy = *s.model;
    for (std::size_t o = 0; o < copy.offers.size(); ++o)
      if (s.offer_retired[o]) copy.offers[o].seats = copy.offers[o].occupancy;
    for (std::size_t t = 0; t < copy.ties.size(); ++t)
      if (s.tie_ended[t]) copy.ties[t].hours_per_week = copy.ties[t].hours_used;
  }
  AllocateOptions o = options;
  o.policy = impl_->s.options.policy;
  return wijkmatch::allocate(copy, o);
}

std::optional<Referral> Engine::referral(std::string_view key) const {
  std::shared_lock lock(impl_->mutex);
  const auto& s = impl_->s;
  auto it = s.referral_by_key.find(std::string(key));
  if (it == s.referral_by_key.end()) return std::nullopt;
  return s.referrals[it->second];
}

std::vector<Referral> Engine::referrals_of(NeedId need) const {
  std::shared_lock lock(impl_->mutex);
  std::vector<Referral> out;
  for (auto r : impl_->s.referrals_of(need.index())) out.push_back(impl_->s.referrals[r]);
  return out;
}

std::vector<DeclineCounts> Engine::declines() const {
  std::shared_lock lock(impl_->mutex);
  std::vector<DeclineCounts> out;
  for (const auto& [offer, counts] : impl_->s.declines) out.push_back({OfferId(offer), counts});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.offer < b.offer; });
  return out;
}

std::string Engine::audit_json(std::string_view need_key) const {
  std::shared_lock lock(impl_->mutex);
  return detail::audit_json(impl_->s, impl_->need_id(need_key)).dump(2);
}

std::string Engine::read_plan(std::string_view household_key, std::string_view party, Date at) {
  std::unique_lock lock(impl_->mutex);
  auto& s = impl_->s;
  const HouseholdId h = impl_->household_id(household_key);
  if (!detail::valid_key(party)) throw InvalidArgument("party: " + std::string(detail::key_rule));
  return detail::read_plan(s, h, std::string(party), at).dump(2);
}

std::optional<LivePlan> Engine::plan(std::string_view household_key) const {
  std::shared_lock lock(impl_->mutex);
  const auto& s = impl_->s;
  auto it = s.plans.find(impl_->household_id(household_key).index());
  if (it == s.plans.end()) return std::nullopt;
  return it->second;
}

std::vector<CoordinatorCandidate> Engine::coordinator_menu(std::string_view household_key) const {
  std::shared_lock lock(impl_->mutex);
  return wijkmatch::plan(impl_->s.ranker, impl_->household_id(household_key)).candidates;
}

Model Engine::current_model() const {
  std::shared_lock lock(impl_->mutex);
  return detail::live_model(impl_->s);
}

const Model& Engine::model() const noexcept { return *impl_->s.model; }
const Policy& Engine::policy() const noexcept { return impl_->s.ranker.policy(); }

std::uint64_t Engine::state_checksum() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->s.checksum();
}

std::int64_t Engine::sequence() const noexcept {
  std::shared_lock lock(impl_->mutex);
  return impl_->s.seq;
}

bool Engine::durable() const noexcept { return impl_->s.journal != nullptr; }

}  // namespace wijkmatch
