// One plan per household ("1 Gezin, 1 Plan, 1 Regisseur"): every open need of the household
// ranked under one policy, needs that one collective offer covers together combined, and one
// coordinating professional chosen by work area, language, specialism and free caseload.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "wijkmatch/ranking.hpp"

namespace wijkmatch {

struct CoordinatorCandidate {
  ProfessionalId professional;
  double score = 0.0;                ///< [0, 1]; higher is better
  bool eligible = false;             ///< works in the household's neighbourhood and has room
  std::vector<std::string> reasons;  ///< why (or why not)
};

/// Needs of the household that one offer covers together (a parenting group for two parents).
struct CombinedOffer {
  OfferId offer;
  std::vector<NeedId> needs;
};

struct HouseholdPlan {
  HouseholdId household;
  std::vector<Ranking> rankings;                 ///< one per open need, in model order
  std::vector<CombinedOffer> combined;           ///< offers proposed for two or more needs
  std::optional<ProfessionalId> coordinator;     ///< the chosen coordinating professional
  std::vector<CoordinatorCandidate> candidates;  ///< every professional, best first
};

/// Builds the plan. O(needs of the household x ranking + professionals).
HouseholdPlan plan(const Ranker& ranker, HouseholdId household);
HouseholdPlan plan(const Model& model, HouseholdId household, const Policy& policy = default_policy());

std::string plan_to_json(const Model& model, const HouseholdPlan& plan, int indent = 2);
std::string plan_to_text(const Model& model, const HouseholdPlan& plan);

}  // namespace wijkmatch
