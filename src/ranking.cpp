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

struct Ranker::Impl : detail::RankingIndex {
  using RankingIndex::RankingIndex;

  Ranking rank(NeedId need_id) const;

 private:
  void add_offer_options(const Need& need, bool exception, Ranking& out, std::vector<Option>& options,
                         detail::FeatureBatch& batch, std::vector<std::uint32_t>& referral_pending) const;
  void add_network_options(const Need& need, Ranking& out, std::vector<Option>& options,
                           detail::FeatureBatch& batch) const;
  void refer_or_defer(const std::vector<std::uint32_t>& referral_pending, bool exception, Ranking& out,
                      std::vector<Option>& options) const;
  void order(Ranking& out, std::vector<Option> options) const;
  std::optional<UnmetException> unmet(const Ranking& out) const;
};

void Ranker::Impl::add_offer_options(const Need& need, bool exception, Ranking& out, std::vector<Option>& options,
                                     detail::FeatureBatch& batch, std::vector<std::uint32_t>& referral_pending) const {
  const Resident& res = model[need.resident];
  std::vector<detail::OfferCandidate> near;
  offers_near(need, res, near);
  const auto circle = social_circle(need.resident);
  auto circle_kind = [&](OfferId o) -> std::optional<TieKind> {
    auto it = std::lower_bound(circle.begin(), circle.end(), o, [](auto a, OfferId b) { return a.first < b; });
    if (it != circle.end() && it->first == o) return it->second;
    return std::nullopt;
  };
  // One allocation per array instead of repeated growth: this is the hot path of rank_all.
  options.reserve(near.size() + 8);
  out.rejected.reserve(near.size());
  batch.reserve(near.size() + 8);
  const auto need_index = static_cast<std::uint32_t>(&need - model.needs.data());
  for (const auto& where : near) {
    const Offer& offer = model.offers[where.offer];
    if (const auto* d = declined_option(need_index, OptionKind::offer, where.offer)) {
      out.rejected.push_back({offer.level, OfferId(where.offer), TieId(), RejectReason::declined,
                              detail::declined_rejection(d->reason), ResidentId()});
      continue;
    }
    if (auto why = detail::offer_fails(offer, need, res, where, exception)) {
      out.rejected.push_back({offer.level, OfferId(where.offer), TieId(), *why,
                              detail::offer_rejection(*why, offer, need, res, where), ResidentId()});
      continue;
    }
    Option opt;
    opt.reasons.reserve(8);
    opt.contributions.reserve(feature_count);
    opt.level = offer.level;
    opt.offer = OfferId(where.offer);
    opt.distance_m = where.distance_m;
    opt.waiting_position = offer.free_seats() > 0 ? 0 : 1;
    const float language = detail::language_match(res.languages, offer.languages);
    const auto proof = circle_kind(OfferId(where.offer));
    auto row = batch.add_row();
    detail::offer_features(row, offer, res, need.domain, where, language, proof.has_value());
    detail::offer_reasons(opt, offer, need.domain, where, row[Feature::schedule], language, proof);
    detail::stale_reason(opt, offer, policy);
    if (offer.eligibility.referral_required) referral_pending.push_back(static_cast<std::uint32_t>(options.size()));
    options.push_back(std::move(opt));
  }
}

