// The what-if simulation (include/wijkmatch/simulate.hpp, docs/simulation.md): one weekly loop
// per (policy, replication) that drives an in-memory Engine with ordinary events, so that the
// engine's own rules (collective first, capacity held and released) decide what can happen.
#include "wijkmatch/simulate.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>

#include <nlohmann/json.hpp>

#include "wijkmatch/engine.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The levels that take a professional's time: the team's basic care and the providers' levels.
bool is_professional_level(LadderLevel level) noexcept {
  return level == LadderLevel::basic_care || level == LadderLevel::individual || level == LadderLevel::specialist;
}

// xoshiro256** seeded through splitmix64: our own generator so that streams are identical on
// every platform and standard library (std::poisson_distribution is not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * static_cast<double>(n)) % n; }
  // Knuth's product method; large means are split so that exp(-mean) does not underflow.
  int poisson(double mean) {
    int k = 0;
    while (mean > 0.0) {
      const double part = std::min(mean, 30.0);
      mean -= part;
      const double limit = std::exp(-part);
      double p = uniform();
      while (p > limit) {
        ++k;
        p *= uniform();
      }
    }
    return k;
  }
  // Whole weeks of support, at least 1: geometric with the given mean.
  int duration_weeks(double mean) {
    if (mean <= 1.0) return 1;
    const double q = 1.0 - 1.0 / mean;
    const double u = 1.0 - uniform();  // (0, 1]
    return 1 + static_cast<int>(std::floor(std::log(u) / std::log(q)));
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

// Stream `part` (0 arrivals, 1 decisions) of a replication. Arrivals have their own stream so
// that every policy sees the same arrivals however many decisions it draws.
std::uint64_t stream_seed(std::uint64_t seed, int replication, int part) {
  return seed * 0x100000001B3ULL ^
         (static_cast<std::uint64_t>(replication) * 2 + static_cast<std::uint64_t>(part) + 1) * 0xD6E8FEB86659FD93ULL;
}

std::string date_text(Date d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

constexpr std::array<const char*, 3> band_names{"sev1_2", "sev3", "sev4_5"};
int band_of(int severity) { return severity <= 2 ? 0 : (severity == 3 ? 1 : 2); }

std::vector<std::string> make_metric_names() {
  std::vector<std::string> m{"arrived",          "served_share",      "wait_median_weeks", "wait_p90_weeks",
                             "wait_mean_weeks",  "share_own_network", "share_collective",  "share_basic_care",
                             "share_individual", "share_specialist",  "cost_per_month",    "cost_per_trajectory",
                             "caseload_mean",    "declines",          "step_downs",        "groups_full_week_share"};
  for (const char* b : band_names)
    for (const char* f : {"served_share", "wait_mean_weeks", "share_collective", "cost_per_trajectory"})
      m.push_back(std::string(b) + "_" + f);
  for (const char* g : {"groups_full", "groups_open"})
    for (const char* f : {"arrived", "wait_mean_weeks", "share_collective", "cost_per_trajectory"})
      m.push_back(std::string(g) + "_" + f);
  return m;
}

void check_options(const Model& model, const SimulationOptions& o) {
  auto bad = [](const std::string& what) { throw InvalidArgument("simulate: " + what); };
  if (o.weeks < 1 || o.weeks > 520) bad("weeks must be 1..520");
  if (o.replications < 1 || o.replications > 10000) bad("replications must be 1..10000");
  if (o.threads < 0) bad("threads must be 0 (all cores) or more");
  if (!(o.mean_spell_weeks >= 1.0 && o.mean_spell_weeks <= 520.0)) bad("mean_spell_weeks must be 1..520");
  if (!(o.arrival_scale >= 0.0 && o.arrival_scale <= 100.0)) bad("arrival_scale must be 0..100");
  for (std::size_t l = 0; l < ladder_level_count; ++l) {
    const std::string level(to_string(static_cast<LadderLevel>(l)));
    if (!(o.accept_probability[l] >= 0.0 && o.accept_probability[l] <= 1.0))
      bad("accept_probability." + level + " must be 0..1");
    if (!(o.mean_duration_weeks[l] >= 1.0 && o.mean_duration_weeks[l] <= 520.0))
      bad("mean_duration_weeks." + level + " must be 1..520");
    if (!(o.step_down_share[l] >= 0.0 && o.step_down_share[l] <= 1.0))
      bad("step_down_share." + level + " must be 0..1");
  }
  if (!(o.volunteer_leave_per_week >= 0.0 && o.volunteer_leave_per_week <= 1.0))
    bad("volunteer_leave_per_week must be 0..1");
  if (!(o.volunteer_join_per_week >= 0.0 && o.volunteer_join_per_week <= 1.0))
    bad("volunteer_join_per_week must be 0..1");
  if (!(o.groups_full_threshold > 0.0 && o.groups_full_threshold <= 1.0))
    bad("groups_full_threshold must be in (0, 1]");
  if (o.arrival_rates) {
    std::array<bool, life_domain_count * 5> has{};
    for (const Need& n : model.needs)
      has[static_cast<std::size_t>(n.domain) * 5 + static_cast<std::size_t>(n.severity - 1)] = true;
    for (std::size_t c = 0; c < has.size(); ++c) {
      const double r = (*o.arrival_rates)[c];
      const std::string cell = std::string(to_string(static_cast<LifeDomain>(c / 5))) + "/" + std::to_string(c % 5 + 1);
      if (!(r >= 0.0 && r <= 1e6)) bad("arrival_rates[" + cell + "] must be 0..1000000");
      if (r > 0.0 && !has[c])
        bad("arrival_rates[" + cell + "] is above 0 but the model has no need of that domain and severity to copy");
    }
  }
  for (std::size_t i = 0; i < o.policies.size(); ++i)
    if (o.policies[i].name.empty()) bad("policies[" + std::to_string(i) + "].name must not be empty");
  if (model.needs.empty()) bad("the model has no needs to draw arrival rates from");
}

std::vector<NamedPolicy> policies_of(const SimulationOptions& o) {
  if (!o.policies.empty()) return o.policies;
  return {NamedPolicy{"collective-first", default_policy()}};
}

// One simulated need: an arrival or the follow-up after a step down.
struct SimNeed {
  std::string key;
  int arrival_week = 0;
  int band = 0;
  int root = 0;  // the arrival whose trajectory this belongs to (itself for an arrival)
  bool follow_up = false;
  bool groups_full_at_arrival = false;
  bool done = false;
  // The running referral, if any.
  std::string referral;
  int referrals = 0;
  LadderLevel level = LadderLevel::collective;
  bool started = false;
  int start_week = -1;
  int end_week = -1;
  double weekly_cost = 0.0;
  // Arrivals: the trajectory.
  int first_start_week = -1;
  LadderLevel first_level = LadderLevel::collective;
  double cost = 0.0;  // euro within the horizon, follow-ups included
};

// Weeks simulated over all tasks of one simulate() call, for SimulationOptions::progress.
struct WeekCounter {
  std::atomic<std::int64_t> done{0};
  std::int64_t total = 0;
  std::atomic<bool> stop{false};
};

class Run {
 public:
  Run(const Model& model, const SimulationOptions& o, const Policy& policy, int replication,
      WeekCounter* weeks = nullptr)
      : o_(o),
        weeks_(weeks),
        engine_(model, EngineOptions{policy}),
        arrivals_rng_(stream_seed(o.seed, replication, 0)),
        rng_(stream_seed(o.seed, replication, 1)) {
    for (std::size_t i = 0; i < model.needs.size(); ++i) {
      const Need& n = model.needs[i];
      cells_[static_cast<std::size_t>(n.domain) * 5 + static_cast<std::size_t>(n.severity - 1)].push_back(i);
    }
    const Model& m = engine_.model();
    for (std::size_t i = 0; i < m.offers.size(); ++i) {
      const Offer& of = m.offers[i];
      if (of.resident_initiative() && !of.volunteers.empty())
        initiatives_.push_back(
            {i, of.seats, static_cast<int>(of.volunteers.size()), static_cast<int>(of.volunteers.size())});
    }
  }

  ReplicationResult run(int policy, int replication);
  const Engine& engine() const noexcept { return engine_; }

 private:
  struct Initiative {
    std::size_t offer;
    int base_seats, base_volunteers, volunteers;
  };

  void apply(const std::string& event) {
    engine_.apply(event);
    ++events_;
  }
  std::string event(const char* type, const std::string& body) {
    return std::string("{\"id\":\"s") + std::to_string(++event_no_) + "\",\"type\":\"" + type + "\",\"at\":\"" +
           today_ + "\"," + body + "}";
  }
  void churn_volunteers();
  bool groups_full() const;
  void finish_or_start(int week);
  void arrivals(int week, bool full);
  void place(int week);
  void check_invariants() const;
  void open_need(const Need& like, int severity, int week, bool follow_up, int root, bool full);

  const SimulationOptions& o_;
  WeekCounter* weeks_;
  Engine engine_;
  Rng arrivals_rng_;  // arrivals only
  Rng rng_;           // decisions: volunteers, accept/decline, durations, step downs
  std::array<std::vector<std::size_t>, life_domain_count * 5> cells_{};
  std::vector<Initiative> initiatives_;
  std::vector<SimNeed> needs_;
  std::vector<int> waiting_;  // needs without a running referral, in arrival order
  std::string today_;
  std::int64_t events_ = 0, event_no_ = 0, checks_ = 0;
  int declines_ = 0, step_downs_ = 0, full_weeks_ = 0;
  double caseload_sum_ = 0.0, cost_total_ = 0.0;
};

void Run::churn_volunteers() {
  for (auto& in : initiatives_) {
    int v = in.volunteers;
    for (int i = 0; i < in.volunteers; ++i)
      if (rng_.chance(o_.volunteer_leave_per_week)) --v;
    for (int i = in.volunteers; i < in.base_volunteers; ++i)
      if (rng_.chance(o_.volunteer_join_per_week)) ++v;
    if (v == in.volunteers) continue;
    in.volunteers = v;
    const Offer& of = engine_.model().offers[in.offer];
    // Nobody is sent away when volunteers leave: seats do not drop below the places taken.
    const int want = static_cast<int>(std::lround(static_cast<double>(in.base_seats) * v / in.base_volunteers));
    const int seats =
        std::clamp(want, std::max(of.occupancy, of.min_group_size), std::max(in.base_seats, of.occupancy));
    if (seats != of.seats)
      apply(event("offer.capacity", "\"offer\":\"" + of.key + "\",\"seats\":" + std::to_string(seats)));
  }
}

bool Run::groups_full() const {
  long long seats = 0, taken = 0;
  for (const Offer& of : engine_.model().offers) {
    if (of.level != LadderLevel::collective) continue;
    const int s = effective_seats(of);
    seats += s;
    taken += std::min(of.occupancy, s);
  }
  return seats == 0 || static_cast<double>(taken) >= o_.groups_full_threshold * static_cast<double>(seats);
}

void Run::open_need(const Need& like, int severity, int week, bool follow_up, int root, bool full) {
  SimNeed s;
  s.key = "sim-" + std::to_string(needs_.size() + 1);
  s.arrival_week = week;
  s.band = band_of(severity);
  s.follow_up = follow_up;
  s.groups_full_at_arrival = full;
  s.root = follow_up ? root : static_cast<int>(needs_.size());
  const Model& m = engine_.model();
  std::string body = "\"need\":\"" + s.key + "\",\"resident\":\"" + m.residents[like.resident.index()].key +
                     "\",\"domain\":\"" + std::string(to_string(like.domain)) +
                     "\",\"severity\":" + std::to_string(severity);
  if (!follow_up) {
    if (like.crisis) body += ",\"crisis\":true";
    if (like.safety_report) body += ",\"safety_report\":true";
    if (like.rent_arrears_months > 0) body += ",\"rent_arrears_months\":" + std::to_string(like.rent_arrears_months);
  }
  apply(event("need.open", body));
  waiting_.push_back(static_cast<int>(needs_.size()));
  needs_.push_back(std::move(s));
}

void Run::finish_or_start(int week) {
  const Model& m = engine_.model();
  for (std::size_t i = 0; i < needs_.size(); ++i) {
    SimNeed& s = needs_[i];
    if (s.done || s.referral.empty()) continue;
    if (!s.started && s.start_week == week) {
      apply(event("referral.start", "\"referral\":\"" + s.referral + "\""));
      s.started = true;
      SimNeed& root = needs_[static_cast<std::size_t>(s.root)];
      if (!s.follow_up && root.first_start_week < 0) {
        root.first_start_week = week;
        root.first_level = s.level;
      }
    }
    if (!s.started || s.end_week != week) continue;
    const bool step_down = rng_.chance(o_.step_down_share[static_cast<std::size_t>(s.level)]);
    apply(event("referral.end",
                "\"referral\":\"" + s.referral + "\",\"reason\":\"" + (step_down ? "32" : "goal_reached") + "\""));
    apply(event("need.close", "\"need\":\"" + s.key + "\""));
    s.done = true;
    s.referral.clear();
    if (step_down) {
      ++step_downs_;
      const Need n = m.needs[m.find_need(s.key)->index()];  // a copy: need.open grows the model's needs
      const int root = s.root;                              // before open_need, which may move needs_ (and `s`)
      open_need(n, std::min(5, n.severity + 1), week, true, root, false);
    }
  }
}

void Run::arrivals(int week, bool full) {
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    if (cells_[c].empty()) continue;
    const double rate =
        (o_.arrival_rates ? (*o_.arrival_rates)[c] : static_cast<double>(cells_[c].size()) / o_.mean_spell_weeks) *
        o_.arrival_scale;
    const int k = arrivals_rng_.poisson(rate);
    for (int i = 0; i < k; ++i) {
      const std::size_t like = cells_[c][arrivals_rng_.below(cells_[c].size())];
      const Need copy = engine_.model().needs[like];  // the model grows: no reference across open_need
      open_need(copy, copy.severity, week, false, 0, full);
    }
  }
}

void Run::place(int week) {
  std::vector<int> still;
  for (int idx : waiting_) {
    SimNeed& s = needs_[static_cast<std::size_t>(idx)];
    // Every option (with an exception an acceptable lower one may come late), no rejections.
    const Ranking r = engine_.rank(s.key, RankRequest{0, false, false});
    const Option* chosen = nullptr;
    for (const Option& opt : r.options)
      if (opt.acceptable && opt.waiting_position == 0) {
        chosen = &opt;
        break;
      }
    if (!chosen) {
      still.push_back(idx);
      continue;
    }
    const Model& m = engine_.model();
    const std::string ref = s.key + "-r" + std::to_string(++s.referrals);
    const std::string rbody = "\"referral\":\"" + ref + "\"";
    try {
      apply(event("referral.propose",
                  rbody + ",\"need\":\"" + s.key + "\",\"option\":\"" + option_label(m, *chosen) + "\""));
    } catch (const EventError&) {
      // The engine refused the option (a rule the ranking flags do not show); the need waits.
      still.push_back(idx);
      continue;
    }
    apply(event("referral.offer", rbody));
    const auto level = static_cast<std::size_t>(chosen->level);
    if (!rng_.chance(o_.accept_probability[level])) {
      apply(event("referral.decline", rbody + ",\"reason\":\"not_interested\""));
      ++declines_;
      still.push_back(idx);
      continue;
    }
    try {
      apply(event("referral.accept", rbody));
    } catch (const EventError&) {
      apply(event("referral.cancel", rbody));
      still.push_back(idx);
      continue;
    }
    s.referral = ref;
    s.level = chosen->level;
    s.started = false;
    const int wait_weeks = chosen->level == LadderLevel::own_network || !chosen->offer.valid()
                               ? 0
                               : (m.offers[chosen->offer.index()].waiting_days + 6) / 7;
    s.weekly_cost = chosen->level == LadderLevel::own_network || !chosen->offer.valid()
                        ? 0.0
                        : m.offers[chosen->offer.index()].cost_per_month * 12.0 / 52.0;
    s.start_week = week + wait_weeks;
    s.end_week = s.start_week + rng_.duration_weeks(o_.mean_duration_weeks[level]);
    if (wait_weeks == 0) {
      apply(event("referral.start", rbody));
      s.started = true;
      SimNeed& root = needs_[static_cast<std::size_t>(s.root)];
      if (!s.follow_up && root.first_start_week < 0) {
        root.first_start_week = week;
        root.first_level = s.level;
      }
    }
  }
  waiting_ = std::move(still);
}

void Run::check_invariants() const {
  const Model& m = engine_.model();
  for (const Offer& of : m.offers)
    if (of.occupancy < 0 || of.occupancy > of.seats)
      throw StateError("simulate: offer " + of.key + " holds " + std::to_string(of.occupancy) + " places of " +
                       std::to_string(of.seats));
  for (const Professional& p : m.professionals)
    if (p.caseload > p.caseload_cap) throw StateError("simulate: professional " + p.key + " is over the caseload cap");
  for (const Tie& t : m.ties)
    if (t.hours_used > t.hours_per_week + 1e-9) throw StateError("simulate: a tie gives more hours than it has");
  // Our own account of the places held must agree with the engine's.
  std::vector<int> held(m.offers.size(), 0);
  for (const SimNeed& s : needs_) {
    if (s.done || s.referral.empty()) continue;
    const auto ref = engine_.referral(s.referral);
    if (!ref || !ref->holds_place) throw StateError("simulate: referral " + s.referral + " holds no place");
    if (ref->target.offer.valid()) ++held[ref->target.offer.index()];
  }
  for (std::size_t i = 0; i < m.offers.size(); ++i)
    if (held[i] > m.offers[i].occupancy)
      throw StateError("simulate: offer " + m.offers[i].key + " has more referrals than places taken");
}

ReplicationResult Run::run(int policy, int replication) {
  for (int week = 0; week < o_.weeks; ++week) {
    today_ = date_text(o_.start + std::chrono::days{7 * week});
    churn_volunteers();
    const bool full = groups_full();
    if (full) ++full_weeks_;
    finish_or_start(week);
    arrivals(week, full);
    place(week);
    int caseload = 0;
    for (SimNeed& s : needs_) {
      if (s.done || !s.started) continue;
      if (is_professional_level(s.level)) ++caseload;
      s.cost += s.weekly_cost;
      cost_total_ += s.weekly_cost;
      if (s.follow_up) needs_[static_cast<std::size_t>(s.root)].cost += s.weekly_cost;
    }
    caseload_sum_ += caseload;
    if (o_.check_invariants) {
      check_invariants();
      ++checks_;
    }
    if (weeks_ && o_.progress) {
      if (weeks_->stop.load(std::memory_order_relaxed)) throw Cancelled();
      if (!o_.progress("simulate", ++weeks_->done, weeks_->total)) {
        weeks_->stop = true;
        throw Cancelled();
      }
    }
  }

  // Figures over the arrivals (follow-ups count in their root's trajectory).
  struct Acc {
    long long arrived = 0, served = 0, collective = 0;
    double wait_sum = 0.0, cost_sum = 0.0;
    double served_share() const { return arrived ? static_cast<double>(served) / static_cast<double>(arrived) : nan; }
    double wait_mean() const { return served ? wait_sum / static_cast<double>(served) : nan; }
    double share_collective() const {
      return served ? static_cast<double>(collective) / static_cast<double>(served) : nan;
    }
    double cost() const { return served ? cost_sum / static_cast<double>(served) : nan; }
  };
  Acc all;
  std::array<Acc, 3> band{};
  std::array<Acc, 2> fullness{};
  std::array<long long, ladder_level_count> by_level{};
  std::vector<double> waits;
  for (const SimNeed& s : needs_) {
    if (s.follow_up) continue;
    for (Acc* a : {&all, &band[static_cast<std::size_t>(s.band)], &fullness[s.groups_full_at_arrival ? 0 : 1]}) {
      ++a->arrived;
      if (s.first_start_week < 0) continue;
      ++a->served;
      a->wait_sum += s.first_start_week - s.arrival_week;
      a->cost_sum += s.cost;
      if (s.first_level == LadderLevel::collective) ++a->collective;
    }
    if (s.first_start_week >= 0) {
      waits.push_back(s.first_start_week - s.arrival_week);
      ++by_level[static_cast<std::size_t>(s.first_level)];
    }
  }
  std::sort(waits.begin(), waits.end());
  auto quantile = [&](double q) {  // nearest rank
    if (waits.empty()) return nan;
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(waits.size())));
    return waits[std::max<std::size_t>(k, 1) - 1];
  };
  ReplicationResult out;
  out.policy = policy;
  out.replication = replication;
  auto& v = out.values;
  v.push_back(static_cast<double>(all.arrived));
  v.push_back(all.served_share());
  v.push_back(quantile(0.5));
  v.push_back(quantile(0.9));
  v.push_back(all.wait_mean());
  for (std::size_t l = 0; l < ladder_level_count; ++l)
    v.push_back(all.served ? static_cast<double>(by_level[l]) / static_cast<double>(all.served) : nan);
  v.push_back(cost_total_ / (o_.weeks * 12.0 / 52.0));
  v.push_back(all.cost());
  v.push_back(caseload_sum_ / o_.weeks);
  v.push_back(declines_);
  v.push_back(step_downs_);
  v.push_back(static_cast<double>(full_weeks_) / o_.weeks);
  for (const Acc& a : band) {
    v.push_back(a.served_share());
    v.push_back(a.wait_mean());
    v.push_back(a.share_collective());
    v.push_back(a.cost());
  }
  for (const Acc& a : fullness) {
    v.push_back(static_cast<double>(a.arrived));
    v.push_back(a.wait_mean());
    v.push_back(a.share_collective());
    v.push_back(a.cost());
  }
  out.events = events_;
  out.invariant_checks = checks_;
  return out;
}

