// Summary counts, and the one rule for informal helpers that summary, ranking, allocation and
// fragility share (hours given through ties and volunteering, the policy's overload limit).
#include <catch2/catch.hpp>

#include <cmath>
#include <iomanip>
#include <sstream>

#include "wijkmatch/allocation.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/ranking.hpp"
#include "wijkmatch/summary.hpp"

using namespace wijkmatch;

TEST_CASE("summary, ranking and allocation apply the policy's overload limit alike", "[summary][policy]") {
  const Model m = generate({.residents = 3000, .seed = 11, .needs_per_100 = 10});
  // Hours given, independently of the library: informal help through ties, then volunteering.
  std::vector<double> given(m.residents.size(), 0.0), ties_only(m.residents.size(), 0.0);
  for (const auto& t : m.ties) given[t.helper.index()] += t.hours_used;
  ties_only = given;
  for (const auto& o : m.offers)
    for (const auto& v : o.volunteers) given[v.resident.index()] += v.hours_per_week;
  for (std::size_t r = 0; r < m.residents.size(); ++r)
    if (m.residents[r].offers_help) given[r] += m.residents[r].offers_help->hours_used;
  // Volunteering matters here: some helpers are overloaded only with it.
  std::size_t by_volunteering = 0;
  for (std::size_t r = 0; r < given.size(); ++r) by_volunteering += ties_only[r] <= 6.0 && given[r] > 6.0;
  CHECK(by_volunteering > 0);
  for (double limit : {20.0, 6.0, 3.0}) {
    INFO("limit " << limit);
    Policy policy = default_policy();
    policy.overloaded_helper_hours = limit;
    std::size_t overloaded = 0;
    for (double h : given) overloaded += h > limit;

    const Summary s = summarize(m, policy);
    CHECK(s.overloaded_helpers == static_cast<int>(overloaded));
    CHECK(s.overloaded_helper_hours == limit);
    std::ostringstream expected;
    expected << s.overloaded_helpers << " overloaded (> " << std::fixed << std::setprecision(1) << limit << " h/week)";
    CHECK(to_text(s).find(expected.str()) != std::string::npos);

    const Ranker ranker(m, policy);
    std::size_t rejected = 0;
    for (const auto& r : ranker.rank_all(1, {}, RankRequest::full())) {
      for (const auto& x : r.rejected)
        if (x.failed == RejectReason::helper_overloaded) {
          ++rejected;
          const ResidentId helper = x.neighbour.valid() ? x.neighbour : m[x.tie].helper;
          CHECK(given[helper.index()] > limit);
        }
      for (const auto& o : r.options)
        if (o.tie.valid())
          CHECK(given[m[o.tie].helper.index()] <= limit);
        else if (o.neighbour.valid())
          CHECK(given[o.neighbour.index()] <= limit);
    }
    if (limit < 20.0) CHECK(rejected > 0);

    AllocateOptions opt;
    opt.policy = policy;
    for (const auto& res : allocation_candidates(m, opt).resources)
      if (res.kind == ResourceKind::helper)
        CHECK(res.capacity ==
              static_cast<int>(std::floor(std::max(0.0, limit - given[res.index]) / opt.hours_per_informal_need)));
  }
  // The default is the default policy's limit.
  CHECK(summarize(m) == summarize(m, default_policy()));
  CHECK(summarize(m).overloaded_helper_hours == default_policy().overloaded_helper_hours);
}
