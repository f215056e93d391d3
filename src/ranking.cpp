// Collective-first ranking. See include/wijkmatch/ranking.hpp and docs/ranking.md.
#include "wijkmatch/ranking.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "spatial_grid.hpp"

namespace wijkmatch {
namespace {

using detail::Grid;

constexpr std::array<std::string_view, reject_reason_count> reject_names{
    "care_avoider", "group_averse",          "too_far",         "no_shared_day_part", "language",
    "age",          "severity_out_of_range", "referral_needed", "helper_overloaded",  "no_hours_left"};

bool is_professional(LadderLevel l) { return l != LadderLevel::own_network && l != LadderLevel::collective; }

std::string metres(double m) { return std::to_string(static_cast<long long>(std::lround(m))) + " m"; }

// Locale-free and allocation-light: reasons are built for every candidate of every need.
std::string fixed(double v, int digits) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

std::string schedule_text(WeeklySchedule s) {
  std::string out;
  for (std::size_t d = 0; d < day_count; ++d)
    for (std::size_t p = 0; p < day_part_count; ++p)
      if (s.contains(d, static_cast<DayPart>(p)))
        out += (out.empty() ? "" : ", ") + std::string(day_name(d)) + " " +
               std::string(to_string(static_cast<DayPart>(p)));
  return out;
}

std::string list_text(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string_view relation_text(TieKind k) {
  switch (k) {
    case TieKind::household: return "someone from your household";
    case TieKind::family: return "someone from your family";
    case TieKind::neighbour: return "a neighbour of yours";
    case TieKind::friend_: return "a friend of yours";
    case TieKind::volunteer_buddy: return "your volunteer buddy";
  }
  return "someone you know";
}

std::string_view helper_text(TieKind k) {
  switch (k) {
    case TieKind::household: return "a member of your household";
    case TieKind::family: return "a family member";
    case TieKind::neighbour: return "a neighbour";
    case TieKind::friend_: return "a friend";
    case TieKind::volunteer_buddy: return "your volunteer buddy";
  }
  return "someone you know";
}

// Row-major candidate features; a mask marks which features apply to the candidate.
struct FeatureBatch {
  std::vector<float> values, mask;
  std::size_t rows = 0;
  float* add_row() {
    values.resize((rows + 1) * feature_count, 0.0F);
    mask.resize((rows + 1) * feature_count, 0.0F);
    return &values[rows++ * feature_count];
  }
  float* mask_row(std::size_t r) { return &mask[r * feature_count]; }
};

}  // namespace

std::string_view to_string(RejectReason r) noexcept { return reject_names[static_cast<std::size_t>(r)]; }

struct Ranker::Impl {
  const Model& model;
  Policy policy;
  std::array<Grid, life_domain_count> collective{};         // collective offers, 500 m cells
  std::array<Grid, life_domain_count> provisions{};         // basic_care, individual, specialist, 5 km cells
  std::vector<std::uint32_t> ties_into_offsets, ties_into;  // tie ids by helped resident
  std::vector<std::uint32_t> ties_of_offsets, ties_of;      // tie ids by either end
  std::vector<std::uint32_t> members_offsets, members;      // residents by household
  std::vector<double> hours_given;                          // by helper
  std::vector<std::string> need_override_reason;            // by need; empty = none
  std::vector<int> need_override_level;                     // -1 = none
  std::array<int, ladder_level_count> level_rank{};         // policy.rank_of, precomputed

  int rank_of(LadderLevel level) const noexcept { return level_rank[static_cast<std::size_t>(level)]; }