// Two-sided 95% quantile of Student's t for n - 1 degrees of freedom.
double t95(int df) {
  static constexpr std::array<double, 30> table{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                                2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                                2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1) return 0.0;
  if (df <= 30) return table[static_cast<std::size_t>(df - 1)];
  return 1.96 + 2.4 / df;  // within 0.01 of the t quantile beyond 30 degrees of freedom
}

std::string cell(const Estimate& e) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%.4g [%.4g, %.4g]", e.mean, e.low, e.high);
  return buf;
}

nlohmann::ordered_json number_or_null(double x) {
  return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
}

}  // namespace

ArrivalRates arrival_rates_from_needs(const Model& model, std::size_t first_need) {
  if (first_need >= model.needs.size()) throw InvalidArgument("arrival rates: no needs were opened to count");
  ArrivalRates rates{};
  Date lo = Date::max(), hi = Date::min();
  for (std::size_t i = first_need; i < model.needs.size(); ++i) {
    const Need& n = model.needs[i];
    rates[static_cast<std::size_t>(n.domain) * 5 + static_cast<std::size_t>(n.severity - 1)] += 1.0;
    lo = std::min(lo, n.since);
    hi = std::max(hi, n.since);
  }
  const double weeks = std::max(1.0, static_cast<double>((hi - lo).count() + 1) / 7.0);
  for (double& r : rates) r /= weeks;
  return rates;
}

