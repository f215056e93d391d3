// Stable matching with capacities: hospitals/residents deferred acceptance and SPA-student.
// See include/wijkmatch/stable_matching.hpp for the problem, guarantees and references.
#include "wijkmatch/stable_matching.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace wijkmatch {
namespace {

using Lists = std::vector<std::vector<std::int32_t>>;

constexpr std::size_t kMaxCount = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

[[noreturn]] void fail(const std::string& context, const std::string& message) {
  throw InvalidArgument(context + ": " + message);
}

std::string str(std::int64_t value) { return std::to_string(value); }

/// Throws when a collection has more than INT32_MAX entries. O(1).
void check_count(const std::string& context, std::size_t count, const char* what) {
  if (count > kMaxCount) {
    fail(context, std::string("too many ") + what + " (" + std::to_string(count) + "; at most " +
                      std::to_string(kMaxCount) + ")");
  }
}

/// Checks that every entry of every list is in [0, target_count) and appears once per list.
/// O(number of lists + target_count + total length).
void validate_lists(const std::string& context, const Lists& lists, std::int32_t target_count, const char* owner,
                    const char* target, const char* list_name) {
  std::vector<std::int32_t> seen_by(static_cast<std::size_t>(target_count), -1);
  std::vector<std::int32_t> seen_at(static_cast<std::size_t>(target_count), -1);
  for (std::size_t o = 0; o < lists.size(); ++o) {
    const auto& list = lists[o];
    check_count(context, list.size(), "list entries");
    const std::string who = std::string(owner) + " " + std::to_string(o);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::int32_t t = list[i];
      if (t < 0 || t >= target_count) {
        fail(context, who + ": " + list_name + " entry " + std::to_string(i) + " (" + target + " " + str(t) +
                          ") is out of range [0, " + str(target_count) + ")");
      }
      const auto ti = static_cast<std::size_t>(t);
      if (seen_by[ti] == static_cast<std::int32_t>(o)) {
        fail(context, who + ": " + target + " " + str(t) + " is listed twice in its " + list_name + " (entries " +
                          str(seen_at[ti]) + " and " + std::to_string(i) + ")");
      }
      seen_by[ti] = static_cast<std::int32_t>(o);
      seen_at[ti] = static_cast<std::int32_t>(i);
    }
  }
}

/// Checks a capacity vector: size `expected` and every entry >= 0. O(expected).
void validate_capacities(const std::string& context, const std::vector<std::int32_t>& caps, std::size_t expected,
                         const char* vector_name, const char* owner, const char* owners) {
  if (caps.size() != expected) {
    fail(context, std::string(vector_name) + " has " + std::to_string(caps.size()) + " entries but there are " +
                      std::to_string(expected) + " " + owners);
  }
  for (std::size_t i = 0; i < caps.size(); ++i) {
    if (caps[i] < 0) {
      fail(context, std::string(owner) + " " + std::to_string(i) + ": capacity " + str(caps[i]) + " is negative");
    }
  }
}

/// Proposers' lists flattened (CSR), with, for each entry, the rank that the reviewer in
/// charge of the entry's target gives the proposer (-1: the proposer is unacceptable).
struct AlignedLists {
  std::vector<std::size_t> offset;   ///< size n + 1
  std::vector<std::int32_t> target;  ///< size L
  std::vector<std::int32_t> rank;    ///< size L: reviewer's rank of the proposer, or -1
};

