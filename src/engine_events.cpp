// The live engine's events: each kind is read and checked completely before anything changes,
// then journaled (commit), then applied. See docs/engine.md for the fields of each kind.
#include <algorithm>
#include <cmath>
#include <functional>

#include "engine_detail.hpp"

namespace wijkmatch::detail {
namespace {

constexpr std::string_view household_party = "household";

bool holds_place(ReferralState s) noexcept {
  return s == ReferralState::accepted || s == ReferralState::started || s == ReferralState::on_hold;
}

std::string q(std::string_view key) { return "\"" + std::string(key) + "\""; }

/// One event being read: the fields it may have, lookups that refuse unknown keys, and the
/// changes that follow once everything is checked.
class Event {
 public:
  Event(EngineState& state, const EventInput& in) : s(state), m(*state.model), in_(in), r_(problems_, 1) {}

  EngineState& s;
  Model& m;

  const json& doc() const noexcept { return in_.doc; }
  const std::string& id() const noexcept { return in_.id; }
  Date at() const noexcept { return in_.at; }

  [[noreturn]] void fail(std::string pointer, std::string reason) const {
    refuse(in_.id, std::move(pointer), std::move(reason));
  }
  /// Refuses the event at the first problem the reader found.
  void check() const {
    if (!problems_.empty()) fail(problems_.front().pointer, problems_.front().reason);
  }
  void fields(std::initializer_list<std::string_view> allowed) {
    std::vector<std::string_view> all{"id", "type", "at"};
    all.insert(all.end(), allowed.begin(), allowed.end());
    for (const auto& [name, value] : in_.doc.items())
      if (std::find(all.begin(), all.end(), name) == all.end()) {
        std::string expected;
        for (auto a : all) expected += (expected.empty() ? "" : ", ") + std::string(a);
        fail("/" + escape_pointer(name), "unknown field for " + in_.type + "; expected one of " + expected);
      }
  }
  bool has(std::string_view name) const { return in_.doc.contains(name); }

  std::string key(std::string_view name) {
    auto k = r_.key(in_.doc, "", name);
    check();
    return *k;
  }
  std::string identifier(std::string_view name) {
    auto k = r_.identifier(in_.doc, "", name);
    check();
    return *k;
  }
  std::optional<int> integer(std::string_view name, int min, int max, bool required) {
    auto v = r_.integer(in_.doc, "", name, min, max, required);
    check();
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
  }
  std::optional<double> number(std::string_view name, double min, double max, std::string_view what) {
    if (!has(name)) return std::nullopt;
    auto v = r_.number(in_.doc, "", name, min, max, what);
    check();
    return v;
  }
  std::optional<bool> boolean(std::string_view name) {
    auto v = r_.boolean(in_.doc, "", name, false);
    check();
    return v;
  }
  Date date(std::string_view name) {
    auto d = read_date(r_, in_.doc, "", name);
    check();
    return *d;
  }
  template <class Parse>
  auto enumeration(std::string_view name, Parse parse, const std::string& choices) {
    auto v = r_.enumeration(in_.doc, "", name, parse, choices, true);
    check();
    return *v;
  }
  const json& object(std::string_view name) {
    const json* j = r_.field(in_.doc, "", name, true);
    check();
    if (!j->is_object()) fail("/" + std::string(name), "must be an object, not " + type_name(*j));
    return *j;
  }

  NeedId need(std::string_view name = "need") {
    const auto k = key(name);
    auto id = m.find_need(k);
    if (!id) fail("/" + std::string(name), "unknown need " + q(k));
    return *id;
  }
  ResidentId resident(std::string_view name) {
    const auto k = key(name);
    auto id = m.find_resident(k);
    if (!id) fail("/" + std::string(name), "unknown resident " + q(k));
    if (s.resident_gone[id->index()]) fail("/" + std::string(name), "resident " + q(k) + " is gone");
    return *id;
  }
  HouseholdId household(std::string_view name = "household") {
    const auto k = key(name);
    auto id = m.find_household(k);
    if (!id) fail("/" + std::string(name), "unknown household " + q(k));
    return *id;
  }
  OfferId offer(std::string_view name = "offer") {
    const auto k = key(name);
    auto id = m.find_offer(k);
    if (!id) fail("/" + std::string(name), "unknown offer " + q(k));
    if (s.offer_retired[id->index()]) fail("/" + std::string(name), "offer " + q(k) + " is retired");
    return *id;
  }
  ProfessionalId professional(std::string_view name = "professional") {
    const auto k = key(name);
    auto id = m.find_professional(k);
    if (!id) fail("/" + std::string(name), "unknown professional " + q(k));
    return *id;
  }
  std::uint32_t referral() {
    const auto k = key("referral");
    auto it = s.referral_by_key.find(k);
    if (it == s.referral_by_key.end()) fail("/referral", "unknown referral " + q(k));
    return it->second;
  }
  /// The live tie named by "helper" and "helped".
  std::uint32_t tie() {
    const ResidentId helper = resident("helper"), helped = resident("helped");
    const auto ties = s.find_ties(helper.index(), helped.index());
    if (ties.empty()) fail("/helper", "no tie from " + q(m[helper].key) + " to " + q(m[helped].key));
    if (ties.size() > 1)
      fail("/helper", std::to_string(ties.size()) + " ties from " + q(m[helper].key) + " to " + q(m[helped].key) +
                          " (of different kinds); this event cannot tell them apart");
    return ties.front();
  }
  DomainSet domains(std::string_view name) {
    auto d = read_domain_list(r_, in_.doc, "", name);
    check();
    return *d;
  }
  /// A fragment in format v1 read as the model loader reads it: `collection` holds `entity`
  /// and the `context` entities its references need. Problems are reported at `/name/...`.
  Model fragment(std::string_view name, std::string_view collection, const json& entity,
                 json context = json::object()) {
    json doc = {{"format_version", model_format_version}};
    for (auto c : {"households", "residents", "ties", "needs", "offers", "professionals"})
      doc[c] = context.contains(c) ? context[c] : json::array();
    doc[std::string(collection)].push_back(entity);
    std::vector<Problem> problems;
    Model part = read_model_document(doc, problems, 1);
    // A file may not hold a household without residents, but household.add comes before the
    // resident.add events of its members: that one rule of the loader does not apply here.
    const std::string first = "/" + std::string(collection) + "/0";
    if (collection == "households" && problems.size() == 1 && problems.front().pointer == first &&
        problems.front().reason == "no resident belongs to this household")
      problems.clear();
    if (!problems.empty()) {
      const std::string prefix =
          "/" + std::string(collection) + "/" + std::to_string(doc[std::string(collection)].size() - 1);
      std::string p = problems.front().pointer;
      p = p.rfind(prefix, 0) == 0 ? "/" + std::string(name) + p.substr(prefix.size()) : "/" + std::string(name);
      fail(p, problems.front().reason);
    }
    return part;
  }