const std::vector<std::string>& simulation_metrics() {
  static const std::vector<std::string> names = make_metric_names();
  return names;
}

namespace {

// The policy of one replication, after checking the options and both indexes: what every
// single-replication entry point needs before it runs.
Policy replication_policy(const Model& model, const SimulationOptions& options, int policy, int replication) {
  check_options(model, options);
  auto policies = policies_of(options);
  if (policy < 0 || policy >= static_cast<int>(policies.size()))
    throw InvalidArgument("simulate: policy index out of range");
  if (replication < 0 || replication >= options.replications)
    throw InvalidArgument("simulate: replication index out of range");
  return std::move(policies[static_cast<std::size_t>(policy)].policy);
}

}  // namespace

ReplicationResult simulate_replication(const Model& model, const SimulationOptions& options, int policy,
                                       int replication) {
  Run run(model, options, replication_policy(model, options, policy, replication), replication);
  return run.run(policy, replication);
}

MonitorReport simulate_monitor(const Model& model, const SimulationOptions& options, int policy, int replication,
                               const MonitorOptions& monitor_options) {
  Run run(model, options, replication_policy(model, options, policy, replication), replication);
  run.run(policy, replication);
  return monitor(run.engine(), monitor_options);
}

SimulationResult summarize(std::vector<std::string> policies, std::vector<ReplicationResult> replications, int weeks) {
  SimulationResult r;
  r.policies = std::move(policies);
  r.metrics = simulation_metrics();
  r.weeks = weeks;
  std::sort(replications.begin(), replications.end(), [](const auto& a, const auto& b) {
    return std::pair(a.policy, a.replication) < std::pair(b.policy, b.replication);
  });
  r.replications = std::move(replications);
  r.summary.assign(r.policies.size(), std::vector<Estimate>(r.metrics.size()));
  for (std::size_t p = 0; p < r.policies.size(); ++p)
    for (std::size_t k = 0; k < r.metrics.size(); ++k) {
      std::vector<double> xs;
      for (const auto& rep : r.replications)
        if (rep.policy == static_cast<int>(p) && k < rep.values.size() && std::isfinite(rep.values[k]))
          xs.push_back(rep.values[k]);
      Estimate& e = r.summary[p][k];
      e.n = static_cast<int>(xs.size());
      if (xs.empty()) {
        e.mean = e.low = e.high = nan;
        continue;
      }
      e.mean = std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
      double ss = 0.0;
      for (double x : xs) ss += (x - e.mean) * (x - e.mean);
      const double half =
          xs.size() > 1
              ? t95(e.n - 1) * std::sqrt(ss / static_cast<double>(xs.size() - 1) / static_cast<double>(xs.size()))
              : 0.0;
      e.low = e.mean - half;
      e.high = e.mean + half;
    }
  return r;
}