/// Flattens `proposer_lists` (n lists over targets) and aligns reviewer ranks with them;
/// reviewer_of[t] is the reviewer in charge of target t (nullptr: target t itself), and
/// reviewer_lists[k] ranks proposers. Inputs must be validated.
/// O(n + targets + reviewers + total length of both sides); no hashing, no n x m table.
AlignedLists align(const Lists& proposer_lists, const Lists& reviewer_lists,
                   const std::vector<std::int32_t>* reviewer_of) {
  AlignedLists a;
  const std::size_t n = proposer_lists.size();
  const std::size_t reviewers = reviewer_lists.size();
  a.offset.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) a.offset[i + 1] = a.offset[i] + proposer_lists[i].size();
  const std::size_t total = a.offset[n];
  a.target.resize(total);
  a.rank.assign(total, -1);
  std::vector<std::int32_t> owner(total);
  std::vector<std::size_t> bucket(reviewers + 1, 0);  // entries grouped by reviewer
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t e = a.offset[i];
    for (const std::int32_t t : proposer_lists[i]) {
      a.target[e] = t;
      owner[e] = static_cast<std::int32_t>(i);
      const std::int32_t k = reviewer_of ? (*reviewer_of)[static_cast<std::size_t>(t)] : t;
      ++bucket[static_cast<std::size_t>(k) + 1];
      ++e;
    }
  }
  for (std::size_t k = 0; k < reviewers; ++k) bucket[k + 1] += bucket[k];
  std::vector<std::size_t> by_reviewer(total);
  {
    std::vector<std::size_t> fill(bucket.begin(), bucket.end() - 1);
    for (std::size_t e = 0; e < total; ++e) {
      const std::int32_t t = a.target[e];
      const std::int32_t k = reviewer_of ? (*reviewer_of)[static_cast<std::size_t>(t)] : t;
      by_reviewer[fill[static_cast<std::size_t>(k)]++] = e;
    }
  }
  std::vector<std::int32_t> mark(n, -1);
  for (std::size_t k = 0; k < reviewers; ++k) {
    const auto& list = reviewer_lists[k];
    for (std::size_t i = 0; i < list.size(); ++i) {
      mark[static_cast<std::size_t>(list[i])] = static_cast<std::int32_t>(i);
    }
    for (std::size_t j = bucket[k]; j < bucket[k + 1]; ++j) {
      const std::size_t e = by_reviewer[j];
      a.rank[e] = mark[static_cast<std::size_t>(owner[e])];
    }
    for (const std::int32_t p : list) mark[static_cast<std::size_t>(p)] = -1;
  }
  return a;
}

/// Groups an assignment by target, each group ascending. O(n + targets).
Lists group(const std::vector<std::int32_t>& assignment, std::int32_t targets) {
  Lists groups(static_cast<std::size_t>(targets));
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    if (assignment[i] != kUnmatched) {
      groups[static_cast<std::size_t>(assignment[i])].push_back(static_cast<std::int32_t>(i));
    }
  }
  return groups;
}

/// Checks an assignment vector: size and entries in {kUnmatched} u [0, targets). O(n).
void validate_assignment(const std::string& context, const std::vector<std::int32_t>& assignment,
                         std::size_t expected_size, std::int32_t targets, const char* vector_name, const char* owner,
                         const char* owners, const char* target) {
  if (assignment.size() != expected_size) {
    fail(context, std::string(vector_name) + " has " + std::to_string(assignment.size()) + " entries but there are " +
                      std::to_string(expected_size) + " " + owners);
  }
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    const std::int32_t t = assignment[i];
    if (t != kUnmatched && (t < 0 || t >= targets)) {
      fail(context, std::string(owner) + " " + std::to_string(i) + ": " + target + " " + str(t) +
                        " is out of range [0, " + str(targets) + ") and is not kUnmatched (-1)");
    }
  }
}

const std::string kHr = "stable matching";
const std::string kSpa = "student-project allocation";

}  // namespace

// ----------------------------------------------------------------------- hospitals/residents

StableMatching StableMatching::from_assignment(std::vector<std::int32_t> programme_of_resident,
                                               std::int32_t programme_count) {
  if (programme_count < 0) fail(kHr, "programme_count " + str(programme_count) + " is negative");
  check_count(kHr, programme_of_resident.size(), "residents");
  validate_assignment(kHr, programme_of_resident, programme_of_resident.size(), programme_count,
                      "programme_of_resident", "resident", "residents", "programme");
  StableMatching m;
  m.residents_of_programme = group(programme_of_resident, programme_count);
  m.programme_of_resident = std::move(programme_of_resident);
  return m;
}

