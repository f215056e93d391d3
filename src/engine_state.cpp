// The live engine's state as data: the canonical JSON of what the model cannot hold (for
// snapshots and the checksum), the live model, and the audit and plan documents.
#include <algorithm>
#include <map>

#include "engine_detail.hpp"
#include "model_binary.hpp"

namespace wijkmatch::detail {
namespace {

constexpr std::string_view state_format = "wijkmatch-engine-state";
constexpr int state_version = 1;

std::int64_t id_or_none(std::uint32_t index, bool valid) { return valid ? std::int64_t{index} : -1; }

template <class Map, class Fn>
json sorted_pairs(const Map& map, Fn&& value) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(map.size());
  for (const auto& [k, v] : map) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  json out = json::array();
  for (const auto& k : keys) out.push_back(json::array({k, value(map.at(k))}));
  return out;
}

json audit_entries(const std::vector<AuditEntry>& entries) {
  json out = json::array();
  for (const auto& a : entries) out.push_back(json::array({a.seq, a.event_id, a.type, format_date(a.at), a.body}));
  return out;
}

std::vector<AuditEntry> read_audit_entries(const json& j) {
  std::vector<AuditEntry> out;
  for (const auto& a : j)
    out.push_back({a.at(0).get<std::int64_t>(), a.at(1).get<std::string>(), a.at(2).get<std::string>(),
                   *parse_date(a.at(3).get<std::string>()), a.at(4).get<std::string>()});
  return out;
}

json accountability_json(const Accountability& a) {
  json levels = json::array();
  for (const auto& l : a.lower_levels)
    levels.push_back({{"level", to_string(l.level)},
                      {"outcome", to_string(l.outcome)},
                      {"candidate", l.candidate},
                      {"reason", l.reason}});
  json out = {{"lower_levels", levels}};
  if (a.exception_rule) {
    out["exception_rule"] = *a.exception_rule;
    out["exception_reason"] = a.exception_reason;
  }
  return out;
}

Accountability read_accountability(const json& j) {
  Accountability a;
  if (j.contains("exception_rule")) {
    a.exception_rule = j.at("exception_rule").get<std::string>();
    a.exception_reason = j.at("exception_reason").get<std::string>();
  }
  for (const auto& l : j.at("lower_levels")) {
    LevelAccount acc;
    acc.level = *parse_ladder_level(l.at("level").get<std::string>());
    for (std::size_t o = 0; o < 6; ++o)
      if (to_string(static_cast<LevelAccount::Outcome>(o)) == l.at("outcome").get<std::string>())
        acc.outcome = static_cast<LevelAccount::Outcome>(o);
    acc.candidate = l.at("candidate").get<std::string>();
    acc.reason = l.at("reason").get<std::string>();
    a.lower_levels.push_back(std::move(acc));
  }
  return a;
}

}  // namespace