SimulationResult simulate(const Model& model, const SimulationOptions& options) {
  check_options(model, options);
  const auto policies = policies_of(options);
  const std::size_t tasks = policies.size() * static_cast<std::size_t>(options.replications);
  std::vector<ReplicationResult> results(tasks);
  std::vector<std::exception_ptr> errors(tasks);
  std::atomic<std::size_t> next{0};
  WeekCounter weeks;
  weeks.total = static_cast<std::int64_t>(tasks) * options.weeks;
  auto worker = [&] {
    for (std::size_t t = next++; t < tasks; t = next++) {
      const int p = static_cast<int>(t / static_cast<std::size_t>(options.replications));
      const int rep = static_cast<int>(t % static_cast<std::size_t>(options.replications));
      try {
        Run run(model, options, policies[static_cast<std::size_t>(p)].policy, rep, &weeks);
        results[t] = run.run(p, rep);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    }
  };
  const unsigned hw = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t n_threads =
      std::min<std::size_t>(tasks, options.threads > 0 ? static_cast<std::size_t>(options.threads) : hw);
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < n_threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& e : errors)  // the first failing task in task order: the same for any thread count
    if (e) std::rethrow_exception(e);
  std::vector<std::string> names;
  for (const auto& p : policies) names.push_back(p.name);
  return summarize(std::move(names), std::move(results), options.weeks);
}

