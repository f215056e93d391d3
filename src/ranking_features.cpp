// Ranking, features: each option's feature row (named by `Feature`) and the batch score of
// all options of a need as one Eigen product. See src/ranking_detail.hpp, docs/ranking.md.
#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Core>

#include "ranking_detail.hpp"

namespace wijkmatch::detail {

float language_match(const std::vector<std::string>& spoken, const std::vector<std::string>& offered) noexcept {
  for (std::size_t i = 0; i < spoken.size(); ++i)
    if (std::find(offered.begin(), offered.end(), spoken[i]) != offered.end()) return i == 0 ? 1.0F : 0.7F;
  return 0.0F;
}

float schedule_share(WeeklySchedule offer, WeeklySchedule availability) noexcept {
  if (offer.empty()) return 1.0F;
  return static_cast<float>(WeeklySchedule{offer.bits & availability.bits}.count()) / static_cast<float>(offer.count());
}

void FeatureBatch::reserve(std::size_t rows) {
  values_.reserve(rows * feature_count);
  mask_.reserve(rows * feature_count);
}

FeatureBatch::Row FeatureBatch::add_row() {
  values_.resize((rows_ + 1) * feature_count, 0.0F);
  mask_.resize((rows_ + 1) * feature_count, 0.0F);
  const std::size_t at = rows_++ * feature_count;
  return Row(&values_[at], &mask_[at]);
}

void FeatureBatch::clear() noexcept {
  // clear, not resize: add_row appends zeros only to a vector that has no stale rows.
  values_.clear();
  mask_.clear();
  rows_ = 0;
}

void FeatureBatch::score(const Policy& policy, std::vector<double>& score, std::vector<float>& total) const {
  score.resize(rows_);
  total.resize(rows_);
  if (rows_ == 0) return;
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, static_cast<int>(feature_count), Eigen::RowMajor>;
  Eigen::Map<const Matrix> F(values_.data(), static_cast<Eigen::Index>(rows_), feature_count);
  Eigen::Map<const Matrix> M(mask_.data(), static_cast<Eigen::Index>(rows_), feature_count);
  Eigen::Matrix<float, static_cast<int>(feature_count), 1> w;
  for (std::size_t k = 0; k < feature_count; ++k)
    w[static_cast<Eigen::Index>(k)] = static_cast<float>(policy.weights[k]);
  thread_local std::vector<float> numer_buffer;
  numer_buffer.resize(rows_);
  Eigen::Map<Eigen::VectorXf> numer(numer_buffer.data(), static_cast<Eigen::Index>(rows_));
  Eigen::Map<Eigen::VectorXf> denom(total.data(), static_cast<Eigen::Index>(rows_));
  numer.noalias() = F.cwiseProduct(M) * w;
  denom.noalias() = M * w;
  for (std::size_t i = 0; i < rows_; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    const double s = denom[r] > 0 ? static_cast<double>(numer[r] / denom[r]) : 0.0;
    // Rounded so that scores print and compare identically everywhere.
    score[i] = std::round(s * 1e6) / 1e6;
  }
}

std::vector<Contribution> FeatureBatch::contributions(std::size_t row, float total, const Policy& policy) const {
  std::vector<Contribution> out;
  out.reserve(feature_count);
  for (std::size_t k = 0; k < feature_count; ++k) {
    if (mask_[row * feature_count + k] == 0.0F) continue;
    const double value = values_[row * feature_count + k];
    out.push_back(
        {static_cast<Feature>(k), value, total > 0 ? policy.weights[k] * value / static_cast<double>(total) : 0.0});
  }
  return out;
}

float cost_feature(double cost_per_month) noexcept {
  return static_cast<float>(std::clamp(1.0 - std::log1p(cost_per_month) / std::log1p(10000.0), 0.0, 1.0));
}

void offer_features(FeatureBatch::Row row, const Offer& offer, const OfferFacts& facts, int seats, const Resident& res,
                    LifeDomain domain, const OfferCandidate& where, float language, bool social_proof) {
  row.set(Feature::fit, static_cast<float>(offer.fit[static_cast<std::size_t>(domain)]));
  row.set(Feature::proximity,
          static_cast<float>(std::clamp(1.0 - where.distance_m / std::max(where.limit_m, 1.0), 0.0, 1.0)));
  row.set(Feature::schedule, schedule_share(offer.schedule, res.availability));
  row.set(Feature::language, language);
  row.set(Feature::social_proof, social_proof ? 1.0F : 0.0F);
  // The seats that count now (effective_seats): an initiative that lost volunteers has less room.
  row.set(Feature::capacity,
          seats > 0 ? static_cast<float>(std::max(0, seats - offer.occupancy)) / static_cast<float>(seats) : 0.0F);
  row.set(Feature::waiting, static_cast<float>(1.0 - std::min(1.0, offer.waiting_days / 90.0)));
  row.set(Feature::cost, facts.cost);
}

void tie_features(FeatureBatch::Row row, const Tie& tie, double distance_m, float factor) {
  row.set(Feature::fit, factor);
  row.set(Feature::proximity, static_cast<float>(std::clamp(1.0 - distance_m / 5000.0, 0.0, 1.0)) * factor);
  row.set(Feature::language, factor);
  row.set(Feature::capacity, static_cast<float>(std::min(1.0, tie.hours_left() / 4.0)) * factor);
  row.set(Feature::waiting, factor);
  row.set(Feature::cost, factor);
  row.set(Feature::tie_strength, static_cast<float>(tie.strength) * factor);
}

}  // namespace wijkmatch::detail