 private:
  const EventInput& in_;
  std::vector<Problem> problems_;
  Reader r_;
};

// ------------------------------------------------------------------------------ capacity

/// Whether the place a referral needs can be held now; the reason when not.
std::optional<std::string> place_missing(const EngineState& s, const Referral& ref) {
  const Model& m = *s.model;
  const auto& t = ref.target;
  if (t.offer.valid()) {
    const Offer& o = m[t.offer];
    if (o.free_seats() <= 0) {
      const int seats = effective_seats(o);
      return "offer " + q(o.key) + " has no free seat (" + std::to_string(o.occupancy) + " of " +
             std::to_string(seats) + " taken" +
             (seats >= o.seats ? std::string()
              : o.initiative && o.initiative->status != InitiativeStatus::starting &&
                      o.initiative->status != InitiativeStatus::running
                  ? "; the initiative is " + std::string(to_string(o.initiative->status))
                  : "; its volunteers' hours carry " + std::to_string(seats) + " of its " + std::to_string(o.seats) +
                        " seats") +
             ")";
    }
  } else if (t.tie.valid()) {
    const Tie& tie = m[t.tie];
    if (tie.hours_left() + 1e-9 < ref.hours_per_week)
      return "helper " + q(m[tie.helper].key) + " has " + format_number(std::max(0.0, tie.hours_left())) +
             " hours a week left, the referral needs " + format_number(ref.hours_per_week);
  } else if (t.neighbour.valid()) {
    const double left = m[t.neighbour].offers_help->hours_left();
    if (left + 1e-9 < ref.hours_per_week)
      return "neighbour " + q(m[t.neighbour].key) + " has " + format_number(std::max(0.0, left)) +
             " of the hours a week they offered left, the referral needs " + format_number(ref.hours_per_week);
  } else if (t.professional.valid()) {
    const Professional& p = m[t.professional];
    if (p.caseload_room() <= 0)
      return "professional " + q(p.key) + " has no caseload room (" + std::to_string(p.caseload) + " of " +
             std::to_string(p.caseload_cap) + ")";
  }
  return std::nullopt;
}

void hold(EngineState& s, Referral& ref) {
  Model& m = *s.model;
  const auto& t = ref.target;
  if (t.offer.valid()) {
    ++m.offers[t.offer.index()].occupancy;
    ++s.seats_held[t.offer.index()];
  } else if (t.tie.valid()) {
    m.ties[t.tie.index()].hours_used += ref.hours_per_week;
    s.hours_held[t.tie.index()] += ref.hours_per_week;
    s.index.recount_hours(m.ties[t.tie.index()].helper.index());
  } else if (t.neighbour.valid()) {
    m.residents[t.neighbour.index()].offers_help->hours_used += ref.hours_per_week;
    s.index.recount_hours(t.neighbour.index());
  } else if (t.professional.valid()) {
    ++m.professionals[t.professional.index()].caseload;
    ++s.caseload_held[t.professional.index()];
  }
  ref.holds_place = true;
}

void release(EngineState& s, Referral& ref) {
  if (!ref.holds_place) return;
  Model& m = *s.model;
  const auto& t = ref.target;
  if (t.offer.valid()) {
    --m.offers[t.offer.index()].occupancy;
    if (--s.seats_held[t.offer.index()] == 0) s.seats_held.erase(t.offer.index());
  } else if (t.tie.valid()) {
    Tie& tie = m.ties[t.tie.index()];
    tie.hours_used = std::max(0.0, tie.hours_used - ref.hours_per_week);
    auto& held = s.hours_held[t.tie.index()];
    held -= ref.hours_per_week;
    if (held <= 1e-12) s.hours_held.erase(t.tie.index());
    s.index.recount_hours(tie.helper.index());
  } else if (t.neighbour.valid()) {
    auto& help = *m.residents[t.neighbour.index()].offers_help;
    help.hours_used = std::max(0.0, help.hours_used - ref.hours_per_week);
    s.index.recount_hours(t.neighbour.index());
  } else if (t.professional.valid()) {
    --m.professionals[t.professional.index()].caseload;
    if (--s.caseload_held[t.professional.index()] == 0) s.caseload_held.erase(t.professional.index());
  }
  ref.holds_place = false;
}

void attend(EngineState& s, const Referral& ref, bool on) {
  if (!ref.target.offer.valid()) return;
  auto& attends = s.model->residents[s.model->needs[ref.need.index()].resident.index()].attends;
  auto it = std::find(attends.begin(), attends.end(), ref.target.offer);
  const std::uint32_t resident = s.model->needs[ref.need.index()].resident.index();
  if (on && it == attends.end()) {
    attends.push_back(ref.target.offer);
    ++s.attendees[ref.target.offer.index()];
    s.index.attend(resident, ref.target.offer.index(), true);
  }
  if (!on && it != attends.end()) {
    attends.erase(it);
    --s.attendees[ref.target.offer.index()];
    s.index.attend(resident, ref.target.offer.index(), false);
  }
}

/// Moves a referral to `to`, releasing its place when the new state holds none.
void move_to(EngineState& s, Referral& ref, ReferralState to, Date at, const std::string& event_id) {
  const ReferralState from = ref.state;
  if ((from == ReferralState::started || from == ReferralState::on_hold) && !holds_place(to) && to != from)
    attend(s, ref, false);
  if (!holds_place(to)) release(s, ref);
  ref.state = to;
  ref.history.push_back({to, at, event_id});
}

/// Non-terminal referrals of a need, or that use a tie, an offer or a professional.
template <class Pred>
std::vector<std::uint32_t> open_referrals(const EngineState& s, Pred pred) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < s.referrals.size(); ++i)
    if (!is_terminal(s.referrals[i].state) && pred(s.referrals[i])) out.push_back(i);
  return out;
}

void record(EngineState& s, std::uint32_t need, const EventInput& in, const std::string& body) {
  s.audit[need].push_back({s.seq, in.id, in.type, in.at, body});
}

// ------------------------------------------------------------------------------ referrals

/// How a declined target is remembered for the ranking: its kind and index.
std::pair<RankingIndex::OptionKind, std::uint32_t> declined_key(const ReferralTarget& t) {
  if (t.tie.valid()) return {RankingIndex::OptionKind::tie, t.tie.index()};
  if (t.neighbour.valid()) return {RankingIndex::OptionKind::neighbour, t.neighbour.index()};
  return {RankingIndex::OptionKind::offer, t.offer.index()};
}