const std::vector<std::int32_t>& StableMatching::residents_of(std::int32_t programme) const {
  if (programme < 0 || static_cast<std::size_t>(programme) >= residents_of_programme.size()) {
    throw OutOfRange("stable matching: programme " + str(programme) + " is out of range");
  }
  return residents_of_programme[static_cast<std::size_t>(programme)];
}

std::int32_t StableMatching::programme_of(std::int32_t resident) const {
  if (resident < 0 || static_cast<std::size_t>(resident) >= programme_of_resident.size()) {
    throw OutOfRange("stable matching: resident " + str(resident) + " is out of range");
  }
  return programme_of_resident[static_cast<std::size_t>(resident)];
}

std::int32_t StableMatching::matched_count() const noexcept {
  return static_cast<std::int32_t>(std::count_if(programme_of_resident.begin(), programme_of_resident.end(),
                                                 [](std::int32_t p) { return p != kUnmatched; }));
}

void validate(const StableMatchingInstance& instance) {
  check_count(kHr, instance.resident_preferences.size(), "residents");
  check_count(kHr, instance.programme_priorities.size(), "programmes");
  validate_capacities(kHr, instance.capacities, instance.programme_priorities.size(), "capacities", "programme",
                      "programmes");
  validate_lists(kHr, instance.resident_preferences, instance.programme_count(), "resident", "programme",
                 "preference list");
  validate_lists(kHr, instance.programme_priorities, instance.resident_count(), "programme", "resident",
                 "priority list");
}

StableMatching resident_proposing_deferred_acceptance(const StableMatchingInstance& instance) {
  validate(instance);
  const auto R = static_cast<std::size_t>(instance.resident_count());
  const auto P = static_cast<std::size_t>(instance.programme_count());
  const AlignedLists res = align(instance.resident_preferences, instance.programme_priorities, nullptr);

  // Programme side: held[poff[p] + i] says whether p holds the resident at priority i.
  std::vector<std::size_t> poff(P + 1, 0);
  for (std::size_t p = 0; p < P; ++p) poff[p + 1] = poff[p] + instance.programme_priorities[p].size();
  std::vector<char> held(poff[P], 0);
  std::vector<std::int32_t> held_count(P, 0);
  // Priority position of the worst held resident; valid once the programme is full (a full
  // programme stays full: it only swaps its worst resident for a better one).
  std::vector<std::int32_t> worst(P, -1);

  std::vector<std::int32_t> programme_of(R, kUnmatched);
  std::vector<std::size_t> next(res.offset.begin(), res.offset.end() - 1);
  std::int64_t proposals = 0;

  for (std::size_t first = 0; first < R; ++first) {
    // `free_resident` proposes down its list until held; a resident it displaces goes next.
    std::int32_t free_resident = static_cast<std::int32_t>(first);
    while (free_resident != kUnmatched) {
      const auto r = static_cast<std::size_t>(free_resident);
      std::int32_t displaced = kUnmatched;
      bool held_now = false;
      while (!held_now && next[r] < res.offset[r + 1]) {
        const std::size_t e = next[r]++;
        ++proposals;
        const std::int32_t rank = res.rank[e];
        const auto p = static_cast<std::size_t>(res.target[e]);
        const std::int32_t cap = instance.capacities[p];
        if (rank < 0 || cap == 0) continue;  // unacceptable to p, or no seats at all
        const auto& prio = instance.programme_priorities[p];
        if (held_count[p] < cap) {
          held[poff[p] + static_cast<std::size_t>(rank)] = 1;
          if (++held_count[p] == cap) {  // just became full: locate the worst, once
            std::int32_t w = static_cast<std::int32_t>(prio.size()) - 1;
            while (!held[poff[p] + static_cast<std::size_t>(w)]) --w;
            worst[p] = w;
          }
        } else if (rank < worst[p]) {
          const std::int32_t w = worst[p];
          displaced = prio[static_cast<std::size_t>(w)];
          programme_of[static_cast<std::size_t>(displaced)] = kUnmatched;
          held[poff[p] + static_cast<std::size_t>(w)] = 0;
          held[poff[p] + static_cast<std::size_t>(rank)] = 1;
          std::int32_t nw = w - 1;  // stops at `rank` at the latest; moves only upwards
          while (!held[poff[p] + static_cast<std::size_t>(nw)]) --nw;
          worst[p] = nw;
        } else {
          continue;  // p is full of residents it prefers
        }
        programme_of[r] = static_cast<std::int32_t>(p);
        held_now = true;
      }
      free_resident = displaced;
    }
  }

  StableMatching m;
  m.residents_of_programme = group(programme_of, static_cast<std::int32_t>(P));
  m.programme_of_resident = std::move(programme_of);
  m.proposals = proposals;
  return m;
}

