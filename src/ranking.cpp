// Collective-first ranking of one need: the steps (candidates, eligibility, features,
// reasons, output) live in ranking_*.cpp, see src/ranking_detail.hpp; this file puts them
// together and decides the order, the referrals and the outcome of an exception rule.
// See include/wijkmatch/ranking.hpp and docs/ranking.md.
#include "wijkmatch/ranking.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <tuple>

#include "ranking_detail.hpp"
#include "resources.hpp"

namespace wijkmatch {
namespace {

constexpr std::array<std::string_view, reject_reason_count> reject_names{
    "care_avoider",          "group_averse",    "too_far",           "no_shared_day_part", "language", "age",
    "severity_out_of_range", "referral_needed", "helper_overloaded", "no_hours_left",      "declined"};

constexpr std::array<std::string_view, unmet_reason_count> unmet_names{"nothing_within_reach", "all_rejected",
                                                                       "all_full", "below_acceptable_score"};

}  // namespace

std::string_view to_string(RejectReason r) noexcept { return reject_names[static_cast<std::size_t>(r)]; }
std::string_view to_string(UnmetReason r) noexcept { return unmet_names[static_cast<std::size_t>(r)]; }

namespace detail {
namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

enum class Source : std::uint8_t { offer, tie, introduction, neighbour };

// An option before it is an Option: plain numbers, no strings and no vectors, so that a need
// with hundreds of candidates costs no allocation. Only the options returned become Options.
struct Candidate {
  Source source = Source::offer;
  LadderLevel level = LadderLevel::collective;
  std::int8_t social_proof = -1;  ///< TieKind of the closest relation attending the offer; -1 = none
  bool referral = false;          ///< needs a referral (an offer with referral_required)
  bool deferred = false;          ///< rejected as referral_needed; listed in Ranking::deferred
  bool acceptable = false;
  std::uint32_t id = 0;           ///< offer, tie or resident (the neighbour), by source
  std::uint32_t via = none;       ///< introduction: the resident it runs through
  std::uint32_t exchange = none;  ///< neighbour: the need of theirs the resident could help with
  int waiting_position = 0;
  float schedule = 0.0F, language = 0.0F;
  double distance_m = 0.0, limit_m = 0.0;
  double score = 0.0;
  float total_weight = 0.0F;
};

// A rejection before it is a Rejection: the code and the numbers its sentence needs.
struct Reject {
  Source source = Source::offer;
  LadderLevel level = LadderLevel::collective;
  RejectReason why = RejectReason::too_far;
  LadderLevel lowest_free = LadderLevel::own_network;  ///< referral_needed: the level that comes first
  std::uint32_t id = 0;                                ///< offer, tie or resident (the neighbour)
  double distance_m = 0.0, limit_m = 0.0;
};

// A neighbour who offered help, with the first condition they fail (if any).
struct NeighbourCandidate {
  std::uint32_t resident;
  std::optional<RejectReason> why;
  NeedId exchange;
  double distance;
  float language;
};

// Per-thread buffers: one set per thread, reused need after need.
struct Scratch {
  std::vector<OfferCandidate> near;
  std::vector<std::pair<OfferId, TieKind>> circle;
  std::vector<Candidate> candidates;
  std::vector<Reject> rejects;
  std::vector<std::uint32_t> direct_helpers, order;
  std::vector<RankingIndex::NearNeighbour> near_neighbours;
  std::vector<NeighbourCandidate> near_evaluated;
  std::vector<double> score;
  std::vector<float> total;
  FeatureBatch batch;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Lexicographic comparison of two concatenations of three pieces, without building them.
int compare_joined(const std::array<std::string_view, 3>& a, const std::array<std::string_view, 3>& b) noexcept {
  std::size_t ai = 0, ao = 0, bi = 0, bo = 0;
  for (;;) {
    while (ai < 3 && ao == a[ai].size()) ++ai, ao = 0;
    while (bi < 3 && bo == b[bi].size()) ++bi, bo = 0;
    if (ai == 3 || bi == 3) return (ai == 3 ? 0 : 1) - (bi == 3 ? 0 : 1);
    const std::size_t n = std::min(a[ai].size() - ao, b[bi].size() - bo);
    if (int c = a[ai].substr(ao, n).compare(b[bi].substr(bo, n)); c != 0) return c;
    ao += n;
    bo += n;
  }
}

}  // namespace
}  // namespace detail

struct Ranker::Impl : detail::RankingIndex {
  using RankingIndex::RankingIndex;