void Ranker::Impl::add_network_options(const Need& need, Ranking& out, std::vector<Option>& options,
                                       detail::FeatureBatch& batch) const {
  const Resident& res = model[need.resident];
  const auto need_index = static_cast<std::uint32_t>(&need - model.needs.data());
  // The resident's own ties that can help with the domain.
  std::vector<std::uint32_t> direct_helpers;
  // The ties into the resident: helped_by edges of the graph, ascending tie id.
  graph.for_each_tie_into(need.resident, [&](TieId id) {
    const std::uint32_t t = id.index();
    const Tie& tie = model.ties[t];
    if (!tie.domains.contains(need.domain)) return;
    direct_helpers.push_back(tie.helper.index());
    if (const auto* d = declined_option(need_index, OptionKind::tie, t)) {
      out.rejected.push_back({LadderLevel::own_network, OfferId(), TieId(t), RejectReason::declined,
                              detail::declined_rejection(d->reason), ResidentId()});
      return;
    }
    const double given = hours_given[tie.helper.index()];
    if (auto why = detail::tie_fails(tie, given, policy)) {
      out.rejected.push_back({LadderLevel::own_network, OfferId(), TieId(t), *why,
                              detail::tie_rejection(*why, tie, given, policy), ResidentId()});
      return;
    }
    Option opt;
    opt.level = LadderLevel::own_network;
    opt.tie = TieId(t);
    opt.distance_m = distance_m(res.location, model[tie.helper].location);
    detail::tie_features(batch.add_row(), tie, opt.distance_m, 1.0F);
    detail::tie_reasons(opt, tie, need.domain);
    options.push_back(std::move(opt));
  });
  // Introductions through them: weaker by the policy's factor.
  for (const auto& in : introductions(need, direct_helpers)) {
    const Tie& tie = model.ties[in.tie];
    if (const auto* d = declined_option(need_index, OptionKind::tie, in.tie)) {
      out.rejected.push_back({LadderLevel::own_network, OfferId(), TieId(in.tie), RejectReason::declined,
                              detail::declined_rejection(d->reason), ResidentId()});
      continue;
    }
    Option opt;
    opt.level = LadderLevel::own_network;
    opt.tie = TieId(in.tie);
    opt.via = ResidentId(in.via);
    opt.distance_m = distance_m(res.location, model[tie.helper].location);
    detail::tie_features(batch.add_row(), tie, opt.distance_m, static_cast<float>(policy.introduction_factor));
    detail::introduction_reasons(opt, need.domain, policy.introduction_factor);
    options.push_back(std::move(opt));
  }
  // Neighbours who offered help with the domain, without a tie yet; an exchange when the
  // resident offered help with one of the neighbour's own open needs. A city has dozens within
  // reach of a need: the nearest few, exchanges first, are what a professional can use, so at
  // most max_neighbour_options options and max_neighbour_rejections rejections are listed
  // (declines always), and only those get features and sentences.
  struct Candidate {
    std::uint32_t resident;
    std::optional<RejectReason> why;
    NeedId exchange;
    double distance;
    float language;
  };
  std::vector<Candidate> candidates;
  for (auto h : neighbours_near(need, direct_helpers)) {
    const Resident& helper = model.residents[h];
    const HelpOffer& help = *helper.offers_help;
    if (const auto* d = declined_option(need_index, OptionKind::neighbour, h)) {
      out.rejected.push_back({LadderLevel::own_network, OfferId(), TieId(), RejectReason::declined,
                              detail::declined_rejection(d->reason), ResidentId(h)});
      continue;
    }
    Candidate c{h, std::nullopt, NeedId(), distance_m(res.location, helper.location),
                detail::language_match(res.languages, helper.languages)};
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
    candidates.push_back(c);
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tuple(!a.exchange.valid(), a.distance, a.resident) <
           std::tuple(!b.exchange.valid(), b.distance, b.resident);
  });
  std::size_t listed_options = 0, listed_rejections = 0;
  for (const auto& c : candidates) {
    const HelpOffer& help = *model.residents[c.resident].offers_help;
    if (c.why) {
      if (listed_rejections == detail::max_neighbour_rejections) continue;
      ++listed_rejections;
      out.rejected.push_back(
          {LadderLevel::own_network, OfferId(), TieId(), *c.why,
           detail::neighbour_rejection(*c.why, help, help.hours_left(), hours_given[c.resident], policy),
           ResidentId(c.resident)});
      continue;
    }
    if (listed_options == detail::max_neighbour_options) continue;
    ++listed_options;
    Option opt;
    opt.level = LadderLevel::own_network;
    opt.neighbour = ResidentId(c.resident);
    opt.exchange = c.exchange;
    opt.distance_m = c.distance;
    detail::neighbour_features(batch.add_row(), help, help.hours_left(), opt.distance_m, c.language,
                               opt.exchange.valid());
    detail::neighbour_reasons(opt, need.domain, help.hours_left(), opt.distance_m,
                              opt.exchange.valid() ? std::optional(model[opt.exchange].domain) : std::nullopt);
    options.push_back(std::move(opt));
  }
}