/// The option of the ranking a target names, matched by offer or by helper.
const Option* find_option(const Model& m, const Ranking& ranking, const ReferralTarget& t) {
  for (const auto& o : ranking.options) {
    if (t.offer.valid() && o.offer == t.offer) return &o;
    if (t.tie.valid() && o.tie.valid() && m[o.tie].helper == m[t.tie].helper) return &o;
    if (t.neighbour.valid() && o.neighbour == t.neighbour) return &o;
  }
  return nullptr;
}

std::string level_name(LadderLevel l) { return std::string(to_string(l)); }

Accountability account(const EngineState& s, const Ranking& ranking, LadderLevel level) {
  const Model& m = *s.model;
  Accountability a;
  if (ranking.exception) {
    a.exception_rule = ranking.exception->rule;
    a.exception_reason = ranking.exception->reason;
  }
  const auto& policy = s.ranker.policy();
  for (LadderLevel lower : policy.ladder) {
    if (policy.rank_of(lower) >= policy.rank_of(level)) break;
    LevelAccount acc;
    acc.level = lower;
    const Option* best = nullptr;
    for (const auto& o : ranking.options)
      if (o.level == lower && (!best || o.score > best->score)) best = &o;
    if (best) {
      acc.candidate = option_label(m, *best);
      if (best->acceptable) {
        acc.outcome = LevelAccount::Outcome::exception;
        acc.reason = acc.candidate + " is acceptable, but the exception rule " +
                     (a.exception_rule ? q(*a.exception_rule) : std::string("of the need")) +
                     " asks for support at a higher level; it stays alongside";
      } else if (best->waiting_position > 0) {
        acc.outcome = LevelAccount::Outcome::full;
        acc.reason =
            acc.candidate + " has no place now (waiting position " + std::to_string(best->waiting_position) + ")";
      } else {
        acc.outcome = LevelAccount::Outcome::not_acceptable;
        acc.reason = acc.candidate + " scores " + fixed(best->score, 2) + ", below the acceptable score " +
                     fixed(policy.acceptable_score, 2);
      }
    } else {
      const Rejection* first = nullptr;
      const Rejection* declined = nullptr;
      for (const auto& r : ranking.rejected)
        if (r.level == lower) {
          if (!first) first = &r;
          if (!declined && r.failed == RejectReason::declined) declined = &r;
        }
      if (declined) first = declined;
      if (first) {
        acc.candidate = first->offer.valid()       ? m[first->offer].key
                        : first->neighbour.valid() ? "neighbour:" + m[first->neighbour].key
                                                   : "network:" + m[m[first->tie].helper].key;
        acc.outcome = first == declined ? LevelAccount::Outcome::declined : LevelAccount::Outcome::failed_condition;
        acc.reason = acc.candidate + ": " + first->reason;
      } else {
        acc.outcome = LevelAccount::Outcome::nothing_within_reach;
        acc.reason = "nothing at level " + level_name(lower) + " serves " +
                     std::string(to_string(m[ranking.need].domain)) + " within reach";
      }
    }
    a.lower_levels.push_back(std::move(acc));
  }
  return a;
}

/// The target an "option" label names for a need.
ReferralTarget parse_target(Event& e, NeedId need, const std::string& label) {
  ReferralTarget t;
  const Model& m = e.m;
  if (label.rfind("network:", 0) == 0) {
    const auto helper = m.find_resident(label.substr(8));
    if (!helper || e.s.resident_gone[helper->index()]) e.fail("/option", "unknown helper " + q(label.substr(8)));
    t.level = LadderLevel::own_network;
    // The resident's own tie first, else an introduction through a tie of a tie (found in the ranking).
    if (auto ties = e.s.find_ties(helper->index(), m[need].resident.index()); !ties.empty()) {
      t.tie = TieId(ties.front());
    } else {
      // The helper's first tie (helps edges come in ascending tie id).
      e.s.index.graph.for_each(EdgeKind::helps, helper->index(), [&](const GraphEdge& edge) {
        if (!t.tie.valid()) t.tie = TieId(edge.index);
      });
      if (!t.tie.valid()) e.fail("/option", q(label.substr(8)) + " helps nobody: no tie to offer help through");
    }
  } else if (label.rfind("neighbour:", 0) == 0) {
    const auto neighbour = m.find_resident(label.substr(10));
    if (!neighbour || e.s.resident_gone[neighbour->index()])
      e.fail("/option", "unknown neighbour " + q(label.substr(10)));
    if (!m[*neighbour].offers_help) e.fail("/option", "resident " + q(label.substr(10)) + " offered no help");
    t.level = LadderLevel::own_network;
    t.neighbour = *neighbour;
  } else if (label.rfind("professional:", 0) == 0) {
    const auto p = m.find_professional(label.substr(13));
    if (!p) e.fail("/option", "unknown professional " + q(label.substr(13)));
    t.level = LadderLevel::individual;
    t.professional = *p;
  } else {
    const auto o = m.find_offer(label);
    if (!o) e.fail("/option", "unknown offer " + q(label));
    if (e.s.offer_retired[o->index()]) e.fail("/option", "offer " + q(label) + " is retired");
    t.level = m[*o].level;
    t.offer = *o;
  }
  return t;
}