namespace {

struct HrCheck {
  AlignedLists res;
  std::vector<std::int32_t> count;       ///< residents matched to each programme
  std::vector<std::int32_t> worst_rank;  ///< programme's rank of its worst matched resident
  bool feasible = true;
};

/// Shared by find_blocking_pairs and is_stable. O(R + P + L).
HrCheck check_hr(const StableMatchingInstance& instance, const StableMatching& matching) {
  validate(instance);
  const auto P = static_cast<std::size_t>(instance.programme_count());
  validate_assignment(kHr, matching.programme_of_resident, instance.resident_preferences.size(),
                      instance.programme_count(), "programme_of_resident", "resident", "residents", "programme");
  HrCheck c;
  c.res = align(instance.resident_preferences, instance.programme_priorities, nullptr);
  c.count.assign(P, 0);
  c.worst_rank.assign(P, -1);
  for (const std::int32_t p : matching.programme_of_resident) {
    if (p != kUnmatched) ++c.count[static_cast<std::size_t>(p)];
  }
  for (std::size_t p = 0; p < P; ++p) {
    const auto& prio = instance.programme_priorities[p];
    std::int32_t listed = 0;
    for (std::size_t i = 0; i < prio.size(); ++i) {
      if (matching.programme_of_resident[static_cast<std::size_t>(prio[i])] == static_cast<std::int32_t>(p)) {
        c.worst_rank[p] = static_cast<std::int32_t>(i);
        ++listed;
      }
    }
    // A matched resident p does not list ranks below every listed one.
    if (listed < c.count[p]) {
      c.worst_rank[p] = static_cast<std::int32_t>(prio.size());
      c.feasible = false;
    }
    if (c.count[p] > instance.capacities[p]) c.feasible = false;
  }
  return c;
}

}  // namespace

std::vector<BlockingPair> find_blocking_pairs(const StableMatchingInstance& instance, const StableMatching& matching) {
  const HrCheck c = check_hr(instance, matching);
  std::vector<BlockingPair> pairs;
  const auto R = instance.resident_preferences.size();
  for (std::size_t r = 0; r < R; ++r) {
    const std::int32_t current = matching.programme_of_resident[r];
    for (std::size_t e = c.res.offset[r]; e < c.res.offset[r + 1]; ++e) {
      const std::int32_t p = c.res.target[e];
      if (p == current) break;  // only strictly preferred programmes can block
      const std::int32_t rank = c.res.rank[e];
      if (rank < 0) continue;
      const auto pi = static_cast<std::size_t>(p);
      if (c.count[pi] < instance.capacities[pi] || rank < c.worst_rank[pi]) {
        pairs.push_back({static_cast<std::int32_t>(r), p});
      }
    }
  }
  return pairs;
}