std::uint64_t digest64(std::string_view bytes, std::uint64_t h) noexcept {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string target_label(const Model& m, const ReferralTarget& t) {
  if (t.offer.valid()) return m[t.offer].key;
  if (t.tie.valid()) return "network:" + m[m[t.tie].helper].key;
  if (t.neighbour.valid()) return "neighbour:" + m[t.neighbour].key;
  if (t.professional.valid()) return "professional:" + m[t.professional].key;
  return {};
}

json referral_json(const Model& m, const Referral& r) {
  json history = json::array();
  for (const auto& h : r.history)
    history.push_back({{"state", to_string(h.state)},
                       {"fhir_status", fhir_task_status(h.state)},
                       {"at", format_date(h.at)},
                       {"event", h.event_id}});
  json out = {{"key", r.key},
              {"need", m[r.need].key},
              {"option", target_label(m, r.target)},
              {"level", to_string(r.target.level)},
              {"state", to_string(r.state)},
              {"fhir_status", fhir_task_status(r.state)},
              {"holds_place", r.holds_place},
              {"history", history}};
  if (r.target.tie.valid() || r.target.neighbour.valid()) out["hours_per_week"] = r.hours_per_week;
  if (r.declined) out["decline_reason"] = to_string(*r.declined);
  if (r.ended) out["ending_reason"] = to_code(*r.ended);
  if (r.accountability) out["accountability"] = accountability_json(*r.accountability);
  return out;
}

json EngineState::state_json() const {
  json out = {{"format", state_format}, {"version", state_version}, {"seq", seq}};
  auto flagged = [](const std::vector<char>& flags) {
    json ids = json::array();
    for (std::size_t i = 0; i < flags.size(); ++i)
      if (flags[i]) ids.push_back(i);
    return ids;
  };
  out["retired"] = flagged(offer_retired);
  out["ended"] = flagged(tie_ended);
  out["gone"] = flagged(resident_gone);
  json refs = json::array();
  for (const auto& r : referrals) {
    json history = json::array();
    for (const auto& h : r.history) history.push_back(json::array({to_string(h.state), format_date(h.at), h.event_id}));
    json j = {{"key", r.key},
              {"need", r.need.index()},
              {"level", to_string(r.target.level)},
              {"offer", id_or_none(r.target.offer.index(), r.target.offer.valid())},
              {"tie", id_or_none(r.target.tie.index(), r.target.tie.valid())},
              {"professional", id_or_none(r.target.professional.index(), r.target.professional.valid())},
              {"state", to_string(r.state)},
              {"hours", r.hours_per_week},
              {"holds", r.holds_place},
              {"history", history}};
    if (r.target.neighbour.valid()) j["neighbour"] = r.target.neighbour.index();
    if (r.declined) j["declined"] = to_string(*r.declined);
    if (r.ended) j["ended"] = to_code(*r.ended);
    if (r.accountability) j["accountability"] = accountability_json(*r.accountability);
    refs.push_back(std::move(j));
  }
  out["referrals"] = std::move(refs);
  out["seats_held"] = sorted_pairs(seats_held, [](int v) { return v; });
  out["hours_held"] = sorted_pairs(hours_held, [](double v) { return v; });

  out["caseload_held"] = sorted_pairs(caseload_held, [](int v) { return v; });
  out["declines"] = sorted_pairs(declines, [](const auto& counts) { return json(counts); });
  out["declined"] = sorted_pairs(index.declined, [](const auto& list) {
    json l = json::array();
    // Offers and ties as false and true (the first engine state), neighbours by name.
    for (const auto& d : list)
      l.push_back(
          json::array({d.kind == RankingIndex::OptionKind::neighbour ? json("neighbour")
                                                                     : json(d.kind == RankingIndex::OptionKind::tie),
                       d.id, d.reason}));
    return l;
  });
  out["plans"] = sorted_pairs(plans, [](const LivePlan& p) {
    json agreements = json::array(), goals = json::array(), progress = json::array(), consent = json::array();
    for (const auto& a : p.agreements)
      agreements.push_back(json::array({a.need.index(), a.code, format_date(a.due), format_date(a.agreed)}));
    for (const auto& g : p.goals)
      goals.push_back(json::array({g.need.index(), g.target_score, format_date(g.by), format_date(g.set)}));
    for (const auto& pr : p.progress) progress.push_back(json::array({pr.need.index(), pr.score, format_date(pr.at)}));
    for (const auto& parties : p.consent) consent.push_back(parties);
    return json{{"agreements", agreements},
                {"goals", goals},
                {"progress", progress},
                {"coordinator", p.coordinator ? json(p.coordinator->index()) : json()},
                {"chosen_by_household", p.coordinator_chosen_by_household},
                {"consent", consent}};
  });
  out["audit"] = sorted_pairs(audit, audit_entries);
  out["household_audit"] = sorted_pairs(household_audit, audit_entries);
  return out;
}

void EngineState::load_state(const json& st) {
  try {
    if (st.at("format") != state_format || st.at("version") != state_version)
      throw Error("the snapshot's engine state is of another format or version");
    seq = st.at("seq").get<std::int64_t>();
    for (auto o : st.at("retired")) {
      offer_retired.at(o.get<std::size_t>()) = 1;
      index.remove_offer(o.get<std::uint32_t>());
    }
    for (auto t : st.at("ended")) {
      const auto id = t.get<std::uint32_t>();
      tie_ended.at(id) = 1;
      index.remove_tie(id);
    }
    for (auto r : st.at("gone")) {
      const auto id = r.get<std::uint32_t>();
      resident_gone.at(id) = 1;
      index.remove_neighbour(id);
      // The snapshot's model already dropped them from the offers they ran or volunteered at.
      index.remove_resident(id, {});
    }
    for (const auto& j : st.at("referrals")) {
      Referral r;
      r.key = j.at("key").get<std::string>();
      r.need = NeedId(j.at("need").get<std::uint32_t>());
      r.target.level = *parse_ladder_level(j.at("level").get<std::string>());
      if (auto o = j.at("offer").get<std::int64_t>(); o >= 0) r.target.offer = OfferId(static_cast<std::uint32_t>(o));
      if (auto t = j.at("tie").get<std::int64_t>(); t >= 0) r.target.tie = TieId(static_cast<std::uint32_t>(t));
      if (auto p = j.at("professional").get<std::int64_t>(); p >= 0)
        r.target.professional = ProfessionalId(static_cast<std::uint32_t>(p));
      if (j.contains("neighbour")) r.target.neighbour = ResidentId(j.at("neighbour").get<std::uint32_t>());
      r.state = *parse_referral_state(j.at("state").get<std::string>());
      r.hours_per_week = j.at("hours").get<double>();
      r.holds_place = j.at("holds").get<bool>();
      for (const auto& h : j.at("history"))
        r.history.push_back({*parse_referral_state(h.at(0).get<std::string>()), *parse_date(h.at(1).get<std::string>()),
                             h.at(2).get<std::string>()});
      if (j.contains("declined")) r.declined = parse_decline_reason(j.at("declined").get<std::string>());
      if (j.contains("ended")) r.ended = parse_ending_reason(j.at("ended").get<std::string>());
      if (j.contains("accountability")) r.accountability = read_accountability(j.at("accountability"));
      const auto id = static_cast<std::uint32_t>(referrals.size());
      referral_by_key.emplace(r.key, id);
      referrals_by_need[r.need.index()].push_back(id);
      referrals.push_back(std::move(r));
    }
    for (const auto& p : st.at("seats_held")) seats_held[p.at(0).get<std::uint32_t>()] = p.at(1).get<int>();
    for (const auto& p : st.at("hours_held")) hours_held[p.at(0).get<std::uint32_t>()] = p.at(1).get<double>();

    for (const auto& p : st.at("caseload_held")) caseload_held[p.at(0).get<std::uint32_t>()] = p.at(1).get<int>();
    for (const auto& p : st.at("declines"))
      declines[p.at(0).get<std::uint32_t>()] = p.at(1).get<std::array<int, decline_reason_count>>();
    for (const auto& p : st.at("declined")) {
      auto& list = index.declined[p.at(0).get<std::uint32_t>()];
      for (const auto& d : p.at(1))
        list.push_back({d.at(0).is_string() && d.at(0).get<std::string>() == "neighbour"
                            ? RankingIndex::OptionKind::neighbour
                        : d.at(0).get<bool>() ? RankingIndex::OptionKind::tie
                                              : RankingIndex::OptionKind::offer,
                        d.at(1).get<std::uint32_t>(), d.at(2).get<std::string>()});
    }
    for (const auto& p : st.at("plans")) {
      const auto h = p.at(0).get<std::uint32_t>();
      const json& j = p.at(1);
      LivePlan plan;
      plan.household = HouseholdId(h);
      for (const auto& a : j.at("agreements"))
        plan.agreements.push_back({NeedId(a.at(0).get<std::uint32_t>()), a.at(1).get<std::string>(),
                                   *parse_date(a.at(2).get<std::string>()), *parse_date(a.at(3).get<std::string>())});
      for (const auto& g : j.at("goals"))
        plan.goals.push_back({NeedId(g.at(0).get<std::uint32_t>()), g.at(1).get<int>(),
                              *parse_date(g.at(2).get<std::string>()), *parse_date(g.at(3).get<std::string>())});
      for (const auto& pr : j.at("progress"))
        plan.progress.push_back(
            {NeedId(pr.at(0).get<std::uint32_t>()), pr.at(1).get<int>(), *parse_date(pr.at(2).get<std::string>())});
      if (!j.at("coordinator").is_null()) plan.coordinator = ProfessionalId(j.at("coordinator").get<std::uint32_t>());
      plan.coordinator_chosen_by_household = j.at("chosen_by_household").get<bool>();
      for (std::size_t k = 0; k < plan_part_count; ++k)
        plan.consent[k] = j.at("consent").at(k).get<std::vector<std::string>>();
      plans.emplace(h, std::move(plan));
    }
    for (const auto& p : st.at("audit")) audit[p.at(0).get<std::uint32_t>()] = read_audit_entries(p.at(1));
    for (const auto& p : st.at("household_audit"))
      household_audit[p.at(0).get<std::uint32_t>()] = read_audit_entries(p.at(1));
    // Held hours are in the model's ties already; retired offers and ended ties changed hours.
    index.recount_all_hours();
  } catch (const json::exception& e) {
    throw Error(std::string("the snapshot's engine state is damaged: ") + e.what());
  } catch (const std::out_of_range&) {
    throw Error("the snapshot's engine state refers to an entity outside its model");
  }
}

std::uint64_t EngineState::checksum() const {
  return digest64(state_json().dump(), digest64(encode_model_binary(*model)));
}

Model live_model(const EngineState& s) {
  const Model& m = *s.model;
  Model out;
  out.professionals = m.professionals;
  // A household whose members are all gone, or whose members were not added yet, is left out:
  // a model may not hold a household without residents.
  std::vector<std::uint32_t> household_to(m.households.size(), Id<void>::invalid_value);
  for (std::uint32_t r = 0; r < m.residents.size(); ++r)
    if (!s.resident_gone[r]) household_to[m.residents[r].household.index()] = 0;
  for (std::uint32_t h = 0; h < m.households.size(); ++h)
    if (household_to[h] != Id<void>::invalid_value) {
      household_to[h] = static_cast<std::uint32_t>(out.households.size());
      out.households.push_back(m.households[h]);
    }
  std::vector<std::uint32_t> offer_to(m.offers.size(), Id<void>::invalid_value);
  std::vector<std::uint32_t> resident_to(m.residents.size(), Id<void>::invalid_value);
  for (std::uint32_t r = 0, kept = 0; r < m.residents.size(); ++r)
    if (!s.resident_gone[r]) resident_to[r] = kept++;
  // Organisers and volunteers who are gone left their offers already (resident.gone).
  for (std::uint32_t o = 0; o < m.offers.size(); ++o)
    if (!s.offer_retired[o]) {
      offer_to[o] = static_cast<std::uint32_t>(out.offers.size());
      Offer& offer = out.offers.emplace_back(m.offers[o]);
      for (ResidentId& r : offer.organiser.residents) r = ResidentId(resident_to[r.index()]);
      for (Volunteer& v : offer.volunteers) v.resident = ResidentId(resident_to[v.resident.index()]);
    }
  for (std::uint32_t r = 0; r < m.residents.size(); ++r)
    if (!s.resident_gone[r]) {
      Resident res = m.residents[r];
      res.household = HouseholdId(household_to[res.household.index()]);
      std::vector<OfferId> attends;
      for (OfferId o : res.attends)
        if (offer_to[o.index()] != Id<void>::invalid_value) attends.emplace_back(offer_to[o.index()]);
      res.attends = std::move(attends);
      out.residents.push_back(std::move(res));
    }
  for (std::uint32_t t = 0; t < m.ties.size(); ++t)
    if (!s.tie_ended[t]) {
      Tie tie = m.ties[t];
      tie.helper = ResidentId(resident_to[tie.helper.index()]);
      tie.helped = ResidentId(resident_to[tie.helped.index()]);
      out.ties.push_back(tie);
    }
  for (const auto& n : m.needs)
    if (!s.resident_gone[n.resident.index()]) {
      Need need = n;
      need.resident = ResidentId(resident_to[n.resident.index()]);
      out.needs.push_back(std::move(need));
    }
  out.rebuild_index();
  return out;
}

json plan_json(const EngineState& s, const LivePlan& plan, const std::vector<PlanPart>& parts) {
  const Model& m = *s.model;
  json out = json::object();
  auto granted = [&](PlanPart p) { return std::find(parts.begin(), parts.end(), p) != parts.end(); };
  if (granted(PlanPart::agreements)) {
    json a = json::array();
    for (const auto& x : plan.agreements)
      a.push_back(
          {{"need", m[x.need].key}, {"code", x.code}, {"due", format_date(x.due)}, {"agreed", format_date(x.agreed)}});
    out["agreements"] = a;
  }
  if (granted(PlanPart::goals)) {
    json g = json::array();
    for (const auto& x : plan.goals)
      g.push_back({{"need", m[x.need].key},
                   {"target_score", x.target_score},
                   {"by", format_date(x.by)},
                   {"set", format_date(x.set)}});
    out["goals"] = g;
  }
  if (granted(PlanPart::progress)) {
    json p = json::array();
    for (const auto& x : plan.progress)
      p.push_back({{"need", m[x.need].key}, {"score", x.score}, {"at", format_date(x.at)}});
    out["progress"] = p;
  }
  if (granted(PlanPart::referrals)) {
    json r = json::array();
    for (std::uint32_t i = 0; i < s.referrals.size(); ++i) {
      const auto& ref = s.referrals[i];
      if (m[m[ref.need].resident].household == plan.household) r.push_back(referral_json(m, ref));
    }
    out["referrals"] = r;
  }
  if (granted(PlanPart::coordinator)) {
    out["coordinator"] = plan.coordinator
                             ? json{{"professional", m[*plan.coordinator].key},
                                    {"chosen_by", plan.coordinator_chosen_by_household ? "household" : "team"}}
                             : json();
  }
  return out;
}

json read_plan(EngineState& s, HouseholdId h, const std::string& party, Date at) {
  LivePlan empty;
  empty.household = h;
  auto it = s.plans.find(h.index());
  const LivePlan& plan = it == s.plans.end() ? empty : it->second;
  std::vector<PlanPart> parts;
  for (std::size_t k = 0; k < plan_part_count; ++k)
    if (party == "household" || std::binary_search(plan.consent[k].begin(), plan.consent[k].end(), party))
      parts.push_back(static_cast<PlanPart>(k));
  AccessRecord record{s.seq, party, h.index(), at, parts};
  json names = json::array();
  for (PlanPart p : parts) names.push_back(to_string(p));
  if (s.journal)
    journal_log_access(
        s, {{"seq", s.seq}, {"party", party}, {"household", h.index()}, {"at", format_date(at)}, {"parts", names}});
  s.access.push_back(std::move(record));
  json out = plan_json(s, plan, parts);
  out["household"] = s.model->households[h.index()].key;
  out["party"] = party;
  out["granted"] = names;
  return out;
}

json audit_json(const EngineState& s, NeedId need) {
  const Model& m = *s.model;
  const Need& n = m[need];
  const HouseholdId h = m[n.resident].household;
  std::vector<const AuditEntry*> entries;
  if (auto it = s.audit.find(need.index()); it != s.audit.end())
    for (const auto& a : it->second) entries.push_back(&a);
  if (auto it = s.household_audit.find(h.index()); it != s.household_audit.end())
    for (const auto& a : it->second) entries.push_back(&a);
  std::stable_sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
  json events = json::array();
  for (const auto* a : entries)
    events.push_back({{"seq", a->seq},
                      {"id", a->event_id},
                      {"type", a->type},
                      {"at", format_date(a->at)},
                      {"event", json::parse(a->body)}});
  json refs = json::array();
  for (auto r : s.referrals_of(need.index())) refs.push_back(referral_json(m, s.referrals[r]));
  json reads = json::array();
  for (const auto& a : s.access)
    if (a.household == h.index()) {
      json parts = json::array();
      for (PlanPart p : a.parts) parts.push_back(to_string(p));
      reads.push_back({{"seq", a.seq}, {"party", a.party}, {"at", format_date(a.at)}, {"parts", parts}});
    }
  return {{"need", n.key},
          {"resident", m[n.resident].key},
          {"household", m[h].key},
          {"domain", to_string(n.domain)},
          {"status", to_string(n.status)},
          {"events", events},
          {"referrals", refs},
          {"plan_reads", reads}};
}

}  // namespace wijkmatch::detail