void referral_propose(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  e.fields({"referral", "need", "option", "hours_per_week"});
  const std::string key = e.key("referral");
  if (e.s.referral_by_key.count(key)) e.fail("/referral", "referral " + q(key) + " exists");
  const NeedId need = e.need();
  if (e.m[need].status == NeedStatus::closed) e.fail("/need", "need " + q(e.m[need].key) + " is closed");
  // Every option and rejection: a named option is looked up in both, and the accountability
  // of the lower levels names their first rejection.
  const Ranking ranking = e.s.ranker.rank(need, RankRequest::full());
  std::string label;
  ReferralTarget target;
  json body = e.doc();
  if (e.has("option")) {
    label = e.key("option");
    target = parse_target(e, need, label);
  } else {
    const Option* first = ranking.proposal();
    if (!first || !first->acceptable)
      e.fail("/option", "the ranking has no acceptable option to propose for need " + q(e.m[need].key) + "; name one");
    label = option_label(e.m, *first);
    target = parse_target(e, need, label);
    body["option"] = label;
  }
  const Option* option = nullptr;
  if (!target.professional.valid()) {
    option = find_option(e.m, ranking, target);
    if (!option) {
      for (const auto& r : ranking.rejected)
        if ((target.offer.valid() && r.offer == target.offer) ||
            (target.tie.valid() && r.tie.valid() && e.m[r.tie].helper == e.m[target.tie].helper) ||
            (target.neighbour.valid() && r.neighbour == target.neighbour))
          e.fail("/option", label + " is not an option for this need: " + std::string(to_string(r.failed)) + " (" +
                                r.reason + ")");
      e.fail("/option", label + " is not a candidate for need " + q(e.m[need].key) +
                            ": it does not serve the need's life domain within reach");
    }
    target.tie = option->tie;  // an introduction's tie is the helper's tie to the one who introduces
  }
  // Collectief waar mogelijk: without an exception, nothing above an acceptable lower option.
  const auto& policy = e.s.ranker.policy();
  if (!ranking.exception)
    for (const auto& o : ranking.options)
      if (o.acceptable && policy.rank_of(o.level) < policy.rank_of(target.level))
        e.fail("/option", "the acceptable " + level_name(o.level) + " option " + option_label(e.m, o) +
                              " comes before " + level_name(target.level) + " on the ladder; propose it first, or " +
                              "record an override for the need in the policy");
  for (auto other : e.s.referrals_of(need.index())) {
    const Referral& r = e.s.referrals[other];
    if (!is_terminal(r.state) && r.target.offer == target.offer && r.target.tie == target.tie &&
        r.target.professional == target.professional && r.target.neighbour == target.neighbour)
      e.fail("/option", label + " is already proposed for this need in referral " + q(r.key));
  }
  double hours = 0.0;
  if (target.tie.valid() || target.neighbour.valid()) {
    if (e.has("hours_per_week")) {
      hours = *e.number("hours_per_week", 0.25, 168.0, "hours per week");
    } else {
      // The default, but never more than the helper has left: a neighbour who offered one hour
      // is asked for that hour (the journal records the hours chosen, so replay agrees).
      const double left =
          target.tie.valid() ? e.m[target.tie].hours_left() : e.m[target.neighbour].offers_help->hours_left();
      hours = left > 0.0 ? std::min(e.s.options.default_network_hours, left) : e.s.options.default_network_hours;
    }
    body["hours_per_week"] = hours;
  } else if (e.has("hours_per_week")) {
    e.fail("/hours_per_week", "applies only to own-network help");
  }
  Referral ref;
  ref.key = key;
  ref.need = need;
  ref.target = target;
  ref.hours_per_week = hours;
  if (target.level != LadderLevel::own_network && target.level != LadderLevel::collective)
    ref.accountability = account(e.s, ranking, target.level);
  ref.history.push_back({ReferralState::proposed, in.at, in.id});

  const std::string canonical = body.dump();
  commit(canonical);
  auto& s = e.s;
  const auto id = static_cast<std::uint32_t>(s.referrals.size());
  s.referrals.push_back(std::move(ref));
  s.referral_by_key.emplace(key, id);
  s.referrals_by_need[need.index()].push_back(id);
  record(s, need.index(), in, canonical);
}

void referral_step(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  const std::string& type = in.type;
  const bool decline = type == "referral.decline", end = type == "referral.end";
  if (decline || end)
    e.fields({"referral", "reason"});
  else
    e.fields({"referral"});
  const std::uint32_t id = e.referral();
  Referral& ref = e.s.referrals[id];
  using S = ReferralState;
  const S from = ref.state;
  S to{};
  std::vector<S> allowed;
  if (type == "referral.offer") {
    to = S::offered, allowed = {S::proposed};
  } else if (type == "referral.accept") {
    to = S::accepted, allowed = {S::proposed, S::offered};
  } else if (decline) {
    to = S::declined, allowed = {S::proposed, S::offered};
  } else if (type == "referral.expire") {
    to = S::expired, allowed = {S::proposed, S::offered, S::accepted};
  } else if (type == "referral.start") {
    to = S::started, allowed = {S::accepted};
  } else if (type == "referral.hold") {
    to = S::on_hold, allowed = {S::started};
  } else if (type == "referral.resume") {
    to = S::started, allowed = {S::on_hold};
  } else if (end) {
    to = S::ended, allowed = {S::started, S::on_hold};
  } else if (type == "referral.cancel") {
    to = S::cancelled, allowed = {S::proposed, S::offered, S::accepted, S::started, S::on_hold};
  } else {
    to = S::entered_in_error;
    allowed = {S::proposed, S::offered, S::accepted, S::declined, S::expired,
               S::started,  S::on_hold, S::ended,    S::cancelled};
  }
  std::optional<DeclineReason> decline_reason;
  std::optional<EndingReason> ending_reason;
  if (decline) {
    std::string choices;
    for (std::size_t i = 0; i < decline_reason_count; ++i)
      choices += (i ? ", " : "") + std::string(to_string(static_cast<DeclineReason>(i)));
    decline_reason = e.enumeration("reason", parse_decline_reason, choices);
  }
  if (end) {
    std::string choices;
    for (std::size_t i = 0; i < ending_reason_count; ++i)
      choices += (i ? ", " : "") + std::string(to_code(static_cast<EndingReason>(i)));
    ending_reason = e.enumeration("reason", parse_ending_reason, choices);
  }
  if (std::find(allowed.begin(), allowed.end(), from) == allowed.end()) {
    std::string from_list;
    for (S a : allowed) from_list += (from_list.empty() ? "" : ", ") + std::string(to_string(a));
    e.fail("/referral", "referral " + q(ref.key) + " is " + std::string(to_string(from)) + "; " + type +
                            " applies only to a referral that is " + from_list);
  }
  if (to == S::accepted)
    if (auto missing = place_missing(e.s, ref)) e.fail("/referral", *missing);
  if (to == S::entered_in_error && ref.state == S::declined) {
    // Undone below: the decline no longer counts and the option may be proposed again.
  }
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  Model& m = *s.model;
  if (to == S::accepted) {
    hold(s, ref);
    if (m.needs[ref.need.index()].status == NeedStatus::open)
      m.needs[ref.need.index()].status = NeedStatus::in_progress;
  }
  if (to == S::started && from == S::accepted) attend(s, ref, true);
  if (from == S::declined) {  // entered in error: undo the decline
    if (ref.target.offer.valid()) {
      auto& counts = s.declines[ref.target.offer.index()];
      --counts[static_cast<std::size_t>(*ref.declined)];
      if (std::all_of(counts.begin(), counts.end(), [](int c) { return c == 0; }))
        s.declines.erase(ref.target.offer.index());
    }
    auto it = s.index.declined.find(ref.need.index());
    if (it != s.index.declined.end()) {
      auto& list = it->second;
      // Not a structured binding: clang before 16 cannot capture one in a lambda.
      const std::pair<RankingIndex::OptionKind, std::uint32_t> key = declined_key(ref.target);
      list.erase(
          std::remove_if(list.begin(), list.end(),
                         [&](const RankingIndex::Declined& d) { return d.kind == key.first && d.id == key.second; }),
          list.end());
      if (list.empty()) s.index.declined.erase(it);
    }
  }
  move_to(s, ref, to, in.at, in.id);
  if (decline_reason) {
    ref.declined = decline_reason;
    if (ref.target.offer.valid()) ++s.declines[ref.target.offer.index()][static_cast<std::size_t>(*decline_reason)];
    if (!ref.target.professional.valid()) {
      const auto [kind, id] = declined_key(ref.target);
      s.index.declined[ref.need.index()].push_back({kind, id, std::string(to_string(*decline_reason))});
    }
  }
  if (ending_reason) ref.ended = ending_reason;
  record(s, ref.need.index(), in, canonical);
}