// The team refers to a provision that needs a referral only when nothing acceptable comes
// earlier on the ladder, or an exception applies; the others move to `deferred`.
void Ranker::Impl::refer_or_defer(const std::vector<std::uint32_t>& referral_pending, bool exception, Ranking& out,
                                  std::vector<Option>& options) const {
  // The lowest ladder position of an acceptable option that needs no referral.
  int lowest_free_rank = std::numeric_limits<int>::max();
  LadderLevel lowest_free_level = LadderLevel::own_network;
  for (const auto& other : options)
    if (other.acceptable && !(other.offer.valid() && model.offers[other.offer.index()].eligibility.referral_required) &&
        rank_of(other.level) < lowest_free_rank) {
      lowest_free_rank = rank_of(other.level);
      lowest_free_level = other.level;
    }
  std::vector<char> drop(options.size(), 0);
  for (auto i : referral_pending) {
    auto& opt = options[i];
    if (lowest_free_rank < rank_of(opt.level) && !exception) {
      out.rejected.push_back({opt.level, opt.offer, TieId(), RejectReason::referral_needed,
                              detail::referral_rejection(lowest_free_level), ResidentId()});
      drop[i] = 1;
    } else {
      opt.reasons.emplace_back(detail::needs_referral);
    }
  }
  if (std::find(drop.begin(), drop.end(), 1) == drop.end()) return;
  std::vector<Option> kept;
  kept.reserve(options.size());
  for (std::size_t i = 0; i < options.size(); ++i) (drop[i] ? out.deferred : kept).push_back(std::move(options[i]));
  options = std::move(kept);
}

// Acceptable options first, then the ladder, then the score; where an exception fired,
// everything at or above its level comes before the rest, and the rest is `alongside`.
void Ranker::Impl::order(Ranking& out, std::vector<Option> options) const {
  const bool exception = out.exception.has_value();
  const int exception_rank = exception ? rank_of(out.exception->level) : 0;
  auto key_of = [&](const Option& o) -> std::string {
    if (o.offer.valid()) return model.offers[o.offer.index()].key;
    if (o.neighbour.valid()) return "~~" + model[o.neighbour].key;  // after every tie of the same helper
    return model[model.ties[o.tie.index()].helper].key + (o.via.valid() ? "~" + model[o.via].key : "");
  };
  std::sort(options.begin(), options.end(), [&](const Option& a, const Option& b) {
    const int ra = rank_of(a.level), rb = rank_of(b.level);
    const bool ea = exception && ra >= exception_rank, eb = exception && rb >= exception_rank;
    if (ea != eb) return ea;
    if (a.acceptable != b.acceptable) return a.acceptable;
    if (ra != rb) return ra < rb;
    if (a.score != b.score) return a.score > b.score;
    return key_of(a) < key_of(b);
  });
  // Lower options stay alongside whether or not the rule's level can be met: they are never
  // the answer to the exception.
  if (exception)
    for (auto& opt : options)
      if (rank_of(opt.level) < exception_rank) opt.alongside = true;
  out.options = std::move(options);
  std::sort(out.rejected.begin(), out.rejected.end(), [&](const Rejection& a, const Rejection& b) {
    return std::tuple(rank_of(a.level), a.offer.index(), a.tie.index(), a.neighbour.index()) <
           std::tuple(rank_of(b.level), b.offer.index(), b.tie.index(), b.neighbour.index());
  });
}

// Met when an acceptable option at or above the rule's level leads (ordering puts any such
// option first); otherwise the reason, from what there is at that level.
std::optional<UnmetException> Ranker::Impl::unmet(const Ranking& out) const {
  const FiredException& e = *out.exception;
  const int level = rank_of(e.level);
  if (!out.options.empty() && out.options.front().acceptable && rank_of(out.options.front().level) >= level)
    return std::nullopt;
  std::vector<const Option*> at_level;
  for (const auto& o : out.options)
    if (rank_of(o.level) >= level) at_level.push_back(&o);
  std::vector<Rejection> rejected_at_level;
  for (const auto& x : out.rejected)
    if (rank_of(x.level) >= level) rejected_at_level.push_back(x);
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

Ranking Ranker::Impl::rank(NeedId need_id) const {
  if (need_id.index() >= model.needs.size()) throw Error("rank: need index out of range");
  const Need& need = model[need_id];
  Ranking out;
  out.need = need_id;
  out.exception = detail::exception_for(*this, need_id);
  const bool exception = out.exception.has_value();

  std::vector<Option> options;
  detail::FeatureBatch batch;
  std::vector<std::uint32_t> referral_pending;  // options whose referral depends on lower levels
  add_offer_options(need, exception, out, options, batch, referral_pending);
  add_network_options(need, out, options, batch);
  batch.score(policy, options);
  refer_or_defer(referral_pending, exception, out, options);
  if (exception && model[need.resident].care_avoider)
    for (auto& opt : options)
      if (detail::is_professional(opt.level)) opt.reasons.emplace_back(detail::approach_care_avoider);
  order(out, std::move(options));
  if (exception) out.exception->unmet = unmet(out);
  return out;
}

detail::RankingIndex& detail::RankerAccess::index(Ranker& ranker) noexcept { return *ranker.impl_; }

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

}  // namespace wijkmatch