  Impl(const Model& m, Policy p) : model(m), policy(std::move(p)) {
    for (std::size_t l = 0; l < ladder_level_count; ++l) level_rank[l] = policy.rank_of(static_cast<LadderLevel>(l));
    for (auto& g : collective) g = Grid(500.0);
    for (auto& g : provisions) g = Grid(5000.0);
    for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
      const auto& offer = m.offers[o];
      for (std::size_t d = 0; d < life_domain_count; ++d)
        if (offer.fit[d] > 0.0)
          (offer.level == LadderLevel::collective ? collective : provisions)[d].insert(offer.location, o);
    }
    auto build_csr = [](std::size_t n, const auto& pairs, std::vector<std::uint32_t>& offsets,
                        std::vector<std::uint32_t>& items) {
      offsets.assign(n + 1, 0);
      for (auto [owner, item] : pairs) ++offsets[owner + 1];
      for (std::size_t i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
      items.resize(pairs.size());
      std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
      for (auto [owner, item] : pairs) items[fill[owner]++] = item;
    };
    std::vector<std::pair<std::uint32_t, std::uint32_t>> into, of, mem;
    hours_given.assign(m.residents.size(), 0.0);
    for (std::uint32_t t = 0; t < m.ties.size(); ++t) {
      into.emplace_back(m.ties[t].helped.index(), t);
      of.emplace_back(m.ties[t].helped.index(), t);
      of.emplace_back(m.ties[t].helper.index(), t);
      hours_given[m.ties[t].helper.index()] += m.ties[t].hours_used;
    }
    for (std::uint32_t r = 0; r < m.residents.size(); ++r) mem.emplace_back(m.residents[r].household.index(), r);
    build_csr(m.residents.size(), into, ties_into_offsets, ties_into);
    build_csr(m.residents.size(), of, ties_of_offsets, ties_of);
    build_csr(m.households.size(), mem, members_offsets, members);
    need_override_reason.assign(m.needs.size(), {});
    need_override_level.assign(m.needs.size(), -1);
    for (const auto& o : policy.overrides)
      if (auto n = m.find_need(o.need)) {
        need_override_reason[n->index()] = o.reason;
        need_override_level[n->index()] = static_cast<int>(o.level);
      }
  }

  std::span<const std::uint32_t> span_of(const std::vector<std::uint32_t>& offsets,
                                         const std::vector<std::uint32_t>& items, std::uint32_t owner) const {
    return {items.data() + offsets[owner], items.data() + offsets[owner + 1]};
  }

  std::optional<FiredException> exception_for(NeedId id) const {
    const Need& n = model[id];
    for (const auto& rule : policy.exceptions) {
      switch (rule.kind) {
        case ExceptionKind::crisis:
          if (n.crisis || n.severity == 1)
            return FiredException{rule.name, rule.kind, rule.level,
                                  n.crisis ? "the team marked this need as a crisis" : "severity 1 (acute problems)"};
          break;
        case ExceptionKind::safety_report:
          if (n.safety_report)
            return FiredException{rule.name, rule.kind, rule.level,
                                  "a report to Veilig Thuis (safety at home) was made"};
          break;
        case ExceptionKind::rent_arrears:
          if (n.rent_arrears_months >= rule.min_months)
            return FiredException{rule.name, rule.kind, rule.level,
                                  "rent arrears of " + std::to_string(n.rent_arrears_months) +
                                      " months (rule: at least " + std::to_string(rule.min_months) +
                                      "): next month's rent cannot be paid either"};
          break;
        case ExceptionKind::override_:
          if (need_override_level[id.index()] >= 0)
            return FiredException{rule.name, rule.kind, static_cast<LadderLevel>(need_override_level[id.index()]),
                                  "professional override: " + need_override_reason[id.index()]};
          break;
      }
    }
    return std::nullopt;
  }