// ------------------------------------------------------------------------------ needs

void need_open(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  e.fields({"need", "resident", "domain", "severity", "crisis", "safety_report", "rent_arrears_months"});
  Need n;
  n.key = e.key("need");
  if (e.m.find_need(n.key)) e.fail("/need", "need " + q(n.key) + " exists");
  n.resident = e.resident("resident");
  n.domain = e.enumeration("domain", parse_life_domain, life_domain_choices());
  n.severity = *e.integer("severity", 1, 5, true);
  n.crisis = e.boolean("crisis").value_or(false);
  n.safety_report = e.boolean("safety_report").value_or(false);
  n.rent_arrears_months = e.integer("rent_arrears_months", 0, 120, false).value_or(0);
  n.since = in.at;
  n.status = NeedStatus::open;
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  const auto id = static_cast<std::uint32_t>(s.model->needs.size());
  s.model->needs.push_back(std::move(n));
  s.model->index_key(NeedId(id));
  s.index.add_need(id);
  record(s, id, in, canonical);
}

void need_update(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  e.fields({"need", "severity", "crisis", "safety_report", "rent_arrears_months", "availability", "max_travel_m"});
  const NeedId id = e.need();
  Need n = e.m[id];
  if (n.status == NeedStatus::closed) e.fail("/need", "need " + q(n.key) + " is closed");
  Resident res = e.m[n.resident];
  bool any = false;
  if (auto v = e.integer("severity", 1, 5, false)) n.severity = *v, any = true;
  if (auto v = e.boolean("crisis")) n.crisis = *v, any = true;
  if (auto v = e.boolean("safety_report")) n.safety_report = *v, any = true;
  if (auto v = e.integer("rent_arrears_months", 0, 120, false)) n.rent_arrears_months = *v, any = true;
  if (auto v = e.number("max_travel_m", 0.0, 100000.0, "distance in metres")) res.max_travel_m = *v, any = true;
  if (e.has("availability")) {
    std::vector<Problem> problems;
    Reader r(problems, 1);
    auto sch = read_schedule(r, e.doc()["availability"], "/availability");
    if (!problems.empty()) e.fail(problems.front().pointer, problems.front().reason);
    res.availability = *sch;
    any = true;
  }
  if (!any)
    e.fail("",
           "need.update changes nothing: give at least one of severity, crisis, safety_report, "
           "rent_arrears_months, availability, max_travel_m");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  s.model->needs[id.index()] = std::move(n);
  s.model->residents[s.model->needs[id.index()].resident.index()] = std::move(res);
  s.index.declined.erase(id.index());  // declined options may be proposed again
  record(s, id.index(), in, canonical);
}

void need_close(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  e.fields({"need"});
  const NeedId id = e.need();
  if (e.m[id].status == NeedStatus::closed) e.fail("/need", "need " + q(e.m[id].key) + " is closed already");
  for (auto r : e.s.referrals_of(id.index()))
    if (!is_terminal(e.s.referrals[r].state))
      e.fail("/need", "referral " + q(e.s.referrals[r].key) + " of the need is " +
                          std::string(to_string(e.s.referrals[r].state)) + "; end or cancel it first");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  e.s.model->needs[id.index()].status = NeedStatus::closed;
  record(e.s, id.index(), in, canonical);
}

// ------------------------------------------------------------------------------ capacity

json household_json(const Household& h) { return {{"key", h.key}, {"neighbourhood", h.neighbourhood}}; }

// A resident as format v1 writes it, without what a fragment does not need (attends, help).
json resident_json(const Model& m, const Resident& r) {
  json availability = json::object();
  for (std::size_t d = 0; d < day_count; ++d)
    for (std::size_t k = 0; k < day_part_count; ++k)
      if (r.availability.contains(d, static_cast<DayPart>(k)))
        availability[std::string(day_name(d))].push_back(std::string(to_string(static_cast<DayPart>(k))));
  return {{"key", r.key},
          {"household", m[r.household].key},
          {"neighbourhood", r.neighbourhood},
          {"location", {{"x", r.location.x_m}, {"y", r.location.y_m}}},
          {"age_band", std::string(to_string(r.age_band))},
          {"languages", r.languages},
          {"availability", availability},
          {"max_travel_m", r.max_travel_m}};
}

void offer_add(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"offer"});
  const json& obj = e.object("offer");
  // The residents an initiative names (organisers, volunteers) come along with their households,
  // so that the fragment resolves them as the loader does; unknown keys stay unknown.
  std::vector<ResidentId> named;
  auto name = [&](const json& key) {
    if (!key.is_string()) return;
    if (auto id = e.m.find_resident(key.get<std::string>()))
      if (std::find(named.begin(), named.end(), *id) == named.end()) named.push_back(*id);
  };
  if (auto g = obj.find("organiser"); g != obj.end() && g->is_object())
    if (auto rs = g->find("residents"); rs != g->end() && rs->is_array())
      for (const auto& k : *rs) name(k);
  if (auto vs = obj.find("volunteers"); vs != obj.end() && vs->is_array())
    for (const auto& v : *vs)
      if (v.is_object() && v.contains("resident")) name(v["resident"]);
  json context = json::object();
  context["households"] = json::array();
  context["residents"] = json::array();
  std::vector<HouseholdId> households;
  for (ResidentId r : named) {
    context["residents"].push_back(resident_json(e.m, e.m[r]));
    if (std::find(households.begin(), households.end(), e.m[r].household) == households.end()) {
      households.push_back(e.m[r].household);
      context["households"].push_back(household_json(e.m[e.m[r].household]));
    }
  }
  Model part = e.fragment("offer", "offers", obj, context);
  Offer o = std::move(part.offers.front());
  for (std::size_t k = 0; k < o.organiser.residents.size(); ++k) {
    ResidentId& r = o.organiser.residents[k];
    r = named[r.index()];
    if (e.s.resident_gone[r.index()])
      e.fail("/offer/organiser/residents/" + std::to_string(k), "resident " + q(e.m[r].key) + " is gone");
  }
  for (std::size_t k = 0; k < o.volunteers.size(); ++k) {
    ResidentId& r = o.volunteers[k].resident;
    r = named[r.index()];
    if (e.s.resident_gone[r.index()])
      e.fail("/offer/volunteers/" + std::to_string(k) + "/resident", "resident " + q(e.m[r].key) + " is gone");
  }
  if (e.m.find_offer(o.key)) e.fail("/offer/key", "offer " + q(o.key) + " exists");
  if (o.occupancy != 0) e.fail("/offer/occupancy", "a new offer starts empty (0)");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  const auto id = static_cast<std::uint32_t>(s.model->offers.size());
  s.model->offers.push_back(std::move(o));
  s.model->index_key(OfferId(id));
  s.sync_sizes();
  s.index.add_offer(id);
}

