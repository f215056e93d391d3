// Stable matching with capacities: a generic engine, independent of the neighbourhood model.
//
// THE PROBLEM (hospitals/residents, "HR"; the college-admissions problem). Residents
// 0..R-1 each rank some programmes 0..P-1, most preferred first; a programme a resident does
// not list is unacceptable to that resident. Each programme ranks some residents (its
// priorities), most preferred first; a resident it does not list is unacceptable to it. A
// programme p has a capacity c_p >= 0. A matching assigns each resident to at most one
// programme, only along mutually acceptable pairs, and never more than c_p residents to p.
// A pair (r, p) BLOCKS a matching when r and p find each other acceptable, r is unmatched
// or prefers p to its programme, and p has a free seat or prefers r to one of its residents.
// A matching without blocking pairs is STABLE. Stable marriage is the case c_p = 1.
//
// THE ALGORITHM: resident-proposing deferred acceptance (Gale and Shapley 1962; Roth 1984).
// A free resident proposes to the best programme it has not yet proposed to; the programme
// holds the proposal if it finds the resident acceptable and has a free seat or prefers the
// resident to the worst one it holds (who is then released), and rejects it otherwise. It
// ends when every resident is held or has exhausted its list.
//
// COMPLEXITY: O(R + P + L) time and space, L the total length of all preference and priority
// lists. Ranks are aligned with the residents' lists once (no hashing, no R x P table), each
// list entry is proposed to at most once, and each programme keeps a pointer to the worst
// resident it holds that only ever moves towards better ranks once the programme is full.
//
// GUARANTEES. The result is stable and RESIDENT-OPTIMAL: every resident is matched to a
// programme at least as good as in any other stable matching (Gale and Shapley 1962); no
// resident can gain by misreporting its list (Dubins and Freedman 1981; Roth 1982). By the
// RURAL-HOSPITALS THEOREM (Roth 1984, 1986; Gale and Sotomayor 1985) every stable matching
// matches the same set of residents, and a programme that is under-subscribed in one stable
// matching receives exactly the same residents in every stable matching. The result does not
// depend on the order in which free residents propose; the implementation is deterministic.
//
// REFERENCES
//   D. Gale, L. S. Shapley. College admissions and the stability of marriage. American
//     Mathematical Monthly 69(1):9-15, 1962.
//   A. E. Roth. The evolution of the labor market for medical interns and residents: a case
//     study in game theory. Journal of Political Economy 92(6):991-1016, 1984.
//   A. E. Roth. On the allocation of residents to rural hospitals: a general property of
//     two-sided matching markets. Econometrica 54(2):425-427, 1986.
//   D. Gusfield, R. W. Irving. The Stable Marriage Problem: Structure and Algorithms. MIT
//     Press, 1989 (section 1.6: hospitals/residents in linear time).
//
// ERRORS. Every function validates its input and throws InvalidArgument naming the
// offending list, index and reason (index out of range, duplicate in a list, negative
// capacity, size mismatch, more than INT32_MAX entities).
#pragma once
#include <cstdint>
#include <vector>

#include "wijkmatch/error.hpp"

namespace wijkmatch {

/// Marks an unmatched resident in a matching.
inline constexpr std::int32_t kUnmatched = -1;

/// A hospitals/residents instance. Residents are 0..R-1 with R = resident_preferences.size();
/// programmes (offers) are 0..P-1 with P = programme_priorities.size().
struct StableMatchingInstance {
  /// resident_preferences[r]: programmes acceptable to r, most preferred first, no duplicates.
  std::vector<std::vector<std::int32_t>> resident_preferences;
  /// programme_priorities[p]: residents acceptable to p, most preferred first, no duplicates.
  /// A resident that p does not list is unacceptable to p.
  std::vector<std::vector<std::int32_t>> programme_priorities;
  /// capacities[p] >= 0: seats of programme p; size P.
  std::vector<std::int32_t> capacities;

  /// Number of residents R. O(1).
  std::int32_t resident_count() const noexcept { return static_cast<std::int32_t>(resident_preferences.size()); }
  /// Number of programmes P. O(1).
  std::int32_t programme_count() const noexcept { return static_cast<std::int32_t>(programme_priorities.size()); }
};

/// A matching of residents to programmes.
struct StableMatching {
  /// programme_of_resident[r]: the programme of r, or kUnmatched. The source of truth.
  std::vector<std::int32_t> programme_of_resident;
  /// residents_of_programme[p]: the residents matched to p, in ascending index order.
  std::vector<std::vector<std::int32_t>> residents_of_programme;
  /// Proposals made by the algorithm that built this matching (0 for a hand-made one); at
  /// most the total length of the residents' lists.
  std::int64_t proposals = 0;

  /// Builds a matching from programme_of_resident (entries kUnmatched or in
  /// [0, programme_count)), filling residents_of_programme. O(R + P). Throws
  /// InvalidArgument on an out-of-range entry or a negative programme_count.
  static StableMatching from_assignment(std::vector<std::int32_t> programme_of_resident, std::int32_t programme_count);

  /// The residents matched to programme p, ascending. O(1). Throws OutOfRange.
  const std::vector<std::int32_t>& residents_of(std::int32_t programme) const;
  /// The programme of resident r, or kUnmatched. O(1). Throws OutOfRange.
  std::int32_t programme_of(std::int32_t resident) const;
  /// Number of matched residents. O(R).
  std::int32_t matched_count() const noexcept;

  friend bool operator==(const StableMatching& a, const StableMatching& b) noexcept {
    return a.programme_of_resident == b.programme_of_resident && a.residents_of_programme == b.residents_of_programme;
  }
};

/// Checks the instance: list entries in range, no duplicates in a list, capacities.size() ==
/// P, every capacity >= 0. O(R + P + L). Throws InvalidArgument naming the first
/// problem found ("resident 3: preference list entry 2 (programme 7) is out of range [0, 5)").
void validate(const StableMatchingInstance& instance);

/// The resident-optimal stable matching, by resident-proposing deferred acceptance.
/// Validates the instance first. O(R + P + L) time and memory, L the total list length.
/// Deterministic: free residents propose in ascending index order, a released resident
/// proposes next (the outcome is the same for every order).
StableMatching resident_proposing_deferred_acceptance(const StableMatchingInstance& instance);

/// A pair (resident, programme) that blocks a matching.
struct BlockingPair {
  std::int32_t resident = 0;
  std::int32_t programme = 0;
  friend bool operator==(const BlockingPair&, const BlockingPair&) = default;
};

/// Every blocking pair of `matching`, sorted by resident then by the resident's preference
/// order. (r, p) blocks when r and p are mutually acceptable, r is unmatched or strictly
/// prefers p to its programme, and p holds fewer residents than its capacity or strictly
/// prefers r to the worst resident it holds. For a matching that is not feasible, a resident
/// matched to a programme outside its list ranks that programme below every listed one, and
/// a programme ranks a resident outside its list below every listed one. Validates the
/// instance; throws InvalidArgument if the matching's size differs from R or an entry
/// is out of range. O(R + P + L).
std::vector<BlockingPair> find_blocking_pairs(const StableMatchingInstance& instance, const StableMatching& matching);

/// True when `matching` is feasible (each matched pair mutually acceptable, no programme
/// over capacity, residents_of_programme consistent with programme_of_resident) and has no
/// blocking pair. Validates as find_blocking_pairs does. O(R + P + L).
bool is_stable(const StableMatchingInstance& instance, const StableMatching& matching);

}  // namespace wijkmatch