bool is_stable(const StableMatchingInstance& instance, const StableMatching& matching) {
  const HrCheck c = check_hr(instance, matching);
  if (!c.feasible) return false;
  // Every matched resident must list its programme (the programme's side was checked).
  const auto R = instance.resident_preferences.size();
  for (std::size_t r = 0; r < R; ++r) {
    const std::int32_t current = matching.programme_of_resident[r];
    if (current == kUnmatched) continue;
    const auto& prefs = instance.resident_preferences[r];
    if (std::find(prefs.begin(), prefs.end(), current) == prefs.end()) return false;
  }
  if (matching.residents_of_programme != group(matching.programme_of_resident, instance.programme_count())) {
    return false;
  }
  return find_blocking_pairs(instance, matching).empty();
}

// ------------------------------------------------------------- student-project allocation

StudentProjectMatching StudentProjectMatching::from_assignment(std::vector<std::int32_t> project_of_student,
                                                               std::int32_t project_count) {
  if (project_count < 0) fail(kSpa, "project_count " + str(project_count) + " is negative");
  check_count(kSpa, project_of_student.size(), "students");
  validate_assignment(kSpa, project_of_student, project_of_student.size(), project_count, "project_of_student",
                      "student", "students", "project");
  StudentProjectMatching m;
  m.students_of_project = group(project_of_student, project_count);
  m.project_of_student = std::move(project_of_student);
  return m;
}

void validate(const StudentProjectInstance& instance) {
  check_count(kSpa, instance.student_preferences.size(), "students");
  check_count(kSpa, instance.project_lecturer.size(), "projects");
  check_count(kSpa, instance.lecturer_preferences.size(), "lecturers");
  const std::size_t P = instance.project_lecturer.size();
  const std::size_t K = instance.lecturer_preferences.size();
  validate_capacities(kSpa, instance.project_capacities, P, "project_capacities", "project",
                      "projects (project_lecturer entries)");
  validate_capacities(kSpa, instance.lecturer_capacities, K, "lecturer_capacities", "lecturer",
                      "lecturers (lecturer_preferences entries)");
  for (std::size_t p = 0; p < P; ++p) {
    const std::int32_t k = instance.project_lecturer[p];
    if (k < 0 || static_cast<std::size_t>(k) >= K) {
      fail(kSpa,
           "project " + std::to_string(p) + ": lecturer " + str(k) + " is out of range [0, " + std::to_string(K) + ")");
    }
  }
  validate_lists(kSpa, instance.student_preferences, instance.project_count(), "student", "project", "preference list");
  validate_lists(kSpa, instance.lecturer_preferences, instance.student_count(), "lecturer", "student",
                 "preference list");
}