  // Offers attended by anyone tied to the resident (household or tie), with the closest relation.
  std::vector<std::pair<OfferId, TieKind>> social_circle_offers(ResidentId rid) const {
    std::vector<std::pair<OfferId, TieKind>> out;
    auto add = [&](ResidentId other, TieKind kind) {
      if (other == rid) return;
      for (OfferId o : model[other].attends) out.emplace_back(o, kind);
    };
    const auto& res = model[rid];
    for (auto member : span_of(members_offsets, members, res.household.index()))
      add(ResidentId(member), TieKind::household);
    for (auto t : span_of(ties_of_offsets, ties_of, rid.index())) {
      const Tie& tie = model.ties[t];
      add(tie.helper == rid ? tie.helped : tie.helper, tie.kind);
    }
    // Closest relation first (household < family < neighbour ...), deterministic.
    std::sort(out.begin(), out.end(),
              [](auto a, auto b) { return std::pair(a.first, a.second) < std::pair(b.first, b.second); });
    out.erase(std::unique(out.begin(), out.end(), [](auto a, auto b) { return a.first == b.first; }), out.end());
    return out;
  }

  Ranking rank(NeedId need_id) const {
    if (need_id.index() >= model.needs.size()) throw Error("rank: need index out of range");
    const Need& need = model[need_id];
    const Resident& res = model[need.resident];
    const auto d = static_cast<std::size_t>(need.domain);
    Ranking out;
    out.need = need_id;
    out.exception = exception_for(need_id);
    const bool exception = out.exception.has_value();

    std::vector<Option> options;
    FeatureBatch batch;
    const auto circle = social_circle_offers(need.resident);
    auto circle_kind = [&](OfferId o) -> std::optional<TieKind> {
      auto it = std::lower_bound(circle.begin(), circle.end(), o, [](auto a, OfferId b) { return a.first < b; });
      if (it != circle.end() && it->first == o) return it->second;
      return std::nullopt;
    };
    auto language_score = [&](const std::vector<std::string>& langs) -> float {
      for (std::size_t i = 0; i < res.languages.size(); ++i)
        if (std::find(langs.begin(), langs.end(), res.languages[i]) != langs.end()) return i == 0 ? 1.0F : 0.7F;
      return 0.0F;
    };

    // Offers near the resident, serving the need's domain.
    std::vector<std::uint32_t> candidates;
    collective[d].query(res.location, candidate_radius_m(res, LadderLevel::collective, policy),
                        [&](std::uint32_t o) { candidates.push_back(o); });
    provisions[d].query(res.location, candidate_radius_m(res, LadderLevel::basic_care, policy),
                        [&](std::uint32_t o) { candidates.push_back(o); });
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    std::vector<std::uint32_t> referral_pending;  // options whose referral depends on lower levels
    // One allocation per array instead of repeated growth: this is the hot path of rank_all.
    options.reserve(candidates.size() + 8);
    out.rejected.reserve(candidates.size());
    batch.values.reserve((candidates.size() + 8) * feature_count);
    batch.mask.reserve((candidates.size() + 8) * feature_count);
    for (std::uint32_t o : candidates) {
      const Offer& offer = model.offers[o];
      const double dist = distance_m(res.location, offer.location);
      const bool collective_level = offer.level == LadderLevel::collective;
      const double limit = collective_level ? res.max_travel_m : policy.provision_radius_m;
      if (dist > candidate_radius_m(res, offer.level, policy)) continue;  // outside consideration: not a candidate
      auto reject = [&](RejectReason why, std::string text) {
        out.rejected.push_back({offer.level, OfferId(o), TieId(), why, std::move(text)});
      };
      if (is_professional(offer.level) && res.care_avoider && !exception) {
        reject(RejectReason::care_avoider, "care avoider: the resident refuses contact with professionals");
        continue;
      }
      if (collective_level && res.group_averse) {
        reject(RejectReason::group_averse, "group-averse: the resident does not want group activities");
        continue;
      }
      if (dist > limit) {
        reject(RejectReason::too_far, "too far: " + metres(dist) + " from home, limit " + metres(limit));
        continue;
      }
      if (!offer.schedule.empty() && !offer.schedule.overlaps(res.availability)) {
        reject(RejectReason::no_shared_day_part,
               "no shared day-part: meets " + schedule_text(offer.schedule) + "; the resident is not available then");
        continue;
      }
      const float lang = language_score(offer.languages);
      if (lang == 0.0F) {
        reject(RejectReason::language, "language: offered in " + list_text(offer.languages) + "; the resident speaks " +
                                           list_text(res.languages));
        continue;
      }
      if (!offer.eligibility.age_bands.empty() && !offer.eligibility.age_bands.contains(res.age_band)) {
        reject(RejectReason::age, "age: not for age band " + std::string(to_string(res.age_band)));
        continue;
      }
      if (need.severity < offer.eligibility.severity_min || need.severity > offer.eligibility.severity_max) {
        reject(RejectReason::severity_out_of_range, "severity " + std::to_string(need.severity) + " outside " +
                                                        std::to_string(offer.eligibility.severity_min) + " to " +
                                                        std::to_string(offer.eligibility.severity_max));
        continue;
      }
      Option opt;
      opt.reasons.reserve(8);
      opt.contributions.reserve(feature_count);
      opt.level = offer.level;
      opt.offer = OfferId(o);
      opt.distance_m = dist;
      opt.waiting_position = offer.free_seats() > 0 ? 0 : 1;
      float* f = batch.add_row();
      float* m = batch.mask_row(batch.rows - 1);
      f[0] = static_cast<float>(offer.fit[d]);
      f[1] = static_cast<float>(std::clamp(1.0 - dist / std::max(limit, 1.0), 0.0, 1.0));
      f[2] = offer.schedule.empty()
                 ? 1.0F
                 : static_cast<float>(WeeklySchedule{offer.schedule.bits & res.availability.bits}.count()) /
                       static_cast<float>(offer.schedule.count());
      f[3] = lang;
      const auto proof = circle_kind(OfferId(o));
      f[4] = proof ? 1.0F : 0.0F;
      f[5] = offer.seats > 0 ? static_cast<float>(offer.free_seats()) / static_cast<float>(offer.seats) : 0.0F;
      f[6] = static_cast<float>(1.0 - std::min(1.0, offer.waiting_days / 90.0));
      f[7] = static_cast<float>(std::clamp(1.0 - std::log1p(offer.cost_per_month) / std::log1p(10000.0), 0.0, 1.0));
      for (std::size_t k = 0; k < feature_count; ++k)
        m[k] = k == static_cast<std::size_t>(Feature::tie_strength) ? 0.0F : 1.0F;

      opt.reasons.push_back("serves " + std::string(to_string(need.domain)) + " (fit " + fixed(offer.fit[d], 1) + ")");
      if (collective_level)
        opt.reasons.push_back(metres(dist) + " from home, within the " + metres(limit) + " the resident can travel");
      opt.reasons.push_back(offer.schedule.empty() ? std::string("by appointment")
                                                   : "meets " + schedule_text(offer.schedule) +
                                                         (f[2] >= 1.0F ? "; the resident is free then"
                                                                       : "; the resident is free for part of it"));
      opt.reasons.push_back(lang == 1.0F ? "in the resident's first language" : "in a language the resident speaks");
      if (proof) opt.reasons.push_back(std::string(relation_text(*proof)) + " goes there");
      if (opt.waiting_position == 0)
        opt.reasons.push_back(std::to_string(offer.free_seats()) + " of " + std::to_string(offer.seats) +
                              " places free");
      else
        opt.reasons.push_back("full: first on the waiting list" +
                              (offer.waiting_days > 0
                                   ? ", expected wait about " + std::to_string(offer.waiting_days) + " days"
                                   : std::string()));
      if (opt.waiting_position == 0 && offer.waiting_days > 0)
        opt.reasons.push_back("starts in about " + std::to_string(offer.waiting_days) + " days");
      opt.reasons.push_back(offer.cost_per_month <= 0.0 ? std::string("free of charge")
                                                        : "costs " + fixed(offer.cost_per_month, 0) + " euro a month");
      if (offer.eligibility.referral_required) referral_pending.push_back(static_cast<std::uint32_t>(options.size()));
      options.push_back(std::move(opt));
    }

    // Own network: ties that can help with this domain, then introductions through them.
    std::vector<std::uint32_t> direct_helpers;
    for (auto t : span_of(ties_into_offsets, ties_into, need.resident.index())) {
      const Tie& tie = model.ties[t];
      if (!tie.domains.contains(need.domain)) continue;
      direct_helpers.push_back(tie.helper.index());
      auto reject = [&](RejectReason why, std::string text) {
        out.rejected.push_back({LadderLevel::own_network, OfferId(), TieId(t), why, std::move(text)});
      };
      const double given = hours_given[tie.helper.index()];
      if (given > policy.overloaded_helper_hours) {
        reject(RejectReason::helper_overloaded, "helper overloaded: already gives " + fixed(given, 1) +
                                                    " hours a week (limit " + fixed(policy.overloaded_helper_hours, 0) +
                                                    ")");
        continue;
      }
      if (tie.hours_left() <= 0.0) {
        reject(RejectReason::no_hours_left,
               "no hours left: the " + fixed(tie.hours_per_week, 1) + " hours a week are in use");
        continue;
      }
      Option opt;
      opt.level = LadderLevel::own_network;
      opt.tie = TieId(t);
      opt.distance_m = distance_m(res.location, model[tie.helper].location);
      float* f = batch.add_row();
      float* m = batch.mask_row(batch.rows - 1);
      f[0] = 1.0F;
      f[1] = static_cast<float>(std::clamp(1.0 - opt.distance_m / 5000.0, 0.0, 1.0));
      f[3] = 1.0F;
      f[5] = static_cast<float>(std::min(1.0, tie.hours_left() / 4.0));
      f[6] = 1.0F;
      f[7] = 1.0F;
      f[8] = static_cast<float>(tie.strength);
      for (Feature k : {Feature::fit, Feature::proximity, Feature::language, Feature::capacity, Feature::waiting,
                        Feature::cost, Feature::tie_strength})
        m[static_cast<std::size_t>(k)] = 1.0F;
      opt.reasons.push_back(std::string(helper_text(tie.kind)) + " can help with " +
                            std::string(to_string(need.domain)));
      opt.reasons.push_back(fixed(tie.hours_left(), 1) + " of " + fixed(tie.hours_per_week, 1) + " hours a week left");
      opt.reasons.push_back("free of charge, no waiting");
      options.push_back(std::move(opt));
    }
    // Introductions: someone a tie knows, who already helps others with this domain.
    {
      struct Intro {
        std::uint32_t tie, via;
      };
      std::vector<Intro> intros;
      for (auto t1 : span_of(ties_of_offsets, ties_of, need.resident.index())) {
        const Tie& first = model.ties[t1];
        const ResidentId x = first.helper == need.resident ? first.helped : first.helper;
        for (auto t2 : span_of(ties_of_offsets, ties_of, x.index())) {
          const Tie& second = model.ties[t2];
          if (second.helper == x) continue;  // the tie's own help is not an introduction
          const ResidentId y = second.helper;
          if (y == need.resident || model[y].household == res.household) continue;
          if (std::find(direct_helpers.begin(), direct_helpers.end(), y.index()) != direct_helpers.end()) continue;
          if (!second.domains.contains(need.domain) || second.hours_left() <= 0.0) continue;
          if (hours_given[y.index()] > policy.overloaded_helper_hours) continue;
          intros.push_back({t2, x.index()});
        }
      }
      std::sort(intros.begin(), intros.end(), [&](Intro a, Intro b) {
        const auto& ta = model.ties[a.tie];
        const auto& tb = model.ties[b.tie];
        return std::tuple(-ta.strength, ta.helper, a.via, a.tie) < std::tuple(-tb.strength, tb.helper, b.via, b.tie);
      });
      std::vector<std::uint32_t> seen_helpers;
      int count = 0;
      for (const auto& in : intros) {
        const Tie& tie = model.ties[in.tie];
        if (std::find(seen_helpers.begin(), seen_helpers.end(), tie.helper.index()) != seen_helpers.end()) continue;
        seen_helpers.push_back(tie.helper.index());
        if (++count > 3) break;
        Option opt;
        opt.level = LadderLevel::own_network;
        opt.tie = TieId(in.tie);
        opt.via = ResidentId(in.via);
        opt.distance_m = distance_m(res.location, model[tie.helper].location);
        float* f = batch.add_row();
        float* m = batch.mask_row(batch.rows - 1);
        const float factor = static_cast<float>(policy.introduction_factor);
        f[0] = factor;
        f[1] = static_cast<float>(std::clamp(1.0 - opt.distance_m / 5000.0, 0.0, 1.0)) * factor;
        f[3] = factor;
        f[5] = static_cast<float>(std::min(1.0, tie.hours_left() / 4.0)) * factor;
        f[6] = factor;
        f[7] = factor;
        f[8] = static_cast<float>(tie.strength) * factor;
        for (Feature k : {Feature::fit, Feature::proximity, Feature::language, Feature::capacity, Feature::waiting,
                          Feature::cost, Feature::tie_strength})
          m[static_cast<std::size_t>(k)] = 1.0F;
        opt.reasons.push_back("introduction through someone you know: a person in their network already helps with " +
                              std::string(to_string(need.domain)));
        opt.reasons.push_back("weaker than your own ties (factor " + fixed(policy.introduction_factor, 1) + ")");
        options.push_back(std::move(opt));
      }
    }

    // Batch scoring: score = (F .* M) w / (M w).
    if (batch.rows > 0) {
      using Matrix = Eigen::Matrix<float, Eigen::Dynamic, static_cast<int>(feature_count), Eigen::RowMajor>;
      Eigen::Map<const Matrix> F(batch.values.data(), static_cast<Eigen::Index>(batch.rows), feature_count);
      Eigen::Map<const Matrix> M(batch.mask.data(), static_cast<Eigen::Index>(batch.rows), feature_count);
      Eigen::Matrix<float, static_cast<int>(feature_count), 1> w;
      for (std::size_t k = 0; k < feature_count; ++k)
        w[static_cast<Eigen::Index>(k)] = static_cast<float>(policy.weights[k]);
      const Eigen::VectorXf numer = F.cwiseProduct(M) * w;
      const Eigen::VectorXf denom = M * w;
      for (std::size_t i = 0; i < batch.rows; ++i) {
        const float total = denom[static_cast<Eigen::Index>(i)];
        auto& opt = options[i];
        opt.score = total > 0 ? static_cast<double>(numer[static_cast<Eigen::Index>(i)] / total) : 0.0;
        // Rounded so that scores print and compare identically everywhere.
        opt.score = std::round(opt.score * 1e6) / 1e6;
        for (std::size_t k = 0; k < feature_count; ++k) {
          if (batch.mask[i * feature_count + k] == 0.0F) continue;
          const double value = batch.values[i * feature_count + k];
          opt.contributions.push_back({static_cast<Feature>(k), value,
                                       total > 0 ? policy.weights[k] * value / static_cast<double>(total) : 0.0});
        }
        opt.acceptable = opt.score >= policy.acceptable_score && opt.waiting_position == 0;
      }
    }

    // Referral: the team refers to a provision that needs one only when nothing acceptable
    // comes earlier on the ladder, or an exception applies.
    std::vector<char> drop(options.size(), 0);
    // The lowest ladder position of an acceptable option that needs no referral.
    int lowest_free_rank = std::numeric_limits<int>::max();
    LadderLevel lowest_free_level = LadderLevel::own_network;
    for (const auto& other : options)
      if (other.acceptable &&
          !(other.offer.valid() && model.offers[other.offer.index()].eligibility.referral_required) &&
          rank_of(other.level) < lowest_free_rank) {
        lowest_free_rank = rank_of(other.level);
        lowest_free_level = other.level;
      }
    for (auto i : referral_pending) {
      auto& opt = options[i];
      if (lowest_free_rank < rank_of(opt.level) && !exception) {
        out.rejected.push_back({opt.level, opt.offer, TieId(), RejectReason::referral_needed,
                                "referral needed: an acceptable " + std::string(to_string(lowest_free_level)) +
                                    " option comes first on the ladder"});
        drop[i] = 1;
      } else {
        opt.reasons.push_back("needs a referral by the team");
      }
    }
    if (exception) {
      for (auto& opt : options)
        if (is_professional(opt.level) && res.care_avoider)
          opt.reasons.push_back("the resident avoids professionals: approach through someone they trust");
    }

    std::vector<Option> kept;
    kept.reserve(options.size());
    for (std::size_t i = 0; i < options.size(); ++i) (drop[i] ? out.deferred : kept).push_back(std::move(options[i]));

    const int exception_rank = exception ? rank_of(out.exception->level) : 0;
    auto key_of = [&](const Option& o) -> std::string {
      return o.offer.valid()
                 ? model.offers[o.offer.index()].key
                 : model[model.ties[o.tie.index()].helper].key + (o.via.valid() ? "~" + model[o.via].key : "");
    };
    std::sort(kept.begin(), kept.end(), [&](const Option& a, const Option& b) {
      const int ra = rank_of(a.level), rb = rank_of(b.level);
      const bool ea = exception && ra >= exception_rank, eb = exception && rb >= exception_rank;
      if (ea != eb) return ea;
      if (a.acceptable != b.acceptable) return a.acceptable;
      if (ra != rb) return ra < rb;
      if (a.score != b.score) return a.score > b.score;
      return key_of(a) < key_of(b);
    });
    if (exception &&
        std::any_of(kept.begin(), kept.end(), [&](const Option& o) { return rank_of(o.level) >= exception_rank; }))
      for (auto& opt : kept)
        if (rank_of(opt.level) < exception_rank) opt.alongside = true;
    out.options = std::move(kept);
    std::sort(out.rejected.begin(), out.rejected.end(), [&](const Rejection& a, const Rejection& b) {
      return std::tuple(rank_of(a.level), a.offer.index(), a.tie.index()) <
             std::tuple(rank_of(b.level), b.offer.index(), b.tie.index());
    });
    return out;
  }
};

Ranker::Ranker(const Model& model, Policy policy) : impl_(std::make_unique<Impl>(model, std::move(policy))) {}
Ranker::~Ranker() = default;
Ranker::Ranker(Ranker&&) noexcept = default;
Ranker& Ranker::operator=(Ranker&&) noexcept = default;
const Model& Ranker::model() const noexcept { return impl_->model; }
const Policy& Ranker::policy() const noexcept { return impl_->policy; }
Ranking Ranker::rank(NeedId need) const { return impl_->rank(need); }

std::vector<Ranking> Ranker::rank_all(int threads, const ProgressCallback& progress) const {
  const auto& needs = impl_->model.needs;
  std::vector<NeedId> open;
  for (std::uint32_t n = 0; n < needs.size(); ++n)
    if (needs[n].status != NeedStatus::closed) open.emplace_back(n);
  return rank_many(open, threads, progress);
}

std::vector<Ranking> Ranker::rank_many(std::span<const NeedId> open, int threads,
                                       const ProgressCallback& progress) const {
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
      out[i] = impl_->rank(open[i]);
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

Ranking rank(const Model& model, NeedId need, const Policy& policy) { return Ranker(model, policy).rank(need); }

std::string option_label(const Model& model, const Option& o) {
  if (o.offer.valid()) return model.offers.at(o.offer.index()).key;
  return "network:" + model.residents.at(model.ties.at(o.tie.index()).helper.index()).key;
}

namespace {
nlohmann::ordered_json option_json(const Model& m, const Option& o) {
  nlohmann::ordered_json j;
  j["offer"] = option_label(m, o);
  j["level"] = std::string(to_string(o.level));
  j["score"] = o.score;
  auto& c = j["contributions"] = nlohmann::ordered_json::object();
  for (const auto& k : o.contributions) c[std::string(to_string(k.feature))] = std::round(k.points * 1e6) / 1e6;
  auto& f = j["features"] = nlohmann::ordered_json::object();
  for (const auto& k : o.contributions) f[std::string(to_string(k.feature))] = std::round(k.value * 1e6) / 1e6;
  j["reasons"] = o.reasons;
  j["alongside"] = o.alongside;
  j["acceptable"] = o.acceptable;
  j["waiting_position"] = o.waiting_position;
  j["distance_m"] = std::round(o.distance_m);
  if (o.tie.valid()) {
    const Tie& t = m.ties.at(o.tie.index());
    j["tie"] = {
        {"helper", m[t.helper].key},
        {"kind", std::string(to_string(t.kind))},
        {"introduced_by", o.via.valid() ? nlohmann::ordered_json(m[o.via].key) : nlohmann::ordered_json(nullptr)}};
  }
  return j;
}
}  // namespace

std::string rankings_to_json(const Model& m, const std::vector<Ranking>& rankings, int indent) {
  nlohmann::ordered_json doc;
  auto& list = doc["rankings"] = nlohmann::ordered_json::array();
  for (const auto& r : rankings) {
    const Need& need = m[r.need];
    nlohmann::ordered_json j;
    j["need"] = need.key;
    j["resident"] = m[need.resident].key;
    j["domain"] = std::string(to_string(need.domain));
    j["severity"] = need.severity;
    j["exception"] = r.exception ? nlohmann::ordered_json{{"rule", r.exception->rule},
                                                          {"kind", std::string(to_string(r.exception->kind))},
                                                          {"level", std::string(to_string(r.exception->level))},
                                                          {"reason", r.exception->reason}}
                                 : nlohmann::ordered_json(nullptr);
    auto& opts = j["options"] = nlohmann::ordered_json::array();
    for (const auto& o : r.options) opts.push_back(option_json(m, o));
    auto& rej = j["rejected"] = nlohmann::ordered_json::array();
    for (const auto& x : r.rejected) {
      Option tmp;
      tmp.offer = x.offer;
      tmp.tie = x.tie;
      rej.push_back({{"offer", option_label(m, tmp)},
                     {"level", std::string(to_string(x.level))},
                     {"failed", std::string(to_string(x.failed))},
                     {"reason", x.reason}});
    }
    list.push_back(std::move(j));
  }
  return doc.dump(indent) + "\n";
}

std::string rankings_to_text(const Model& m, const std::vector<Ranking>& rankings) {
  std::ostringstream out;
  for (const auto& r : rankings) {
    const Need& need = m[r.need];
    out << "Need " << need.key << " of resident " << m[need.resident].key << ": " << to_string(need.domain)
        << ", severity " << need.severity << "\n";
    if (r.exception)
      out << "  Exception " << r.exception->rule << ": " << r.exception->reason << ".\n    "
          << to_string(r.exception->level) << " support starts now; lower-level options stay alongside.\n";
    if (r.options.empty()) out << "  No options: the need goes on the team's list for a new or individual solution.\n";
    int i = 0;
    for (const auto& o : r.options) {
      out << "  " << ++i << ". " << option_label(m, o) << " (" << to_string(o.level) << ")"
          << (o.alongside ? " alongside" : "")
          << (o.acceptable         ? ""
              : o.waiting_position ? " waiting list"
                                   : " weak match")
          << "  score " << fixed(o.score, 2) << "\n";
      for (const auto& reason : o.reasons) out << "       - " << reason << "\n";
    }
    if (!r.rejected.empty()) {
      out << "  Considered, not suitable:\n";
      for (const auto& x : r.rejected) {
        Option tmp;
        tmp.offer = x.offer;
        tmp.tie = x.tie;
        out << "     " << option_label(m, tmp) << " (" << to_string(x.level) << "): " << x.reason << "\n";
      }
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace wijkmatch