void offer_retire(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  e.fields({"offer"});
  const OfferId id = e.offer();
  auto open = open_referrals(e.s, [&](const Referral& r) { return r.target.offer == id; });
  if (!open.empty())
    e.fail("/offer", "offer " + q(e.m[id].key) + " has " + std::to_string(open.size()) + " open referral(s), e.g. " +
                         q(e.s.referrals[open.front()].key) + "; end or cancel them first");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  (void)in;
  e.s.offer_retired[id.index()] = 1;
  e.s.index.remove_offer(id.index());
}

void offer_capacity(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"offer", "seats", "occupancy"});
  const OfferId id = e.offer();
  Offer o = e.m[id];
  auto seats = e.integer("seats", 0, 1000000, false);
  auto occupancy = e.integer("occupancy", 0, 1000000, false);
  if (!seats && !occupancy) e.fail("", "offer.capacity changes nothing: give seats, occupancy or both");
  if (seats) o.seats = *seats;
  if (occupancy) o.occupancy = *occupancy;
  const int held = e.s.seats_held.count(id.index()) ? e.s.seats_held.at(id.index()) : 0;
  if (seats && o.seats < o.min_group_size)
    e.fail("/seats",
           std::to_string(o.seats) + " is below the group's minimum size " + std::to_string(o.min_group_size));
  if (o.occupancy > o.seats)
    e.fail(occupancy ? "/occupancy" : "/seats",
           "occupancy " + std::to_string(o.occupancy) + " would exceed seats " + std::to_string(o.seats));
  if (o.occupancy < held)
    e.fail("/occupancy",
           std::to_string(o.occupancy) + " is below the " + std::to_string(held) + " seats held by accepted referrals");
  if (o.occupancy < e.s.attendees[id.index()])
    e.fail("/occupancy", std::to_string(o.occupancy) + " is below the " + std::to_string(e.s.attendees[id.index()]) +
                             " residents who attend it");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  e.s.model->offers[id.index()] = std::move(o);
}

void professional_caseload(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"professional", "caseload_cap", "caseload"});
  const ProfessionalId id = e.professional();
  Professional p = e.m[id];
  auto cap = e.integer("caseload_cap", 0, 10000, false);
  auto load = e.integer("caseload", 0, 10000, false);
  if (!cap && !load) e.fail("", "professional.caseload changes nothing: give caseload_cap, caseload or both");
  if (cap) p.caseload_cap = *cap;
  if (load) p.caseload = *load;
  const int held = e.s.caseload_held.count(id.index()) ? e.s.caseload_held.at(id.index()) : 0;
  if (p.caseload > p.caseload_cap)
    e.fail(load ? "/caseload" : "/caseload_cap",
           "caseload " + std::to_string(p.caseload) + " would exceed the cap " + std::to_string(p.caseload_cap));
  if (p.caseload < held)
    e.fail("/caseload", std::to_string(p.caseload) + " is below the " + std::to_string(held) +
                            " places held by accepted referrals and coordination");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  e.s.model->professionals[id.index()] = std::move(p);
}

void tie_values(Event& e, Tie& t, bool create) {
  if (create || e.has("kind")) t.kind = e.enumeration("kind", parse_tie_kind, tie_kind_choices());
  if (create || e.has("strength")) {
    t.strength = *e.number("strength", 0.0, 1.0, "strength");
    if (t.strength <= 0.0) e.fail("/strength", "must be above 0 and at most 1");
  }
  if (create || e.has("domains")) t.domains = e.domains("domains");
  if (create || e.has("hours_per_week")) t.hours_per_week = *e.number("hours_per_week", 0.0, 168.0, "hours per week");
  if (e.has("hours_used")) t.hours_used = *e.number("hours_used", 0.0, 168.0, "hours per week");
  if (t.hours_used > t.hours_per_week)
    e.fail(e.has("hours_used") ? "/hours_used" : "/hours_per_week", "hours_used " + format_number(t.hours_used) +
                                                                        " would exceed hours_per_week " +
                                                                        format_number(t.hours_per_week));
}

void tie_add(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"helper", "helped", "kind", "strength", "domains", "hours_per_week", "hours_used"});
  Tie t;
  t.helper = e.resident("helper");
  t.helped = e.resident("helped");
  if (t.helper == t.helped) e.fail("/helped", "a resident cannot be tied to themselves");
  if (!e.s.find_ties(t.helper.index(), t.helped.index()).empty())
    e.fail("/helper",
           "a tie from " + q(e.m[t.helper].key) + " to " + q(e.m[t.helped].key) + " exists; change it with tie.change");
  tie_values(e, t, true);
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  const auto id = static_cast<std::uint32_t>(s.model->ties.size());
  s.model->ties.push_back(t);
  s.sync_sizes();
  s.index.add_tie(id);
}

void tie_change(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"helper", "helped", "kind", "strength", "domains", "hours_per_week", "hours_used"});
  const std::uint32_t id = e.tie();
  Tie t = e.m.ties[id];
  if (!e.has("kind") && !e.has("strength") && !e.has("domains") && !e.has("hours_per_week") && !e.has("hours_used"))
    e.fail("", "tie.change changes nothing: give kind, strength, domains, hours_per_week or hours_used");
  tie_values(e, t, false);
  const double held = e.s.hours_held.count(id) ? e.s.hours_held.at(id) : 0.0;
  if (t.hours_used + 1e-9 < held)
    e.fail(e.has("hours_used") ? "/hours_used" : "/hours_per_week", "hours_used " + format_number(t.hours_used) +
                                                                        " is below the " + format_number(held) +
                                                                        " hours held by accepted referrals");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  e.s.model->ties[id] = t;
  e.s.index.recount_hours(t.helper.index());
}