StudentProjectMatching student_optimal_project_allocation(const StudentProjectInstance& instance) {
  validate(instance);
  const auto S = static_cast<std::size_t>(instance.student_count());
  const auto P = static_cast<std::size_t>(instance.project_count());
  const auto K = static_cast<std::size_t>(instance.lecturer_count());
  const AlignedLists st =
      align(instance.student_preferences, instance.lecturer_preferences, &instance.project_lecturer);

  constexpr std::int32_t kNoCut = std::numeric_limits<std::int32_t>::max();
  using Entry = std::pair<std::int32_t, std::int32_t>;  // (lecturer rank, student); max-heap
  std::vector<std::vector<Entry>> project_heap(P);
  // Lazy deletions of SPA-student: a pair (s, p) is deleted when the lecturer ranks s below
  // the cut-off of p or of the lecturer. Cut-offs only ever move towards better ranks.
  std::vector<std::int32_t> project_cut(P, kNoCut);
  std::vector<std::int32_t> lecturer_cut(K, kNoCut);

  std::vector<std::size_t> loff(K + 1, 0);
  for (std::size_t k = 0; k < K; ++k) loff[k + 1] = loff[k] + instance.lecturer_preferences[k].size();
  std::vector<char> lheld(loff[K], 0);  // lecturer k holds the student at rank i
  std::vector<std::int32_t> lcount(K, 0);
  // Rank of the lecturer's worst student, valid once full. A lecturer never loses a student
  // without gaining a better one, so it stays full and this only moves towards better ranks.
  std::vector<std::int32_t> lworst(K, -1);

  std::vector<std::int32_t> project_of(S, kUnmatched);
  std::vector<std::size_t> next(st.offset.begin(), st.offset.end() - 1);
  std::int64_t applications = 0;

  // Removes the worst student of project p (top of its heap). O(log C).
  auto drop_worst_of_project = [&](std::size_t p) {
    auto& heap = project_heap[p];
    std::pop_heap(heap.begin(), heap.end());
    const Entry worst = heap.back();
    heap.pop_back();
    const auto k = static_cast<std::size_t>(instance.project_lecturer[p]);
    project_of[static_cast<std::size_t>(worst.second)] = kUnmatched;
    lheld[loff[k] + static_cast<std::size_t>(worst.first)] = 0;
    --lcount[k];
    return worst.second;
  };

  for (std::size_t first = 0; first < S; ++first) {
    std::int32_t free_student = static_cast<std::int32_t>(first);
    while (free_student != kUnmatched) {
      const auto s = static_cast<std::size_t>(free_student);
      std::int32_t freed = kUnmatched;
      bool assigned = false;
      while (!assigned && next[s] < st.offset[s + 1]) {
        const std::size_t e = next[s]++;
        ++applications;
        const auto p = static_cast<std::size_t>(st.target[e]);
        const auto k = static_cast<std::size_t>(instance.project_lecturer[p]);
        const std::int32_t rank = st.rank[e];
        if (rank < 0 || rank > project_cut[p] || rank > lecturer_cut[k] || instance.project_capacities[p] == 0 ||
            instance.lecturer_capacities[k] == 0) {
          continue;  // the pair (s, p) is deleted
        }
        // s applies to p and is provisionally assigned to p and to k.
        project_of[s] = static_cast<std::int32_t>(p);
        project_heap[p].emplace_back(rank, static_cast<std::int32_t>(s));
        std::push_heap(project_heap[p].begin(), project_heap[p].end());
        lheld[loff[k] + static_cast<std::size_t>(rank)] = 1;
        const bool lecturer_was_full = lcount[k] == instance.lecturer_capacities[k];
        ++lcount[k];
        assigned = true;
        if (project_heap[p].size() > static_cast<std::size_t>(instance.project_capacities[p])) {
          freed = drop_worst_of_project(p);
        } else if (lcount[k] > instance.lecturer_capacities[k]) {
          // The lecturer's worst student is also the worst of its own project.
          const std::int32_t w = instance.lecturer_preferences[k][static_cast<std::size_t>(lworst[k])];
          const auto pt = static_cast<std::size_t>(project_of[static_cast<std::size_t>(w)]);
          assert(project_heap[pt].front().second == w);
          freed = drop_worst_of_project(pt);
        }
        if (freed == free_student) assigned = false;  // cannot happen; kept for safety
        if (lcount[k] == instance.lecturer_capacities[k]) {
          std::int32_t w =
              lecturer_was_full ? lworst[k] : static_cast<std::int32_t>(instance.lecturer_preferences[k].size()) - 1;
          while (!lheld[loff[k] + static_cast<std::size_t>(w)]) --w;
          lworst[k] = w;
          lecturer_cut[k] = std::min(lecturer_cut[k], w);
        }
        if (project_heap[p].size() == static_cast<std::size_t>(instance.project_capacities[p])) {
          project_cut[p] = std::min(project_cut[p], project_heap[p].front().first);
        }
        if (freed == free_student) freed = kUnmatched;
      }
      free_student = freed;
    }
  }

  StudentProjectMatching m;
  m.students_of_project = group(project_of, static_cast<std::int32_t>(P));
  m.project_of_student = std::move(project_of);
  m.applications = applications;
  return m;
}