  Ranking rank(NeedId need_id, const RankRequest& request) const;

 private:
  using Candidate = detail::Candidate;
  using Reject = detail::Reject;
  using Source = detail::Source;

  void add_offer_options(const Need& need, bool exception, detail::Scratch& s) const;
  void add_network_options(const Need& need, detail::Scratch& s) const;
  void refer_or_defer(bool exception, detail::Scratch& s) const;
  std::array<std::string_view, 3> key_of(const Candidate& c) const noexcept;
  void order(bool exception, int exception_rank, detail::Scratch& s, std::size_t top) const;
  Option option(const Need& need, const Candidate& c, std::size_t row, bool exception, const detail::Scratch& s,
                bool with_text) const;
  Rejection rejection(const Need& need, const Reject& x) const;
  /// Rejections in the documented order: by ladder position, then offer, tie, neighbour.
  void sort_rejections(std::vector<Rejection>& rejected) const;
  std::optional<UnmetException> unmet(const Need& need, const FiredException& e, const detail::Scratch& s) const;
};

void Ranker::Impl::add_offer_options(const Need& need, bool exception, detail::Scratch& s) const {
  const Resident& res = model[need.resident];
  offers_near(need, res, s.near);
  s.circle = social_circle(need.resident);
  const auto languages = language_bits(res);
  const auto need_index = static_cast<std::uint32_t>(&need - model.needs.data());
  for (const auto& where : s.near) {
    const detail::OfferFacts& facts = offer_facts[where.offer];
    if (declined_option(need_index, OptionKind::offer, where.offer)) {
      s.rejects.push_back(
          {Source::offer, facts.level, RejectReason::declined, {}, where.offer, where.distance_m, where.limit_m});
      continue;
    }
    const Offer& offer = model.offers[where.offer];
    const float language = language_match_fast(res, languages, facts, offer);
    if (auto why = detail::offer_fails(facts, need, res, where, language, exception)) {
      s.rejects.push_back({Source::offer, facts.level, *why, {}, where.offer, where.distance_m, where.limit_m});
      continue;
    }
    const auto at = std::lower_bound(s.circle.begin(), s.circle.end(), where.offer,
                                     [](const auto& a, std::uint32_t o) { return a.first.index() < o; });
    const bool proof = at != s.circle.end() && at->first.index() == where.offer;
    Candidate c;
    c.source = Source::offer;
    c.level = facts.level;
    c.id = where.offer;
    c.distance_m = where.distance_m;
    c.limit_m = where.limit_m;
    const int seats = effective_seats(offer);
    c.waiting_position = seats - offer.occupancy > 0 ? 0 : 1;
    c.language = language;
    c.social_proof = proof ? static_cast<std::int8_t>(at->second) : std::int8_t{-1};
    c.referral = facts.referral_required;
    auto row = s.batch.add_row();
    detail::offer_features(row, offer, facts, seats, res, need.domain, where, language, proof);
    c.schedule = row[Feature::schedule];
    s.candidates.push_back(c);
  }
}

void Ranker::Impl::add_network_options(const Need& need, detail::Scratch& s) const {
  const Resident& res = model[need.resident];
  const auto need_index = static_cast<std::uint32_t>(&need - model.needs.data());
  // The resident's own ties that can help with the domain.
  s.direct_helpers.clear();
  // The ties into the resident: helped_by edges of the graph, ascending tie id.
  graph.for_each_tie_into(need.resident, [&](TieId id) {
    const std::uint32_t t = id.index();
    const Tie& tie = model.ties[t];
    if (!tie.domains.contains(need.domain)) return;
    s.direct_helpers.push_back(tie.helper.index());
    if (declined_option(need_index, OptionKind::tie, t)) {
      s.rejects.push_back({Source::tie, LadderLevel::own_network, RejectReason::declined, {}, t, 0.0, 0.0});
      return;
    }
    if (auto why = detail::tie_fails(tie, hours_given[tie.helper.index()], policy)) {
      s.rejects.push_back({Source::tie, LadderLevel::own_network, *why, {}, t, 0.0, 0.0});
      return;
    }
    Candidate c;
    c.source = Source::tie;
    c.level = LadderLevel::own_network;
    c.id = t;
    c.distance_m = distance_m(res.location, model[tie.helper].location);
    detail::tie_features(s.batch.add_row(), tie, c.distance_m, 1.0F);
    s.candidates.push_back(c);
  });
  // Introductions through them: weaker by the policy's factor.
  for (const auto& in : introductions(need, s.direct_helpers)) {
    const Tie& tie = model.ties[in.tie];
    if (declined_option(need_index, OptionKind::tie, in.tie)) {
      s.rejects.push_back({Source::tie, LadderLevel::own_network, RejectReason::declined, {}, in.tie, 0.0, 0.0});
      continue;
    }
    Candidate c;
    c.source = Source::introduction;
    c.level = LadderLevel::own_network;
    c.id = in.tie;
    c.via = in.via;
    c.distance_m = distance_m(res.location, model[tie.helper].location);
    detail::tie_features(s.batch.add_row(), tie, c.distance_m, static_cast<float>(policy.introduction_factor));
    s.candidates.push_back(c);
  }
  // Neighbours who offered help with the domain, without a tie yet; an exchange when the
  // resident offered help with one of the neighbour's own open needs. A city has dozens within
  // reach of a need: the nearest few, exchanges first, are what a professional can use, so at
  // most max_neighbour_options options and max_neighbour_rejections rejections are kept
  // (declines always). Without a possible exchange or decline the nearest decide alone, so the
  // walk stops once both are found.
  using Near = detail::NeighbourCandidate;
  neighbours_near(need, s.near_neighbours);
  const bool walk_all = res.offers_help.has_value() || (!declined.empty() && declined.count(need_index) > 0);
  std::vector<Near>& near = s.near_evaluated;
  near.clear();
  std::size_t can = 0, cannot = 0;
  for (std::size_t k = 0; k < s.near_neighbours.size(); ++k) {
    if (!walk_all && can >= detail::max_neighbour_options && cannot >= detail::max_neighbour_rejections) break;
    if (k == nearest_first) sort_rest(s.near_neighbours);
    const auto& nn = s.near_neighbours[k];
    const std::uint32_t h = nn.resident;
    if (!is_other_helper(need, h, s.direct_helpers)) continue;
    const Resident& helper = model.residents[h];
    const HelpOffer& help = *helper.offers_help;
    if (declined_option(need_index, OptionKind::neighbour, h)) {
      s.rejects.push_back({Source::neighbour, LadderLevel::own_network, RejectReason::declined, {}, h, 0.0, 0.0});
      continue;
    }
    Near c{h, std::nullopt, NeedId(), nn.distance_m, detail::language_match(res.languages, helper.languages)};
    if (detail::helper_overloaded(hours_given[h], policy))
      c.why = RejectReason::helper_overloaded;
    else if (help.hours_left() <= 0.0)
      c.why = RejectReason::no_hours_left;
    else if (!help.day_parts.empty() && !res.availability.empty() && !help.day_parts.overlaps(res.availability))
      c.why = RejectReason::no_shared_day_part;
    else if (c.language == 0.0F)
      c.why = RejectReason::language;
    else
      c.exchange = exchange_for(need, h);
    ++(c.why ? cannot : can);
    near.push_back(c);
  }
  std::sort(near.begin(), near.end(), [](const Near& a, const Near& b) {
    return std::tuple(!a.exchange.valid(), a.distance, a.resident) <
           std::tuple(!b.exchange.valid(), b.distance, b.resident);
  });
  std::size_t listed_options = 0, listed_rejections = 0;
  for (const auto& n : near) {
    const HelpOffer& help = *model.residents[n.resident].offers_help;
    if (n.why) {
      if (listed_rejections == detail::max_neighbour_rejections) continue;
      ++listed_rejections;
      s.rejects.push_back({Source::neighbour, LadderLevel::own_network, *n.why, {}, n.resident, n.distance, 0.0});
      continue;
    }
    if (listed_options == detail::max_neighbour_options) continue;
    ++listed_options;
    Candidate c;
    c.source = Source::neighbour;
    c.level = LadderLevel::own_network;
    c.id = n.resident;
    c.exchange = n.exchange.valid() ? n.exchange.index() : detail::none;
    c.distance_m = n.distance;
    c.language = n.language;
    detail::neighbour_features(s.batch.add_row(), help, help.hours_left(), c.distance_m, c.language,
                               n.exchange.valid());
    s.candidates.push_back(c);
  }
}

// The team refers to a provision that needs a referral only when nothing acceptable comes
// earlier on the ladder, or an exception applies; the others are deferred.
void Ranker::Impl::refer_or_defer(bool exception, detail::Scratch& s) const {
  // The lowest ladder position of an acceptable option that needs no referral.
  int lowest_free_rank = std::numeric_limits<int>::max();
  LadderLevel lowest_free_level = LadderLevel::own_network;
  for (const auto& c : s.candidates)
    if (c.acceptable && !c.referral && rank_of(c.level) < lowest_free_rank) {
      lowest_free_rank = rank_of(c.level);
      lowest_free_level = c.level;
    }
  for (auto& c : s.candidates)
    if (c.referral && lowest_free_rank < rank_of(c.level) && !exception) {
      c.deferred = true;
      s.rejects.push_back(
          {Source::offer, c.level, RejectReason::referral_needed, lowest_free_level, c.id, c.distance_m, c.limit_m});
    }
}

// The option's identifier in the order's last tie-break: the offer key; a helper's key, and
// "~" with the resident an introduction runs through; "~~" and a neighbour's key (after every
// tie of the same helper).
std::array<std::string_view, 3> Ranker::Impl::key_of(const Candidate& c) const noexcept {
  switch (c.source) {
    case Source::offer: return {model.offers[c.id].key, {}, {}};
    case Source::neighbour: return {"~~", model.residents[c.id].key, {}};
    case Source::tie: return {model[model.ties[c.id].helper].key, {}, {}};
    case Source::introduction: return {model[model.ties[c.id].helper].key, "~", model.residents[c.via].key};
  }
  return {};
}

// Acceptable options first, then the ladder, then the score; where an exception fired,
// everything at or above its level comes before the rest. Sorts the first `top` (0 = all)
// candidate indexes into s.order.
void Ranker::Impl::order(bool exception, int exception_rank, detail::Scratch& s, std::size_t top) const {
  s.order.clear();
  for (std::uint32_t i = 0; i < s.candidates.size(); ++i)
    if (!s.candidates[i].deferred) s.order.push_back(i);
  auto before = [&](std::uint32_t i, std::uint32_t j) {
    const Candidate& a = s.candidates[i];
    const Candidate& b = s.candidates[j];
    const int ra = rank_of(a.level), rb = rank_of(b.level);
    const bool ea = exception && ra >= exception_rank, eb = exception && rb >= exception_rank;
    if (ea != eb) return ea;
    if (a.acceptable != b.acceptable) return a.acceptable;
    if (ra != rb) return ra < rb;
    if (a.score != b.score) return a.score > b.score;
    return detail::compare_joined(key_of(a), key_of(b)) < 0;
  };
  if (top > 0 && top < s.order.size()) {
    std::partial_sort(s.order.begin(), s.order.begin() + static_cast<std::ptrdiff_t>(top), s.order.end(), before);
  } else {
    std::sort(s.order.begin(), s.order.end(), before);
  }
}

Option Ranker::Impl::option(const Need& need, const Candidate& c, std::size_t row, bool exception,
                            const detail::Scratch& s, bool with_text) const {
  Option opt;
  opt.level = c.level;
  opt.distance_m = c.distance_m;
  opt.waiting_position = c.waiting_position;
  opt.score = c.score;
  opt.acceptable = c.acceptable;
  if (c.source == Source::offer) opt.offer = OfferId(c.id);
  if (c.source == Source::tie || c.source == Source::introduction) opt.tie = TieId(c.id);
  if (c.source == Source::introduction) opt.via = ResidentId(c.via);
  if (c.source == Source::neighbour) opt.neighbour = ResidentId(c.id);
  if (c.exchange != detail::none) opt.exchange = NeedId(c.exchange);
  if (!with_text) return opt;
  opt.contributions = s.batch.contributions(row, c.total_weight, policy);
  opt.reasons.reserve(8);
  switch (c.source) {
    case Source::offer: {
      const Offer& offer = model.offers[c.id];
      const std::optional<TieKind> proof =
          c.social_proof >= 0 ? std::optional(static_cast<TieKind>(c.social_proof)) : std::nullopt;
      detail::offer_reasons(opt, offer, need.domain, detail::OfferCandidate{c.id, c.distance_m, c.limit_m}, c.schedule,
                            c.language, proof);
      detail::stale_reason(opt, offer, policy);
      if (c.referral && !c.deferred) opt.reasons.emplace_back(detail::needs_referral);
      break;
    }
    case Source::tie: detail::tie_reasons(opt, model.ties[c.id], need.domain); break;
    case Source::introduction: detail::introduction_reasons(opt, need.domain, policy.introduction_factor); break;
    case Source::neighbour: {
      const HelpOffer& help = *model.residents[c.id].offers_help;
      detail::neighbour_reasons(opt, need.domain, help.hours_left(), opt.distance_m,
                                opt.exchange.valid() ? std::optional(model[opt.exchange].domain) : std::nullopt);
      break;
    }
  }
  if (exception && !c.deferred && model[need.resident].care_avoider && detail::is_professional(opt.level))
    opt.reasons.emplace_back(detail::approach_care_avoider);
  return opt;
}

void Ranker::Impl::sort_rejections(std::vector<Rejection>& rejected) const {
  std::sort(rejected.begin(), rejected.end(), [&](const Rejection& a, const Rejection& b) {
    return std::tuple(rank_of(a.level), a.offer.index(), a.tie.index(), a.neighbour.index()) <
           std::tuple(rank_of(b.level), b.offer.index(), b.tie.index(), b.neighbour.index());
  });
}

Rejection Ranker::Impl::rejection(const Need& need, const Reject& x) const {
  Rejection out;
  out.level = x.level;
  out.failed = x.why;
  const auto need_index = static_cast<std::uint32_t>(&need - model.needs.data());
  switch (x.source) {
    case Source::offer: {
      out.offer = OfferId(x.id);
      if (x.why == RejectReason::declined)
        out.reason = detail::declined_rejection(declined_option(need_index, OptionKind::offer, x.id)->reason);
      else if (x.why == RejectReason::referral_needed)
        out.reason = detail::referral_rejection(x.lowest_free);
      else
        out.reason = detail::offer_rejection(x.why, model.offers[x.id], need, model[need.resident],
                                             detail::OfferCandidate{x.id, x.distance_m, x.limit_m});
      break;
    }
    case Source::tie:
    case Source::introduction: {
      out.tie = TieId(x.id);
      const Tie& tie = model.ties[x.id];
      out.reason = x.why == RejectReason::declined
                       ? detail::declined_rejection(declined_option(need_index, OptionKind::tie, x.id)->reason)
                       : detail::tie_rejection(x.why, tie, hours_given[tie.helper.index()], policy);
      break;
    }
    case Source::neighbour: {
      out.neighbour = ResidentId(x.id);
      const HelpOffer& help = *model.residents[x.id].offers_help;
      out.reason = x.why == RejectReason::declined
                       ? detail::declined_rejection(declined_option(need_index, OptionKind::neighbour, x.id)->reason)
                       : detail::neighbour_rejection(x.why, help, help.hours_left(), hours_given[x.id], policy);
      break;
    }
  }
  return out;
}

// Met when an acceptable option at or above the rule's level leads (ordering puts any such
// option first); otherwise the reason, from what there is at that level.
std::optional<UnmetException> Ranker::Impl::unmet(const Need& need, const FiredException& e,
                                                  const detail::Scratch& s) const {
  const int level = rank_of(e.level);
  if (!s.order.empty()) {
    const Candidate& first = s.candidates[s.order.front()];
    if (first.acceptable && rank_of(first.level) >= level) return std::nullopt;
  }
  // The options at or above the level, in ranking order (s.order is fully sorted here: an
  // exception ranks every option), as Options without text: the sentence names them by label.
  std::vector<Option> at_level_options;
  for (auto i : s.order)
    if (rank_of(s.candidates[i].level) >= level)
      at_level_options.push_back(option(need, s.candidates[i], i, true, s, false));
  std::vector<const Option*> at_level;
  for (const auto& o : at_level_options) at_level.push_back(&o);
  std::vector<Rejection> rejected_at_level;
  for (const auto& x : s.rejects)
    if (rank_of(x.level) >= level) rejected_at_level.push_back(rejection(need, x));
  sort_rejections(rejected_at_level);
  UnmetException u;
  if (!at_level.empty())
    u.why = std::any_of(at_level.begin(), at_level.end(), [](const Option* o) { return o->waiting_position == 0; })
                ? UnmetReason::below_acceptable_score
                : UnmetReason::all_full;
  else
    u.why = rejected_at_level.empty() ? UnmetReason::nothing_within_reach : UnmetReason::all_rejected;
  for (const Option* o : at_level)
    if (o->waiting_position > 0 && o->offer.valid() &&
        (u.waiting_position == 0 || o->waiting_position < u.waiting_position)) {
      u.waiting_position = o->waiting_position;
      u.waiting_for = o->offer;
    }
  u.reason = detail::unmet_reason(model, policy, u.why, e.level, at_level, rejected_at_level);
  if (u.why == UnmetReason::all_rejected) u.conditions = std::move(rejected_at_level);
  return u;
}

Ranking Ranker::Impl::rank(NeedId need_id, const RankRequest& request) const {
  if (need_id.index() >= model.needs.size()) throw Error("rank: need index out of range");
  const Need& need = model[need_id];
  Ranking out;
  out.need = need_id;
  out.exception = detail::exception_for(*this, need_id);
  const bool exception = out.exception.has_value();
  const int exception_rank = exception ? rank_of(out.exception->level) : 0;

  detail::Scratch& s = detail::scratch();
  s.candidates.clear();
  s.rejects.clear();
  s.batch.clear();
  add_offer_options(need, exception, s);
  add_network_options(need, s);
  s.batch.score(policy, s.score, s.total);
  for (std::size_t i = 0; i < s.candidates.size(); ++i) {
    auto& c = s.candidates[i];
    c.score = s.score[i];
    c.total_weight = s.total[i];
    c.acceptable = c.score >= policy.acceptable_score && c.waiting_position == 0;
  }
  refer_or_defer(exception, s);
  // An exception ranks every option: its outcome looks at all of them at or above the level.
  order(exception, exception_rank, s, exception ? 0 : request.top);
  if (exception) out.exception->unmet = unmet(need, *out.exception, s);

  out.option_count = s.order.size();
  const std::size_t shown = request.top > 0 ? std::min(request.top, s.order.size()) : s.order.size();
  out.options.reserve(shown);
  for (std::size_t k = 0; k < shown; ++k) {
    const auto i = s.order[k];
    out.options.push_back(option(need, s.candidates[i], i, exception, s, request.explain));
    // Lower options stay alongside whether or not the rule's level can be met: they are never
    // the answer to the exception.
    if (exception && rank_of(out.options.back().level) < exception_rank) out.options.back().alongside = true;
  }
  for (const auto& x : s.rejects) ++out.rejected_count[static_cast<std::size_t>(x.why)];
  if (request.rejections) {
    out.rejected.reserve(s.rejects.size());
    for (const auto& x : s.rejects) out.rejected.push_back(rejection(need, x));
    sort_rejections(out.rejected);
  }
  if (request.top == 0) {
    for (std::uint32_t i = 0; i < s.candidates.size(); ++i)
      if (s.candidates[i].deferred)
        out.deferred.push_back(option(need, s.candidates[i], i, exception, s, request.explain));
    // Candidates come in grid order; deferred ones are offers, listed by offer.
    std::sort(out.deferred.begin(), out.deferred.end(),
              [](const Option& a, const Option& b) { return a.offer.index() < b.offer.index(); });
  }
  return out;
}

detail::RankingIndex& detail::RankerAccess::index(Ranker& ranker) noexcept { return *ranker.impl_; }

Ranker::Ranker(const Model& model, Policy policy) : impl_(std::make_unique<Impl>(model, std::move(policy))) {}
Ranker::~Ranker() = default;
Ranker::Ranker(Ranker&&) noexcept = default;
Ranker& Ranker::operator=(Ranker&&) noexcept = default;
const Model& Ranker::model() const noexcept { return impl_->model; }
const Policy& Ranker::policy() const noexcept { return impl_->policy; }
Ranking Ranker::rank(NeedId need, const RankRequest& request) const { return impl_->rank(need, request); }

std::vector<Ranking> Ranker::rank_all(int threads, const ProgressCallback& progress, const RankRequest& request) const {
  const auto& needs = impl_->model.needs;
  std::vector<NeedId> open;
  for (std::uint32_t n = 0; n < needs.size(); ++n)
    if (needs[n].status != NeedStatus::closed) open.emplace_back(n);
  return rank_many(open, threads, progress, request);
}

std::vector<Ranking> Ranker::rank_many(std::span<const NeedId> open, int threads, const ProgressCallback& progress,
                                       const RankRequest& request) const {
  std::vector<Ranking> out(open.size());
  unsigned workers = threads > 0 ? static_cast<unsigned>(threads) : std::max(1U, std::thread::hardware_concurrency());
  workers = static_cast<unsigned>(std::min<std::size_t>(workers, std::max<std::size_t>(1, open.size() / 64)));
  const auto total = static_cast<std::int64_t>(open.size());
  std::atomic<std::int64_t> done{0};
  std::atomic<bool> stop{false};
  constexpr std::size_t report_every = 256;
  // Each worker owns a strided set of slots: no sharing, same output for any thread count.
  auto work = [&](unsigned w, unsigned stride) {
    std::size_t since_report = 0;
    for (std::size_t i = w; i < open.size(); i += stride) {
      if (stop.load(std::memory_order_relaxed)) return;
      out[i] = impl_->rank(open[i], request);
      if (progress && ++since_report == report_every) {
        const auto now =
            done.fetch_add(static_cast<std::int64_t>(since_report)) + static_cast<std::int64_t>(since_report);
        since_report = 0;
        if (!progress("rank", now, total)) stop = true;
      }
    }
    done.fetch_add(static_cast<std::int64_t>(since_report));
  };
  if (workers <= 1) {
    work(0, 1);
  } else {
    std::exception_ptr failure;
    std::mutex failure_mutex;
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w)
      pool.emplace_back([&, w] {
        try {
          work(w, workers);
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          stop = true;
        }
      });
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
  }
  if (stop) throw Cancelled();
  if (progress && !progress("rank", total, total)) throw Cancelled();
  return out;
}

Ranking rank(const Model& model, NeedId need, const Policy& policy, const RankRequest& request) {
  return Ranker(model, policy).rank(need, request);
}

}  // namespace wijkmatch