void end_tie(EngineState& s, std::uint32_t id) {
  s.tie_ended[id] = 1;
  s.index.remove_tie(id);
}

void tie_end(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"helper", "helped"});
  const std::uint32_t id = e.tie();
  auto open = open_referrals(e.s, [&](const Referral& r) { return r.target.tie == TieId(id); });
  if (!open.empty())
    e.fail("/helper", "the tie carries " + std::to_string(open.size()) + " open referral(s), e.g. " +
                          q(e.s.referrals[open.front()].key) + "; end or cancel them first");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  end_tie(e.s, id);
}

// ------------------------------------------------------------------------------ people

void household_add(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"household"});
  Model part = e.fragment("household", "households", e.object("household"));
  Household h = std::move(part.households.front());
  if (e.m.find_household(h.key)) e.fail("/household/key", "household " + q(h.key) + " exists");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  const auto id = static_cast<std::uint32_t>(s.model->households.size());
  s.model->households.push_back(std::move(h));
  s.model->index_key(HouseholdId(id));
  s.index.add_household();
}

void resident_add(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"resident"});
  const json& obj = e.object("resident");
  if (obj.contains("attends")) e.fail("/resident/attends", "not allowed here: attendance follows from referrals");
  json context = json::object();
  context["households"] = json::array();
  if (auto hk = obj.find("household"); hk != obj.end() && hk->is_string())
    if (auto h = e.m.find_household(hk->get<std::string>())) context["households"].push_back(household_json(e.m[*h]));
  Model part = e.fragment("resident", "residents", obj, context);
  Resident r = std::move(part.residents.front());
  if (e.m.find_resident(r.key)) e.fail("/resident/key", "resident " + q(r.key) + " exists");
  r.household = *e.m.find_household(part.households.front().key);
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  const auto id = static_cast<std::uint32_t>(s.model->residents.size());
  s.model->residents.push_back(std::move(r));
  s.model->index_key(ResidentId(id));
  s.sync_sizes();
  s.index.add_resident(id);
}

void resident_move(Event& e, const EventInput&, const std::function<void(const std::string&)>& commit) {
  e.fields({"resident", "household", "location"});
  const ResidentId id = e.resident("resident");
  Resident r = e.m[id];
  const HouseholdId from = r.household;
  if (!e.has("household") && !e.has("location"))
    e.fail("", "resident.move changes nothing: give household, location or both");
  if (e.has("household")) {
    r.household = e.household();
    r.neighbourhood = e.m[r.household].neighbourhood;
  }
  if (e.has("location")) {
    std::vector<Problem> problems;
    Reader rd(problems, 1);
    auto loc = read_location(rd, e.doc()["location"], "/location");
    if (problems.empty()) {
      if (loc->x_m < 0.0 || loc->x_m > 300000.0) rd.fail("/location/x", "must be an RD New x in [0, 300000] metres");
      if (loc->y_m < 300000.0 || loc->y_m > 625000.0)
        rd.fail("/location/y", "must be an RD New y in [300000, 625000] metres");
    }
    if (!problems.empty()) e.fail(problems.front().pointer, problems.front().reason);
    r.location = *loc;
  }
  const std::string canonical = e.doc().dump();
  commit(canonical);
  e.s.index.remove_neighbour(id.index());  // at the old location
  e.s.model->residents[id.index()] = std::move(r);
  e.s.index.add_neighbour(id.index());
  if (from != e.s.model->residents[id.index()].household) e.s.index.move_resident(id.index(), from.index());
}

void resident_gone(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  e.fields({"resident", "reason"});
  const ResidentId id = e.resident("resident");
  const EndingReason why = e.enumeration("reason", parse_ending_reason, "02 (death), 31 (moved)");
  if (why != EndingReason::death && why != EndingReason::moved)
    e.fail("/reason", "must be one of 02 (death), 31 (moved)");
  const std::string canonical = e.doc().dump();
  commit(canonical);
  auto& s = e.s;
  Model& m = *s.model;
  // Their own referrals end with the reason; help they give to others ends with 19.
  for (std::uint32_t i = 0; i < s.referrals.size(); ++i) {
    Referral& ref = s.referrals[i];
    if (is_terminal(ref.state)) continue;
    const bool own = m.needs[ref.need.index()].resident == id;
    const bool helps =
        (ref.target.tie.valid() && m.ties[ref.target.tie.index()].helper == id) || ref.target.neighbour == id;
    if (!own && !helps) continue;
    const bool running = holds_place(ref.state);
    move_to(s, ref, running ? ReferralState::ended : ReferralState::cancelled, in.at, in.id);
    if (running) ref.ended = own ? why : EndingReason::delivery_ended;
    record(s, ref.need.index(), in, canonical);
  }
  for (std::uint32_t n = 0; n < m.needs.size(); ++n)
    if (m.needs[n].resident == id && m.needs[n].status != NeedStatus::closed) {
      m.needs[n].status = NeedStatus::closed;
      if (s.audit[n].empty() || s.audit[n].back().event_id != in.id) record(s, n, in, canonical);
    }
  for (auto t : s.index.ties_of(id.index())) end_tie(s, t);
  for (OfferId o : m.residents[id.index()].attends) {
    if (m.offers[o.index()].occupancy > 0) --m.offers[o.index()].occupancy;
    --s.attendees[o.index()];
  }
  // Whoever runs or carries an initiative is gone from it too: its seats drop with their
  // hours (effective_seats), so nobody new is placed on what they carried.
  std::vector<std::uint32_t> left;
  for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
    Offer& offer = m.offers[o];
    const auto erased = std::erase(offer.organiser.residents, id) +
                        std::erase_if(offer.volunteers, [&](const Volunteer& v) { return v.resident == id; });
    if (erased > 0) left.push_back(o);
  }
  m.residents[id.index()].attends.clear();
  s.index.remove_neighbour(id.index());
  s.index.remove_resident(id.index(), left);
  s.resident_gone[id.index()] = 1;
}

// ------------------------------------------------------------------------------ plans

NeedId plan_need(Event& e, HouseholdId h) {
  const NeedId n = e.need();
  if (e.m[e.m[n].resident].household != h)
    e.fail("/need", "need " + q(e.m[n].key) + " is not of a member of household " + q(e.m[h].key));
  return n;
}

