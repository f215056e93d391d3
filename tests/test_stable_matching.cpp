// Tests of the stable-matching engine: known answers from the `matching` library's tests,
// an independent brute-force stability checker on random instances, brute-force optimality,
// planted blocking pairs and input errors.
#include "wijkmatch/stable_matching.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using wijkmatch::kUnmatched;
using wijkmatch::StableMatching;
using wijkmatch::StableMatchingInstance;
using Lists = std::vector<std::vector<std::int32_t>>;
using Pair = std::pair<std::int32_t, std::int32_t>;

// ------------------------------------------------------------------ independent checkers
// Written from the definitions, without the library's rank tables: plain linear searches.

/// Position of x in list, or list.size() when absent.
std::size_t position(const std::vector<std::int32_t>& list, std::int32_t x) {
  return static_cast<std::size_t>(std::find(list.begin(), list.end(), x) - list.begin());
}
bool lists(const std::vector<std::int32_t>& list, std::int32_t x) { return position(list, x) < list.size(); }

/// Feasibility of an HR assignment; returns "" when feasible, else the first problem.
std::string hr_feasibility_problem(const StableMatchingInstance& in, const std::vector<std::int32_t>& prog_of) {
  const auto R = in.resident_preferences.size();
  const auto P = in.programme_priorities.size();
  if (prog_of.size() != R) return "size";
  std::vector<std::int32_t> count(P, 0);
  for (std::size_t r = 0; r < R; ++r) {
    const std::int32_t p = prog_of[r];
    if (p == kUnmatched) continue;
    if (p < 0 || static_cast<std::size_t>(p) >= P) return "range";
    if (!lists(in.resident_preferences[r], p)) return "resident does not accept";
    if (!lists(in.programme_priorities[static_cast<std::size_t>(p)], static_cast<std::int32_t>(r)))
      return "programme does not accept";
    ++count[static_cast<std::size_t>(p)];
  }
  for (std::size_t p = 0; p < P; ++p) {
    if (count[p] > in.capacities[p]) return "over capacity";
  }
  return "";
}

/// Brute force over all R x P pairs: the blocking pairs of a feasible HR assignment.
std::vector<Pair> hr_blocking_brute(const StableMatchingInstance& in, const std::vector<std::int32_t>& prog_of) {
  std::vector<Pair> out;
  const auto R = static_cast<std::int32_t>(in.resident_preferences.size());
  const auto P = static_cast<std::int32_t>(in.programme_priorities.size());
  for (std::int32_t r = 0; r < R; ++r) {
    const auto& rp = in.resident_preferences[static_cast<std::size_t>(r)];
    for (std::int32_t p = 0; p < P; ++p) {
      const auto& pp = in.programme_priorities[static_cast<std::size_t>(p)];
      if (!lists(rp, p) || !lists(pp, r)) continue;
      const std::int32_t cur = prog_of[static_cast<std::size_t>(r)];
      const bool resident_wants = cur == kUnmatched || position(rp, p) < position(rp, cur);
      if (!resident_wants) continue;
      std::int32_t held = 0;
      bool prefers_r = false;
      for (std::int32_t s = 0; s < R; ++s) {
        if (prog_of[static_cast<std::size_t>(s)] != p) continue;
        ++held;
        if (position(pp, r) < position(pp, s)) prefers_r = true;
      }
      if (held < in.capacities[static_cast<std::size_t>(p)] || prefers_r) out.emplace_back(r, p);
    }
  }
  return out;
}

/// Every stable matching of a small HR instance, by exhaustive enumeration.
std::vector<std::vector<std::int32_t>> hr_all_stable(const StableMatchingInstance& in) {
  const auto R = in.resident_preferences.size();
  std::vector<std::vector<std::int32_t>> options(R);
  for (std::size_t r = 0; r < R; ++r) {
    options[r].push_back(kUnmatched);
    for (const std::int32_t p : in.resident_preferences[r]) {
      if (lists(in.programme_priorities[static_cast<std::size_t>(p)], static_cast<std::int32_t>(r)))
        options[r].push_back(p);
    }
  }
  std::vector<std::vector<std::int32_t>> stable;
  std::vector<std::int32_t> cur(R, kUnmatched);
  std::vector<std::int32_t> load(in.programme_priorities.size(), 0);
  std::function<void(std::size_t)> rec = [&](std::size_t r) {
    if (r == R) {
      if (hr_blocking_brute(in, cur).empty()) stable.push_back(cur);
      return;
    }
    for (const std::int32_t p : options[r]) {
      if (p != kUnmatched) {
        if (load[static_cast<std::size_t>(p)] >= in.capacities[static_cast<std::size_t>(p)]) continue;
        ++load[static_cast<std::size_t>(p)];
      }
      cur[r] = p;
      rec(r + 1);
      if (p != kUnmatched) --load[static_cast<std::size_t>(p)];
    }
    cur[r] = kUnmatched;
  };
  rec(0);
  return stable;
}