std::string to_json(const SimulationResult& r, int indent) {
  using J = nlohmann::ordered_json;
  J j;
  j["format"] = "wijkmatch-simulation";
  j["weeks"] = r.weeks;
  j["policies"] = r.policies;
  j["metrics"] = r.metrics;
  J summary = J::array();
  for (std::size_t p = 0; p < r.policies.size(); ++p) {
    J s;
    s["policy"] = r.policies[p];
    J m = J::object();
    for (std::size_t k = 0; k < r.metrics.size(); ++k) {
      const Estimate& e = r.summary[p][k];
      m[r.metrics[k]] = {{"mean", number_or_null(e.mean)},
                         {"low", number_or_null(e.low)},
                         {"high", number_or_null(e.high)},
                         {"n", e.n}};
    }
    s["metrics"] = std::move(m);
    summary.push_back(std::move(s));
  }
  j["summary"] = std::move(summary);
  J reps = J::array();
  for (const auto& rep : r.replications) {
    J x;
    x["policy"] = r.policies.at(static_cast<std::size_t>(rep.policy));
    x["replication"] = rep.replication;
    x["events"] = rep.events;
    J v = J::array();
    for (double d : rep.values) v.push_back(number_or_null(d));
    x["values"] = std::move(v);
    reps.push_back(std::move(x));
  }
  j["replications"] = std::move(reps);
  return j.dump(indent) + "\n";
}

std::string to_text(const SimulationResult& r) {
  std::string out = "Simulation: " + std::to_string(r.weeks) + " weeks, mean [95% CI] over replications\n";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%-34s", "metric");
  out += buf;
  for (const auto& p : r.policies) {
    std::snprintf(buf, sizeof buf, " %-30s", p.c_str());
    out += buf;
  }
  out += "\n";
  for (std::size_t k = 0; k < r.metrics.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%-34s", r.metrics[k].c_str());
    out += buf;
    for (std::size_t p = 0; p < r.policies.size(); ++p) {
      const Estimate& e = r.summary[p][k];
      if (e.n == 0)
        std::snprintf(buf, sizeof buf, " %-30s", "-");
      else
        std::snprintf(buf, sizeof buf, " %-30s", cell(e).c_str());
      out += buf;
    }
    out += "\n";
  }
  return out;
}

}  // namespace wijkmatch