void plan_event(Event& e, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  const std::string& type = in.type;
  auto& s = e.s;
  if (type == "plan.agreement") {
    e.fields({"household", "need", "code", "due"});
    const HouseholdId h = e.household();
    PlanAgreement a{plan_need(e, h), e.identifier("code"), e.date("due"), in.at};
    const std::string canonical = e.doc().dump();
    commit(canonical);
    auto& plan = s.plans[h.index()];
    plan.household = h;
    plan.agreements.push_back(std::move(a));
    record(s, plan.agreements.back().need.index(), in, canonical);
  } else if (type == "plan.goal") {
    e.fields({"household", "need", "target_score", "by"});
    const HouseholdId h = e.household();
    PlanGoal g{plan_need(e, h), *e.integer("target_score", 1, 5, true), e.date("by"), in.at};
    const std::string canonical = e.doc().dump();
    commit(canonical);
    auto& plan = s.plans[h.index()];
    plan.household = h;
    plan.goals.push_back(g);
    record(s, g.need.index(), in, canonical);
  } else if (type == "plan.progress") {
    e.fields({"household", "need", "score"});
    const HouseholdId h = e.household();
    ProgressPoint p{plan_need(e, h), *e.integer("score", 1, 5, true), in.at};
    const std::string canonical = e.doc().dump();
    commit(canonical);
    auto& plan = s.plans[h.index()];
    plan.household = h;
    plan.progress.push_back(p);
    record(s, p.need.index(), in, canonical);
  } else if (type == "plan.coordinator") {
    e.fields({"household", "professional", "chosen_by"});
    const HouseholdId h = e.household();
    const ProfessionalId p = e.professional();
    const json& by = e.doc().contains("chosen_by") ? e.doc()["chosen_by"] : json();
    if (!by.is_string() || (by != "household" && by != "team"))
      e.fail("/chosen_by", "must be one of household, team (who chose the coordinator)");
    const auto it = s.plans.find(h.index());
    const ProfessionalId previous =
        it != s.plans.end() && it->second.coordinator ? *it->second.coordinator : ProfessionalId();
    if (previous == p) e.fail("/professional", q(e.m[p].key) + " coordinates this household already");
    if (e.m[p].caseload_room() <= 0)
      e.fail("/professional", "professional " + q(e.m[p].key) + " has no caseload room (" +
                                  std::to_string(e.m[p].caseload) + " of " + std::to_string(e.m[p].caseload_cap) + ")");
    const std::string canonical = e.doc().dump();
    commit(canonical);
    auto& plan = s.plans[h.index()];
    plan.household = h;
    if (previous.valid()) {
      --s.model->professionals[previous.index()].caseload;
      if (--s.caseload_held[previous.index()] == 0) s.caseload_held.erase(previous.index());
    }
    ++s.model->professionals[p.index()].caseload;
    ++s.caseload_held[p.index()];
    plan.coordinator = p;
    plan.coordinator_chosen_by_household = by == "household";
    s.household_audit[h.index()].push_back({s.seq, in.id, in.type, in.at, canonical});
  } else {
    const bool grant = type == "consent.grant";
    e.fields({"household", "party", "parts"});
    const HouseholdId h = e.household();
    const std::string party = e.key("party");
    if (party == household_party) e.fail("/party", "the household itself sees its whole plan; name another party");
    std::vector<PlanPart> parts;
    if (e.has("parts")) {
      const json& arr = e.doc()["parts"];
      if (!arr.is_array() || arr.empty()) e.fail("/parts", "must be a non-empty array of plan parts");
      for (std::size_t i = 0; i < arr.size(); ++i) {
        auto part = arr[i].is_string() ? parse_plan_part(arr[i].get<std::string>()) : std::nullopt;
        if (!part)
          e.fail("/parts/" + std::to_string(i), "must be one of agreements, goals, progress, referrals, coordinator");
        if (std::find(parts.begin(), parts.end(), *part) != parts.end())
          e.fail("/parts/" + std::to_string(i), "duplicate plan part");
        parts.push_back(*part);
      }
    } else if (grant) {
      e.fail("/parts", "required: the plan parts the party may see");
    } else {
      for (std::size_t i = 0; i < plan_part_count; ++i) parts.push_back(static_cast<PlanPart>(i));
    }
    const std::string canonical = e.doc().dump();
    commit(canonical);
    auto& plan = s.plans[h.index()];
    plan.household = h;
    for (PlanPart part : parts) {
      auto& list = plan.consent[static_cast<std::size_t>(part)];
      auto it = std::lower_bound(list.begin(), list.end(), party);
      if (grant && (it == list.end() || *it != party)) list.insert(it, party);
      if (!grant && it != list.end() && *it == party) list.erase(it);
    }
    s.household_audit[h.index()].push_back({s.seq, in.id, in.type, in.at, canonical});
  }
}

using Handler = void (*)(Event&, const EventInput&, const std::function<void(const std::string&)>&);

struct Kind {
  std::string_view type;
  Handler handler;
};

constexpr Kind kinds[] = {
    {"need.open", need_open},
    {"need.update", need_update},
    {"need.close", need_close},
    {"offer.add", offer_add},
    {"offer.retire", offer_retire},
    {"offer.capacity", offer_capacity},
    {"professional.caseload", professional_caseload},
    {"tie.add", tie_add},
    {"tie.change", tie_change},
    {"tie.end", tie_end},
    {"household.add", household_add},
    {"resident.add", resident_add},
    {"resident.move", resident_move},
    {"resident.gone", resident_gone},
    {"referral.propose", referral_propose},
    {"referral.offer", referral_step},
    {"referral.accept", referral_step},
    {"referral.decline", referral_step},
    {"referral.expire", referral_step},
    {"referral.start", referral_step},
    {"referral.hold", referral_step},
    {"referral.resume", referral_step},
    {"referral.end", referral_step},
    {"referral.cancel", referral_step},
    {"referral.error", referral_step},
    {"plan.agreement", plan_event},
    {"plan.goal", plan_event},
    {"plan.progress", plan_event},
    {"plan.coordinator", plan_event},
    {"consent.grant", plan_event},
    {"consent.withdraw", plan_event},
};

}  // namespace

void refuse(const std::string& event_id, std::string pointer, std::string reason) {
  throw EventError(event_id, Problem{std::move(pointer), std::move(reason)});
}

std::span<const std::string_view> event_types() {
  static const std::vector<std::string_view> types = [] {
    std::vector<std::string_view> t;
    for (const auto& k : kinds) t.push_back(k.type);
    return t;
  }();
  return types;
}

void apply_event(EngineState& state, const EventInput& in, const std::function<void(const std::string&)>& commit) {
  for (const auto& k : kinds)
    if (k.type == in.type) {
      Event e(state, in);
      k.handler(e, in, commit);
      return;
    }
  std::string choices;
  for (const auto& k : kinds) choices += (choices.empty() ? "" : ", ") + std::string(k.type);
  refuse(in.id, "/type", "unknown event type; expected one of " + choices);
}

}  // namespace wijkmatch::detail