// ----------------------------------------------------------------------- random instances

struct Shape {
  const char* name;
  int residents, programmes;
  double accept;       // probability that a resident lists a given programme
  double prog_accept;  // probability that a programme lists a given resident
  bool symmetric;      // programmes list exactly the residents that list them
  int max_capacity;
  int tie_levels;  // scores drawn from this many levels, ties broken by index (0: none)
};

/// A random list of `pool` items: each kept with probability `keep`, ordered by a random
/// score with ties (tie_levels > 0) broken by index, or by a random permutation.
std::vector<std::int32_t> random_list(std::mt19937& rng, int pool, double keep, int tie_levels,
                                      const std::vector<char>* only = nullptr) {
  std::bernoulli_distribution take(keep);
  std::vector<std::pair<int, std::int32_t>> scored;
  std::uniform_int_distribution<int> score(0, std::max(tie_levels, 1) * 1000);
  std::uniform_int_distribution<int> level(0, std::max(tie_levels - 1, 0));
  for (int i = 0; i < pool; ++i) {
    const bool in = only ? (*only)[static_cast<std::size_t>(i)] != 0 : take(rng);
    if (!in) continue;
    scored.emplace_back(tie_levels > 0 ? level(rng) : score(rng), i);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::int32_t> out;
  for (const auto& [s, i] : scored) out.push_back(i);
  return out;
}

StableMatchingInstance random_hr(std::mt19937& rng, const Shape& sh) {
  StableMatchingInstance in;
  in.resident_preferences.resize(static_cast<std::size_t>(sh.residents));
  for (auto& l : in.resident_preferences) l = random_list(rng, sh.programmes, sh.accept, sh.tie_levels);
  in.programme_priorities.resize(static_cast<std::size_t>(sh.programmes));
  for (int p = 0; p < sh.programmes; ++p) {
    if (sh.symmetric) {
      std::vector<char> listed(static_cast<std::size_t>(sh.residents), 0);
      for (int r = 0; r < sh.residents; ++r)
        listed[static_cast<std::size_t>(r)] = lists(in.resident_preferences[static_cast<std::size_t>(r)], p);
      in.programme_priorities[static_cast<std::size_t>(p)] =
          random_list(rng, sh.residents, 1.0, sh.tie_levels, &listed);
    } else {
      in.programme_priorities[static_cast<std::size_t>(p)] =
          random_list(rng, sh.residents, sh.prog_accept, sh.tie_levels);
    }
  }
  std::uniform_int_distribution<int> cap(0, sh.max_capacity);
  for (int p = 0; p < sh.programmes; ++p) in.capacities.push_back(cap(rng));
  return in;
}

/// Reorders each reviewer's list against the proposers' taste: proposers that rank the
/// reviewer's targets worst come first (random tie-break). Such opposed preferences are where
/// several stable matchings exist. Reviewer k reviews target k.
void oppose(std::mt19937& rng, const Lists& proposers, Lists& reviewers) {
  for (std::size_t k = 0; k < reviewers.size(); ++k) {
    std::vector<std::pair<std::pair<std::size_t, std::uint32_t>, std::int32_t>> keyed;
    for (const std::int32_t s : reviewers[k]) {
      const auto& l = proposers[static_cast<std::size_t>(s)];
      std::size_t best = l.size();
      for (std::size_t i = 0; i < l.size(); ++i)
        if (static_cast<std::size_t>(l[i]) == k) {
          best = i;
          break;
        }
      keyed.push_back({{l.size() - best, static_cast<std::uint32_t>(rng())}, s});
    }
    std::sort(keyed.begin(), keyed.end());
    reviewers[k].clear();
    for (const auto& e : keyed) reviewers[k].push_back(e.second);
  }
}

/// Cyclic ("Latin square") lists: proposer i ranks targets i, i+1, ... (mod targets) and
/// reviewer k ranks proposers k+1, k+2, ... (mod proposers): the classic source of several
/// stable matchings. Entries are then dropped or swapped at random.
void latin(std::mt19937& rng, Lists& proposers, std::int32_t targets, Lists& reviewers, std::int32_t proposer_count) {
  std::bernoulli_distribution drop(0.12), swap(0.3);
  const auto perturb = [&](std::vector<std::int32_t>& l) {
    std::vector<std::int32_t> kept;
    for (const auto x : l)
      if (!drop(rng)) kept.push_back(x);
    if (kept.size() >= 2 && swap(rng)) {
      const auto i = std::uniform_int_distribution<std::size_t>(0, kept.size() - 2)(rng);
      std::swap(kept[i], kept[i + 1]);
    }
    l = kept;
  };
  for (std::size_t i = 0; i < proposers.size(); ++i) {
    proposers[i].clear();
    for (std::int32_t j = 0; j < targets; ++j) proposers[i].push_back((static_cast<std::int32_t>(i) + j) % targets);
    perturb(proposers[i]);
  }
  for (std::size_t k = 0; k < reviewers.size(); ++k) {
    reviewers[k].clear();
    for (std::int32_t j = 0; j < proposer_count; ++j)
      reviewers[k].push_back((static_cast<std::int32_t>(k) + 1 + j) % proposer_count);
    perturb(reviewers[k]);
  }
}

std::vector<Pair> to_pairs(const std::vector<wijkmatch::BlockingPair>& v) {
  std::vector<Pair> out;
  for (const auto& b : v) out.emplace_back(b.resident, b.programme);
  std::sort(out.begin(), out.end());
  return out;
}

// ----------------------------------------------------------------------------- known answers

const std::filesystem::path kPeers = std::filesystem::path(WIJKMATCH_SHARED_DATA_DIR) / "peers";

bool load(const std::filesystem::path& path, nlohmann::json& out) {
  std::ifstream f(path);
  if (!f) return false;
  out = nlohmann::json::parse(f);
  return true;
}

/// Name <-> index, indices in the order names are first registered.
struct Names {
  std::map<std::string, std::int32_t> index;
  std::vector<std::string> name;
  std::int32_t add(const std::string& n) {
    const auto [it, fresh] = index.emplace(n, static_cast<std::int32_t>(name.size()));
    if (fresh) name.push_back(n);
    return it->second;
  }
  std::int32_t at(const std::string& n) const { return index.at(n); }
  std::int32_t size() const { return static_cast<std::int32_t>(name.size()); }
};

/// Two-sided instance from name-keyed preference objects; all capacities from `caps` (or 1).
StableMatchingInstance hr_from_names(const nlohmann::json& proposers, const nlohmann::json& reviewers,
                                     const nlohmann::json* caps, Names& rn, Names& pn) {
  for (const auto& [r, _] : proposers.items()) rn.add(r);
  for (const auto& [p, _] : reviewers.items()) pn.add(p);
  if (caps)
    for (const auto& [p, _] : caps->items()) pn.add(p);
  StableMatchingInstance in;
  in.resident_preferences.resize(static_cast<std::size_t>(rn.size()));
  in.programme_priorities.resize(static_cast<std::size_t>(pn.size()));
  in.capacities.assign(static_cast<std::size_t>(pn.size()), 1);
  for (const auto& [r, prefs] : proposers.items())
    for (const auto& p : prefs)
      in.resident_preferences[static_cast<std::size_t>(rn.at(r))].push_back(pn.at(p.get<std::string>()));
  for (const auto& [p, prio] : reviewers.items())
    for (const auto& r : prio)
      in.programme_priorities[static_cast<std::size_t>(pn.at(p))].push_back(rn.at(r.get<std::string>()));
  if (caps)
    for (const auto& [p, c] : caps->items()) in.capacities[static_cast<std::size_t>(pn.at(p))] = c.get<std::int32_t>();
  return in;
}

template <class Fn>
void expect_invalid(Fn&& fn, const std::string& fragment) {
  try {
    fn();
    FAIL("expected wijkmatch::InvalidArgument containing \"" << fragment << "\"");
  } catch (const wijkmatch::InvalidArgument& e) {
    INFO("message: " << e.what());
    CHECK(std::string(e.what()).find(fragment) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("stable matching: known answers of the matching library", "[stable]") {
  nlohmann::json doc;
  if (!load(kPeers / "stable_matching_known_answers.json", doc)) {
    WARN("no " << (kPeers / "stable_matching_known_answers.json").string() << "; skipped");
    return;
  }
  // student_allocation: student-project allocation, which wijkmatch does not provide.
  std::set<std::string> handled = {"source", "hospital_resident", "stable_marriage", "student_allocation"};
  for (const auto& [key, _] : doc.items()) {
    if (!handled.count(key)) WARN("known-answers key not understood, skipped: " << key);
  }

  for (const auto& ex : doc.value("hospital_resident", nlohmann::json::array())) {
    const std::string name = ex.at("name").get<std::string>();
    SECTION("hospital_resident/" + name) {
      StableMatchingInstance in;
      Names rn, pn;
      std::map<std::int32_t, std::set<std::int32_t>> expected;  // programme -> residents
      if (ex.contains("instance_file")) {
        nlohmann::json inst;
        REQUIRE(load(kPeers / ex.at("instance_file").get<std::string>(), inst));
        // Keys and entries are integer ids: residents list hospitals, hospitals list residents.
        const auto& H = inst.at("hospitals");
        const auto& Rs = inst.at("residents");
        in.programme_priorities.resize(H.size());
        in.resident_preferences.resize(Rs.size());
        for (const auto& [h, l] : H.items())
          in.programme_priorities.at(std::stoul(h)) = l.get<std::vector<std::int32_t>>();
        for (const auto& [r, l] : Rs.items())
          in.resident_preferences.at(std::stoul(r)) = l.get<std::vector<std::int32_t>>();
        in.capacities.assign(H.size(), 1);  // "1 for every hospital"
        REQUIRE(ex.at("capacities") == "1 for every hospital");
        const nlohmann::json& exp = ex.at("expected_resident_optimal").is_null()
                                        ? ex.at("helper_computed_resident_optimal").at("resident_to_hospital")
                                        : ex.at("expected_resident_optimal");
        for (const auto& [r, h] : exp.items()) expected[h.get<std::int32_t>()].insert(std::stoi(r));
        for (std::int32_t i = 0; i < in.resident_count(); ++i) rn.add(std::to_string(i));
        for (std::int32_t i = 0; i < in.programme_count(); ++i) pn.add(std::to_string(i));
      } else {
        in = hr_from_names(ex.at("resident_prefs"), ex.at("hospital_prefs"), &ex.at("capacities"), rn, pn);
        for (const auto& [h, rs] : ex.at("expected_resident_optimal").items()) {
          auto& set = expected[pn.at(h)];
          for (const auto& r : rs) set.insert(rn.at(r.get<std::string>()));
        }
      }
      const StableMatching m = wijkmatch::resident_proposing_deferred_acceptance(in);
      std::map<std::int32_t, std::set<std::int32_t>> got;
      for (std::int32_t r = 0; r < in.resident_count(); ++r) {
        const std::int32_t p = m.programme_of(r);
        if (p != kUnmatched) got[p].insert(r);
      }
      for (auto it = expected.begin(); it != expected.end();)
        it = it->second.empty() ? expected.erase(it) : std::next(it);
      CHECK(got == expected);
      CHECK(hr_feasibility_problem(in, m.programme_of_resident).empty());
      CHECK(hr_blocking_brute(in, m.programme_of_resident).empty());
      CHECK(wijkmatch::is_stable(in, m));
    }
  }

  for (const auto& ex : doc.value("stable_marriage", nlohmann::json::array())) {
    const std::string name = ex.at("name").get<std::string>();
    SECTION("stable_marriage/" + name) {
      Names sn, rn;  // suitors propose (residents), reviewers are capacity-1 programmes
      const auto in = hr_from_names(ex.at("suitor_prefs"), ex.at("reviewer_prefs"), nullptr, sn, rn);
      const StableMatching m = wijkmatch::resident_proposing_deferred_acceptance(in);
      std::map<std::string, std::string> got, expected;
      for (std::int32_t s = 0; s < in.resident_count(); ++s)
        if (m.programme_of(s) != kUnmatched)
          got[sn.name[static_cast<std::size_t>(s)]] = rn.name[static_cast<std::size_t>(m.programme_of(s))];
      for (const auto& [s, r] : ex.at("expected_suitor_optimal").items()) expected[s] = r.get<std::string>();
      CHECK(got == expected);
      CHECK(hr_blocking_brute(in, m.programme_of_resident).empty());
    }
  }
}

TEST_CASE("stable matching: random instances against an independent checker", "[stable]") {
  const Shape shapes[] = {
      {"tiny complete, no ties", 4, 3, 1.0, 1.0, false, 2, 0},
      {"incomplete lists", 30, 10, 0.3, 0.6, false, 3, 0},
      {"symmetric acceptability with ties broken", 40, 8, 0.4, 1.0, true, 5, 3},
      {"more residents than seats", 60, 5, 0.6, 0.8, false, 4, 0},
      {"more seats than residents", 10, 20, 0.5, 0.7, false, 5, 2},
      {"capacities 0..1 (marriage-like)", 25, 25, 0.3, 0.5, true, 1, 0},
      {"empty-ish lists", 20, 6, 0.05, 0.3, false, 2, 0},
  };
  std::uint32_t seed = 1;
  int instances = 0;
  for (const Shape& sh : shapes) {
    INFO("shape: " << sh.name);
    for (int rep = 0; rep < 60; ++rep, ++seed) {
      INFO("seed " << seed);
      std::mt19937 rng(seed);
      const auto in = random_hr(rng, sh);
      const auto m = wijkmatch::resident_proposing_deferred_acceptance(in);
      REQUIRE(m.programme_of_resident.size() == in.resident_preferences.size());
      REQUIRE(hr_feasibility_problem(in, m.programme_of_resident).empty());
      REQUIRE(hr_blocking_brute(in, m.programme_of_resident).empty());
      // residents_of agrees with programme_of_resident: each resident in at most one list.
      std::vector<int> seen(in.resident_preferences.size(), 0);
      for (std::int32_t p = 0; p < in.programme_count(); ++p) {
        CHECK(m.residents_of(p).size() <= static_cast<std::size_t>(in.capacities[static_cast<std::size_t>(p)]));
        for (const auto r : m.residents_of(p)) {
          CHECK(m.programme_of(r) == p);
          ++seen[static_cast<std::size_t>(r)];
        }
      }
      for (std::size_t r = 0; r < seen.size(); ++r)
        CHECK(seen[r] == (m.programme_of_resident[r] == kUnmatched ? 0 : 1));
      std::int64_t total = 0;
      for (const auto& l : in.resident_preferences) total += static_cast<std::int64_t>(l.size());
      CHECK(m.proposals <= total);
      CHECK(wijkmatch::find_blocking_pairs(in, m).empty());
      CHECK(wijkmatch::is_stable(in, m));
      CHECK(wijkmatch::resident_proposing_deferred_acceptance(in) == m);  // determinism
      ++instances;
    }
  }
  CHECK(instances == 420);
}

TEST_CASE("stable matching: resident-optimality and rural hospitals by enumeration", "[stable]") {
  int with_several = 0;
  for (std::uint32_t seed = 1000; seed < 1300; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> nr(1, 6), np(1, 4);
    const Shape sh{"small", nr(rng), np(rng), 0.6, 0.8, (seed % 2) == 0, 2, (seed % 3 == 0) ? 2 : 0};
    auto in = random_hr(rng, sh);
    if (seed % 3 == 1) oppose(rng, in.resident_preferences, in.programme_priorities);
    if (seed % 3 == 2 && in.programme_count() >= 2) {
      latin(rng, in.resident_preferences, in.programme_count(), in.programme_priorities, in.resident_count());
      for (auto& c : in.capacities) c = 1 + (seed % 5 == 0 ? 1 : 0);
    }
    const auto m = wijkmatch::resident_proposing_deferred_acceptance(in);
    const auto all = hr_all_stable(in);
    REQUIRE(!all.empty());  // a stable matching always exists
    if (all.size() > 1) ++with_several;
    CHECK(std::find(all.begin(), all.end(), m.programme_of_resident) != all.end());
    for (const auto& other : all) {
      std::set<std::int32_t> matched_m, matched_o;
      for (std::size_t r = 0; r < other.size(); ++r) {
        const auto& prefs = in.resident_preferences[r];
        // DA's programme is at least as good as the one in any stable matching.
        CHECK(position(prefs, m.programme_of_resident[r] == kUnmatched ? -2 : m.programme_of_resident[r]) <=
              position(prefs, other[r] == kUnmatched ? -2 : other[r]));
        if (m.programme_of_resident[r] != kUnmatched) matched_m.insert(static_cast<std::int32_t>(r));
        if (other[r] != kUnmatched) matched_o.insert(static_cast<std::int32_t>(r));
      }
      CHECK(matched_m == matched_o);  // rural-hospitals theorem: same residents matched
      for (std::int32_t p = 0; p < in.programme_count(); ++p) {
        std::vector<std::int32_t> in_other;
        for (std::size_t r = 0; r < other.size(); ++r)
          if (other[r] == p) in_other.push_back(static_cast<std::int32_t>(r));
        if (m.residents_of(p).size() < static_cast<std::size_t>(in.capacities[static_cast<std::size_t>(p)]))
          CHECK(in_other == m.residents_of(p));  // under-subscribed: the same residents
        else
          CHECK(in_other.size() == m.residents_of(p).size());
      }
    }
  }
  CHECK(with_several > 5);  // the enumeration did meet instances with several stable matchings
}

TEST_CASE("stable matching: find_blocking_pairs agrees with brute force and finds planted pairs", "[stable]") {
  SECTION("planted") {
    // r0: p0 > p1; r1: p0; r2: p1 > p0. p0 (cap 1): r1 > r0 > r2; p1 (cap 1): r0 > r2.
    StableMatchingInstance in;
    in.resident_preferences = {{0, 1}, {0}, {1, 0}};
    in.programme_priorities = {{1, 0, 2}, {0, 2}};
    in.capacities = {1, 1};
    const auto da = wijkmatch::resident_proposing_deferred_acceptance(in);
    CHECK(da.programme_of_resident == std::vector<std::int32_t>{1, 0, kUnmatched});
    CHECK(wijkmatch::find_blocking_pairs(in, da).empty());
    // Unstable: r2 in p0 while r1 (preferred by p0, wants p0) is unmatched, r0 unmatched while
    // p1 has a free seat.
    const auto bad = StableMatching::from_assignment({kUnmatched, kUnmatched, 0}, 2);
    const std::vector<wijkmatch::BlockingPair> expected = {{0, 0}, {0, 1}, {1, 0}, {2, 1}};
    CHECK(wijkmatch::find_blocking_pairs(in, bad) == expected);
    CHECK(to_pairs(wijkmatch::find_blocking_pairs(in, bad)) == hr_blocking_brute(in, bad.programme_of_resident));
    CHECK_FALSE(wijkmatch::is_stable(in, bad));
    // Infeasible matchings are not stable.
    CHECK_FALSE(wijkmatch::is_stable(in, StableMatching::from_assignment({0, 0, kUnmatched}, 2)));  // over capacity
    CHECK_FALSE(wijkmatch::is_stable(in, StableMatching::from_assignment({kUnmatched, 1, 0}, 2)));  // r1 lists no p1
  }
  SECTION("random feasible matchings") {
    int unstable = 0;
    for (std::uint32_t seed = 5000; seed < 5200; ++seed) {
      INFO("seed " << seed);
      std::mt19937 rng(seed);
      const auto in = random_hr(rng, Shape{"mid", 15, 6, 0.5, 0.7, false, 3, 0});
      // A random feasible matching: residents in random order take a random acceptable seat.
      std::vector<std::int32_t> prog(in.resident_preferences.size(), kUnmatched);
      std::vector<std::int32_t> load(in.programme_priorities.size(), 0);
      for (std::size_t r = 0; r < prog.size(); ++r) {
        std::vector<std::int32_t> options;
        for (const auto p : in.resident_preferences[r])
          if (lists(in.programme_priorities[static_cast<std::size_t>(p)], static_cast<std::int32_t>(r)) &&
              load[static_cast<std::size_t>(p)] < in.capacities[static_cast<std::size_t>(p)])
            options.push_back(p);
        options.push_back(kUnmatched);
        const auto pick = options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
        prog[r] = pick;
        if (pick != kUnmatched) ++load[static_cast<std::size_t>(pick)];
      }
      const auto m = StableMatching::from_assignment(prog, in.programme_count());
      const auto brute = hr_blocking_brute(in, prog);
      CHECK(to_pairs(wijkmatch::find_blocking_pairs(in, m)) == brute);
      CHECK(wijkmatch::is_stable(in, m) == brute.empty());
      if (!brute.empty()) ++unstable;
    }
    CHECK(unstable > 100);
  }
}

TEST_CASE("stable matching: a large instance is fast and stable", "[stable]") {
  std::mt19937 rng(42);
  const int R = 20000, P = 400;
  StableMatchingInstance in;
  std::uniform_int_distribution<std::int32_t> prog(0, P - 1), cap(0, 60);
  in.resident_preferences.resize(R);
  for (auto& l : in.resident_preferences) {
    std::set<std::int32_t> used;
    while (used.size() < 10) {
      const auto p = prog(rng);
      if (used.insert(p).second) l.push_back(p);
    }
  }
  in.programme_priorities.resize(P);
  for (std::int32_t r = 0; r < R; ++r)
    for (const auto p : in.resident_preferences[static_cast<std::size_t>(r)])
      in.programme_priorities[static_cast<std::size_t>(p)].push_back(r);
  for (auto& l : in.programme_priorities) std::shuffle(l.begin(), l.end(), rng);
  for (int p = 0; p < P; ++p) in.capacities.push_back(cap(rng));
  const auto m = wijkmatch::resident_proposing_deferred_acceptance(in);
  CHECK(m.proposals <= static_cast<std::int64_t>(R) * 10);
  CHECK(m.matched_count() > 0);
  CHECK(wijkmatch::is_stable(in, m));
}

TEST_CASE("stable matching: invalid input throws wijkmatch::InvalidArgument with a message", "[stable]") {
  const auto ok = [] {
    StableMatchingInstance in;
    in.resident_preferences = {{0, 1}, {1}};
    in.programme_priorities = {{0}, {1, 0}};
    in.capacities = {1, 1};
    return in;
  };
  REQUIRE_NOTHROW(wijkmatch::resident_proposing_deferred_acceptance(ok()));
  {
    auto in = ok();
    in.resident_preferences[1] = {2};
    expect_invalid([&] { wijkmatch::resident_proposing_deferred_acceptance(in); },
                   "resident 1: preference list entry 0 (programme 2) is out of range [0, 2)");
  }
  {
    auto in = ok();
    in.resident_preferences[0] = {1, 0, 1};
    expect_invalid([&] { wijkmatch::validate(in); }, "resident 0: programme 1 is listed twice");
  }
  {
    auto in = ok();
    in.programme_priorities[1] = {1, -1};
    expect_invalid([&] { wijkmatch::resident_proposing_deferred_acceptance(in); },
                   "programme 1: priority list entry 1 (resident -1) is out of range");
  }
  {
    auto in = ok();
    in.programme_priorities[0] = {0, 0};
    expect_invalid([&] { wijkmatch::resident_proposing_deferred_acceptance(in); },
                   "programme 0: resident 0 is listed twice");
  }
  {
    auto in = ok();
    in.capacities[1] = -3;
    expect_invalid([&] { wijkmatch::resident_proposing_deferred_acceptance(in); },
                   "programme 1: capacity -3 is negative");
  }
  {
    auto in = ok();
    in.capacities.pop_back();
    expect_invalid([&] { wijkmatch::resident_proposing_deferred_acceptance(in); },
                   "capacities has 1 entries but there are 2 programmes");
  }
  {
    const auto in = ok();
    expect_invalid([&] { wijkmatch::find_blocking_pairs(in, StableMatching::from_assignment({0}, 2)); },
                   "programme_of_resident has 1 entries but there are 2 residents");
    expect_invalid([&] { StableMatching::from_assignment({0, 5}, 2); }, "resident 1: programme 5 is out of range");
    StableMatching m = StableMatching::from_assignment({0, 1}, 2);
    m.programme_of_resident[1] = 7;
    expect_invalid([&] { wijkmatch::find_blocking_pairs(in, m); }, "resident 1: programme 7 is out of range");
    CHECK_THROWS_AS(m.residents_of(2), wijkmatch::OutOfRange);
    CHECK_THROWS_AS(m.programme_of(-1), wijkmatch::OutOfRange);
  }
}