std::vector<ProjectBlockingPair> find_blocking_pairs(const StudentProjectInstance& instance,
                                                     const StudentProjectMatching& matching) {
  validate(instance);
  const auto S = static_cast<std::size_t>(instance.student_count());
  const auto P = static_cast<std::size_t>(instance.project_count());
  const auto K = static_cast<std::size_t>(instance.lecturer_count());
  validate_assignment(kSpa, matching.project_of_student, S, instance.project_count(), "project_of_student", "student",
                      "students", "project");
  if (matching.students_of_project != group(matching.project_of_student, instance.project_count())) {
    fail(kSpa, "students_of_project does not agree with project_of_student");
  }
  const AlignedLists st =
      align(instance.student_preferences, instance.lecturer_preferences, &instance.project_lecturer);

  std::vector<std::int32_t> pcount(P, 0), lcount(K, 0), pworst(P, -1), lworst(K, -1);
  for (std::size_t s = 0; s < S; ++s) {
    const std::int32_t current = matching.project_of_student[s];
    if (current == kUnmatched) continue;
    std::int32_t rank = -1;
    bool listed = false;
    for (std::size_t e = st.offset[s]; e < st.offset[s + 1]; ++e) {
      if (st.target[e] == current) {
        listed = true;
        rank = st.rank[e];
        break;
      }
    }
    if (!listed || rank < 0) {
      fail(kSpa, "student " + std::to_string(s) + " is matched to project " + str(current) +
                     (listed ? ", whose lecturer does not rank that student" : ", which the student does not list"));
    }
    const auto p = static_cast<std::size_t>(current);
    const auto k = static_cast<std::size_t>(instance.project_lecturer[p]);
    ++pcount[p];
    ++lcount[k];
    pworst[p] = std::max(pworst[p], rank);
    lworst[k] = std::max(lworst[k], rank);
  }
  for (std::size_t p = 0; p < P; ++p) {
    if (pcount[p] > instance.project_capacities[p]) {
      fail(kSpa, "project " + std::to_string(p) + " has " + str(pcount[p]) + " students, over its capacity " +
                     str(instance.project_capacities[p]));
    }
  }
  for (std::size_t k = 0; k < K; ++k) {
    if (lcount[k] > instance.lecturer_capacities[k]) {
      fail(kSpa, "lecturer " + std::to_string(k) + " has " + str(lcount[k]) + " students, over its capacity " +
                     str(instance.lecturer_capacities[k]));
    }
  }

  std::vector<ProjectBlockingPair> pairs;
  for (std::size_t s = 0; s < S; ++s) {
    const std::int32_t current = matching.project_of_student[s];
    const std::int32_t current_lecturer =
        current == kUnmatched ? -1 : instance.project_lecturer[static_cast<std::size_t>(current)];
    for (std::size_t e = st.offset[s]; e < st.offset[s + 1]; ++e) {
      const std::int32_t project = st.target[e];
      if (project == current) break;
      const std::int32_t rank = st.rank[e];
      if (rank < 0) continue;
      const auto p = static_cast<std::size_t>(project);
      const std::int32_t lecturer = instance.project_lecturer[p];
      const auto k = static_cast<std::size_t>(lecturer);
      const bool project_under = pcount[p] < instance.project_capacities[p];
      const bool lecturer_under = lcount[k] < instance.lecturer_capacities[k];
      const bool blocks = (project_under && lecturer_under) ||
                          (project_under && !lecturer_under && (current_lecturer == lecturer || rank < lworst[k])) ||
                          (!project_under && rank < pworst[p]);
      if (blocks) pairs.push_back({static_cast<std::int32_t>(s), project});
    }
  }
  return pairs;
}

}  // namespace wijkmatch
