#include "wijkmatch/groups.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <numeric>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "spatial_grid.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch {
namespace {

constexpr std::size_t slot_count = day_count * day_part_count;

// Needs are ranked in chunks: a Ranking carries every option and rejection with its reasons,
// and only one bit of it is kept here.
constexpr std::size_t rank_chunk = 2048;

void check_options(const ProposeGroupsOptions& o) {
  if (o.min_size < 2 || o.min_size > 1000) throw InvalidArgument("min_size must be from 2 to 1000");
  if (o.max_size < o.min_size || o.max_size > 1000) throw InvalidArgument("max_size must be from min_size to 1000");
  if (!(o.radius_m > 0.0) || !std::isfinite(o.radius_m)) throw InvalidArgument("radius_m must be positive");
  if (!(o.venue_snap_m >= 0.0) || !std::isfinite(o.venue_snap_m))
    throw InvalidArgument("venue_snap_m must be zero or more");
  if (o.max_helpers < 0 || o.max_helpers > 100) throw InvalidArgument("max_helpers must be from 0 to 100");
  if (o.threads < 0) throw InvalidArgument("threads must be zero or more");
}

bool speaks(const std::vector<std::string>& languages, std::string_view language) {
  return std::find(languages.begin(), languages.end(), language) != languages.end();
}

// Weiszfeld's iteration for the point that minimises the summed straight-line distance. It
// starts at the centroid; a home the iterate lands on is skipped for that step (the usual
// safeguard), which is enough here: the result only has to be a good meeting place.
Location geometric_median(const std::vector<Location>& points) {
  Location at{};
  for (const auto& p : points) {
    at.x_m += p.x_m;
    at.y_m += p.y_m;
  }
  at.x_m /= static_cast<double>(points.size());
  at.y_m /= static_cast<double>(points.size());
  for (int iteration = 0; iteration < 200; ++iteration) {
    double wx = 0.0, wy = 0.0, w = 0.0;
    for (const auto& p : points) {
      const double d = distance_m(at, p);
      if (d < 1e-6) continue;
      wx += p.x_m / d;
      wy += p.y_m / d;
      w += 1.0 / d;
    }
    if (w == 0.0) break;
    const Location next{wx / w, wy / w};
    const double moved = distance_m(at, next);
    at = next;
    if (moved < 0.01) break;
  }
  return at;
}

// Whether each open need has an acceptable collective option with a free seat, or should not
// be grouped at all (an exception rule fired). Indexed like model.needs.
std::vector<char> unanswered_needs(const Model& model, const ProposeGroupsOptions& options, int& open) {
  std::vector<NeedId> ids;
  for (std::size_t n = 0; n < model.needs.size(); ++n)
    if (model.needs[n].status == NeedStatus::open) ids.emplace_back(static_cast<NeedId::value_type>(n));
  open = static_cast<int>(ids.size());
  std::vector<char> unanswered(model.needs.size(), 0);
  const Ranker ranker(model, options.policy);
  for (std::size_t begin = 0; begin < ids.size(); begin += rank_chunk) {
    const std::size_t end = std::min(ids.size(), begin + rank_chunk);
    // Every option (an acceptable collective one may come after own-network ones); no sentences.
    const auto rankings = ranker.rank_many(std::span<const NeedId>(ids.data() + begin, end - begin), options.threads,
                                           {}, RankRequest{0, false, false});
    for (const auto& r : rankings) {
      const Need& need = model[r.need];
      if (r.exception || model[need.resident].group_averse) continue;
      const bool answered = std::any_of(r.options.begin(), r.options.end(), [](const Option& o) {
        return o.level == LadderLevel::collective && o.acceptable;
      });
      if (!answered) unanswered[r.need.index()] = 1;
    }
  }
  return unanswered;
}

struct Entry {
  std::uint64_t bucket;
  std::uint32_t need;
};

// Everything propose_groups looks up around a venue.
class Surroundings {
 public:
  Surroundings(const Model& model, const ProposeGroupsOptions& options) : model_(model), options_(options) {
    offers_ = detail::SpatialGrid(std::max(options.venue_snap_m, 100.0));
    for (std::uint32_t o = 0; o < model.offers.size(); ++o) offers_.insert(model.offers[o].location, o);
    for (std::size_t d = 0; d < life_domain_count; ++d) {
      double widest = 0.0;
      for (const auto& r : model.residents)
        if (r.offers_help && r.offers_help->domains.contains(static_cast<LifeDomain>(d)))
          widest = std::max(widest, r.offers_help->radius_m);
      help_radius_[d] = widest;
      // Cells a quarter of the widest help radius: a query touches at most about 81 cells.
      helpers_[d] = detail::SpatialGrid(std::max(widest / 4.0, options.radius_m));
    }
    for (std::uint32_t r = 0; r < model.residents.size(); ++r) {
      const auto& help = model.residents[r].offers_help;
      if (!help || !(help->hours_per_week > 0.0)) continue;
      for (std::size_t d = 0; d < life_domain_count; ++d)
        if (help->domains.contains(static_cast<LifeDomain>(d))) helpers_[d].insert(model.residents[r].location, r);
    }
    for (std::uint32_t p = 0; p < model.professionals.size(); ++p)
      for (const auto& area : model.professionals[p].work_area) working_in_[area].push_back(p);
  }

  std::optional<OfferId> nearest_offer(Location at) const {
    std::optional<OfferId> best;
    double best_d = 0.0;
    offers_.query(at, options_.venue_snap_m, [&](std::uint32_t o) {
      const double d = distance_m(at, model_.offers[o].location);
      if (d > options_.venue_snap_m) return;
      if (!best || d < best_d || (d == best_d && o < best->index())) {
        best = OfferId(o);
        best_d = d;
      }
    });
    return best;
  }

  std::vector<ResidentId> helpers(const ProposedGroup& g) const {
    const auto d = static_cast<std::size_t>(g.domain);
    std::vector<std::pair<double, std::uint32_t>> found;
    helpers_[d].query(g.venue, help_radius_[d], [&](std::uint32_t r) {
      const Resident& res = model_.residents[r];
      const double dist = distance_m(res.location, g.venue);
      if (dist > res.offers_help->radius_m || !speaks(res.languages, g.language)) return;
      if (!res.offers_help->day_parts.empty() && !res.offers_help->day_parts.contains(g.day, g.part)) return;
      found.emplace_back(dist, r);
    });
    std::sort(found.begin(), found.end());
    std::vector<ResidentId> out;
    for (std::size_t i = 0; i < found.size() && static_cast<int>(i) < options_.max_helpers; ++i)
      out.emplace_back(found[i].second);
    return out;
  }

  std::optional<ProfessionalId> professional(const ProposedGroup& g) const {
    auto it = working_in_.find(g.neighbourhood);
    if (it == working_in_.end()) return std::nullopt;
    std::optional<std::uint32_t> best;
    auto better = [&](std::uint32_t a, std::uint32_t b) {
      const auto& pa = model_.professionals[a];
      const auto& pb = model_.professionals[b];
      const bool la = speaks(pa.languages, g.language), lb = speaks(pb.languages, g.language);
      if (la != lb) return la;
      if (pa.caseload_room() != pb.caseload_room()) return pa.caseload_room() > pb.caseload_room();
      return a < b;
    };
    for (auto p : it->second) {
      const auto& pro = model_.professionals[p];
      if (!pro.specialisms.contains(g.domain) || pro.caseload_room() <= 0) continue;
      if (!best || better(p, *best)) best = p;
    }
    if (!best) return std::nullopt;
    return ProfessionalId(*best);
  }

 private:
  const Model& model_;
  const ProposeGroupsOptions& options_;
  detail::SpatialGrid offers_;
  std::array<detail::SpatialGrid, life_domain_count> helpers_;
  std::array<double, life_domain_count> help_radius_{};
  std::unordered_map<std::string, std::vector<std::uint32_t>> working_in_;
};

std::vector<ProposedGroup> cluster(const Model& model, const ProposeGroupsOptions& options,
                                   const std::vector<char>& unanswered) {
  // Languages get dense ids in sorted order, so that bucket order does not depend on the
  // order residents list them.
  std::vector<std::string> languages;
  for (std::size_t n = 0; n < model.needs.size(); ++n)
    if (unanswered[n])
      for (const auto& l : model[model.needs[n].resident].languages) languages.push_back(l);
  std::sort(languages.begin(), languages.end());
  languages.erase(std::unique(languages.begin(), languages.end()), languages.end());
  auto language_id = [&](const std::string& l) {
    return static_cast<std::uint64_t>(std::lower_bound(languages.begin(), languages.end(), l) - languages.begin());
  };
  const std::uint64_t language_count = std::max<std::uint64_t>(languages.size(), 1);

  std::vector<Entry> entries;
  for (std::uint32_t n = 0; n < model.needs.size(); ++n) {
    if (!unanswered[n]) continue;
    const Need& need = model.needs[n];
    const Resident& res = model[need.resident];
    for (const auto& l : res.languages)
      for (std::size_t slot = 0; slot < slot_count; ++slot)
        if (res.availability.bits >> slot & 1U) {
          const std::uint64_t key =
              (static_cast<std::uint64_t>(need.domain) * language_count + language_id(l)) * slot_count + slot;
          entries.push_back({key, n});
        }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.bucket != b.bucket ? a.bucket < b.bucket : a.need < b.need;
  });
  struct Bucket {
    std::uint64_t key;
    std::size_t begin, end;
  };
  std::vector<Bucket> buckets;
  for (std::size_t i = 0; i < entries.size();) {
    std::size_t j = i;
    while (j < entries.size() && entries[j].bucket == entries[i].bucket) ++j;
    if (j - i >= static_cast<std::size_t>(options.min_size)) buckets.push_back({entries[i].bucket, i, j});
    i = j;
  }
  std::stable_sort(buckets.begin(), buckets.end(),
                   [](const Bucket& a, const Bucket& b) { return a.end - a.begin > b.end - b.begin; });

  const Surroundings around(model, options);
  std::vector<char> taken(model.needs.size(), 0);
  std::vector<ProposedGroup> groups;
  const double cell = options.radius_m;
  auto cell_key = [cell](Location at) {
    const auto x = static_cast<std::int64_t>(std::floor(at.x_m / cell));
    const auto y = static_cast<std::int64_t>(std::floor(at.y_m / cell));
    return (static_cast<std::uint64_t>(x) << 32) ^ static_cast<std::uint64_t>(y & 0xffffffff);
  };
  for (const auto& b : buckets) {
    const auto slot = static_cast<std::size_t>(b.key % slot_count);
    const std::string& language = languages[static_cast<std::size_t>(b.key / slot_count % language_count)];
    const auto domain = static_cast<LifeDomain>(b.key / slot_count / language_count);
    detail::SpatialGrid grid(cell);
    std::vector<std::uint32_t> seeds;
    std::unordered_map<std::uint64_t, std::uint32_t> per_cell;
    for (std::size_t i = b.begin; i < b.end; ++i) {
      const auto n = entries[i].need;
      if (taken[n]) continue;
      const Location at = model[model.needs[n].resident].location;
      grid.insert(at, n);
      seeds.push_back(n);
      ++per_cell[cell_key(at)];
    }
    if (seeds.size() < static_cast<std::size_t>(options.min_size)) continue;
    // Densest cell first: a seed there finds a full group where one exists. The count only
    // orders the seeds; lookups go through the grid.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> order;  // (count, need)
    order.reserve(seeds.size());
    for (auto n : seeds) order.emplace_back(per_cell[cell_key(model[model.needs[n].resident].location)], n);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });

    for (const auto& [count, seed] : order) {
      if (taken[seed]) continue;
      const Location centre = model[model.needs[seed].resident].location;
      std::vector<std::pair<double, std::uint32_t>> near;
      grid.query(centre, options.radius_m, [&](std::uint32_t n) {
        if (taken[n]) return;
        const double d = distance_m(centre, model[model.needs[n].resident].location);
        if (d <= options.radius_m) near.emplace_back(d, n);
      });
      if (near.size() < static_cast<std::size_t>(options.min_size)) continue;
      std::sort(near.begin(), near.end());
      if (near.size() > static_cast<std::size_t>(options.max_size)) near.resize(options.max_size);

      ProposedGroup g;
      g.domain = domain;
      g.day = slot / day_part_count;
      g.part = static_cast<DayPart>(slot % day_part_count);
      g.language = language;
      std::vector<Location> homes;
      for (const auto& [d, n] : near) homes.push_back(model[model.needs[n].resident].location);
      g.median = geometric_median(homes);
      g.venue_of = around.nearest_offer(g.median);
      g.venue = g.venue_of ? model[*g.venue_of].location : g.median;
      double total = 0.0;
      for (const auto& [d, n] : near) {
        const Resident& res = model[model.needs[n].resident];
        const double to_venue = distance_m(res.location, g.venue);
        if (to_venue > res.max_travel_m) continue;
        g.needs.emplace_back(n);
        total += to_venue;
      }
      if (g.needs.size() < static_cast<std::size_t>(options.min_size)) continue;
      g.mean_distance_m = total / static_cast<double>(g.needs.size());
      if (g.venue_of) {
        g.neighbourhood = model[*g.venue_of].neighbourhood;
      } else {
        // The neighbourhood of the home nearest the venue.
        const auto nearest = std::min_element(g.needs.begin(), g.needs.end(), [&](NeedId a, NeedId b) {
          const double da = distance_m(model[model[a].resident].location, g.venue);
          const double db = distance_m(model[model[b].resident].location, g.venue);
          return da != db ? da < db : a.index() < b.index();
        });
        g.neighbourhood = model[model[*nearest].resident].neighbourhood;
      }
      for (auto n : g.needs) taken[n.index()] = 1;
      g.helpers = around.helpers(g);
      g.professional = around.professional(g);
      groups.push_back(std::move(g));
    }
  }
  // Keys in proposal order, never one the model already has.
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string key = "proposed-" + std::to_string(i + 1);
    while (model.find_offer(key)) key += "x";
    groups[i].key = std::move(key);
  }
  return groups;
}

AllocateOptions allocate_options(const ProposeGroupsOptions& options) {
  AllocateOptions a;
  a.policy = options.policy;
  a.threads = options.threads;
  return a;
}

// Per group: the needs in reach of its venue are opened in a copy where every other need is
// set aside, and allocated without and with the group (see the header). Most of the cost of
// one such allocation is the ranking indexes over the whole model, so groups are measured on
// `threads` workers, each with its own copy; each result lands in its group's slot, so the
// output does not depend on the thread count.
void measure_each(const Model& model, const ProposeGroupsOptions& options, std::vector<ProposedGroup>& groups) {
  if (groups.empty()) return;
  AllocateOptions alloc = allocate_options(options);
  alloc.threads = 1;  // the workers are the parallelism
  Model base = model;
  std::array<detail::SpatialGrid, life_domain_count> open_needs;
  double widest = 0.0;
  for (const auto& r : model.residents)
    widest = std::max(widest, candidate_radius_m(r, LadderLevel::collective, options.policy));
  for (auto& g : open_needs) g = detail::SpatialGrid(std::max(widest, 100.0));
  for (std::uint32_t n = 0; n < model.needs.size(); ++n) {
    if (model.needs[n].status != NeedStatus::open) continue;
    open_needs[static_cast<std::size_t>(model.needs[n].domain)].insert(model[model.needs[n].resident].location, n);
    base.needs[n].status = NeedStatus::closed;
  }
  auto measure = [&](Model& work, ProposedGroup& g) {
    std::vector<std::uint32_t> in_reach;
    open_needs[static_cast<std::size_t>(g.domain)].query(g.venue, widest, [&](std::uint32_t n) {
      const Resident& res = model[model.needs[n].resident];
      if (distance_m(res.location, g.venue) <= candidate_radius_m(res, LadderLevel::collective, options.policy))
        in_reach.push_back(n);
    });
    for (auto n : in_reach) work.needs[n].status = NeedStatus::open;
    const long long before = allocate(work, alloc).objective.ladder_steps;
    work.offers.push_back(proposed_group_offer(model, g, options.min_size));
    const long long after = allocate(work, alloc).objective.ladder_steps;
    work.offers.pop_back();
    for (auto n : in_reach) work.needs[n].status = NeedStatus::closed;
    g.saved_ladder_steps = before - after;
    g.needs_in_reach = static_cast<int>(in_reach.size());
  };
  std::size_t workers = options.threads > 0 ? static_cast<std::size_t>(options.threads)
                                            : std::max(1U, std::thread::hardware_concurrency());
  workers = std::min(workers, groups.size());
  if (workers <= 1) {
    for (auto& g : groups) measure(base, g);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failed(workers);
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      try {
        Model work = base;
        for (std::size_t i = next++; i < groups.size(); i = next++) measure(work, groups[i]);
      } catch (...) {
        failed[w] = std::current_exception();
        next = groups.size();
      }
    });
  for (auto& t : pool) t.join();
  for (auto& f : failed)
    if (f) std::rethrow_exception(f);
}

}  // namespace

Offer proposed_group_offer(const Model& model, const ProposedGroup& g, int min_size) {
  (void)model;
  Offer o;
  o.key = g.key;
  o.kind = "proposed_group";
  o.level = LadderLevel::collective;
  o.fit[static_cast<std::size_t>(g.domain)] = 1.0;
  o.seats = static_cast<int>(g.needs.size());
  o.min_group_size = std::min(min_size, o.seats);
  o.schedule.insert(g.day, g.part);
  o.location = g.venue;
  o.neighbourhood = g.neighbourhood;
  o.languages = {g.language};
  return o;
}

Model with_proposed_groups(const Model& model, const GroupProposals& proposals, int min_size) {
  Model out = model;
  for (const auto& g : proposals.groups) out.offers.push_back(proposed_group_offer(model, g, min_size));
  out.rebuild_index();
  return out;
}

GroupProposals propose_groups(const Model& model, const ProposeGroupsOptions& options) {
  check_options(options);
  GroupProposals result;
  const auto unanswered = unanswered_needs(model, options, result.open_needs);
  result.unanswered = static_cast<int>(std::count(unanswered.begin(), unanswered.end(), 1));
  result.groups = cluster(model, options, unanswered);
  if (!options.measure) return result;
  const AllocateOptions alloc = allocate_options(options);
  const auto before = allocate(model, alloc).objective;
  const auto after = allocate(with_proposed_groups(model, result, options.min_size), alloc).objective;
  result.measured = true;
  result.ladder_steps_before = before.ladder_steps;
  result.ladder_steps_after = after.ladder_steps;
  result.served_before = before.served;
  result.served_after = after.served;
  measure_each(model, options, result.groups);
  return result;
}

namespace {

nlohmann::ordered_json point(Location at) {
  nlohmann::ordered_json j;
  j["x_m"] = std::round(at.x_m * 10.0) / 10.0;
  j["y_m"] = std::round(at.y_m * 10.0) / 10.0;
  return j;
}

}  // namespace

std::string group_proposals_to_json(const Model& model, const GroupProposals& p, int indent) {
  nlohmann::ordered_json j;
  j["open_needs"] = p.open_needs;
  j["unanswered_needs"] = p.unanswered;
  j["measured"] = p.measured;
  if (p.measured) {
    j["ladder_steps_before"] = p.ladder_steps_before;
    j["ladder_steps_after"] = p.ladder_steps_after;
    j["saved_ladder_steps"] = p.ladder_steps_before - p.ladder_steps_after;
    j["served_before"] = p.served_before;
    j["served_after"] = p.served_after;
  }
  auto& groups = j["groups"] = nlohmann::ordered_json::array();
  for (const auto& g : p.groups) {
    nlohmann::ordered_json o;
    o["key"] = g.key;
    o["domain"] = to_string(g.domain);
    o["day"] = day_name(g.day);
    o["day_part"] = to_string(g.part);
    o["language"] = g.language;
    auto venue = point(g.venue);
    venue["offer"] = g.venue_of ? nlohmann::ordered_json(model[*g.venue_of].key) : nlohmann::ordered_json();
    venue["neighbourhood"] = g.neighbourhood;
    o["venue"] = venue;
    o["median"] = point(g.median);
    o["size"] = g.needs.size();
    o["mean_distance_m"] = std::round(g.mean_distance_m);
    auto& needs = o["needs"] = nlohmann::ordered_json::array();
    for (auto n : g.needs) needs.push_back(model[n].key);
    auto& helpers = o["helpers"] = nlohmann::ordered_json::array();
    for (auto r : g.helpers) helpers.push_back(model[r].key);
    o["professional"] = g.professional ? nlohmann::ordered_json(model[*g.professional].key) : nlohmann::ordered_json();
    if (p.measured) {
      o["saved_ladder_steps"] = g.saved_ladder_steps;
      o["needs_in_reach"] = g.needs_in_reach;
    }
    groups.push_back(std::move(o));
  }
  return j.dump(indent) + "\n";
}

std::string group_proposals_to_text(const Model& model, const GroupProposals& p) {
  std::ostringstream out;
  out << p.open_needs << " open needs, " << p.unanswered << " without a collective option with room; "
      << p.groups.size() << " new group" << (p.groups.size() == 1 ? "" : "s") << " proposed\n";
  if (p.measured)
    out << "ladder steps: " << p.ladder_steps_before << " now, " << p.ladder_steps_after << " with every group ("
        << p.ladder_steps_before - p.ladder_steps_after << " saved); served " << p.served_before << " -> "
        << p.served_after << "\n";
  for (const auto& g : p.groups) {
    out << "\n"
        << g.key << ": " << to_string(g.domain) << ", " << day_name(g.day) << " " << to_string(g.part) << ", in "
        << g.language << ", " << g.needs.size() << " needs\n";
    out << "  venue: ";
    if (g.venue_of)
      out << "at " << model[*g.venue_of].key;
    else
      out << "a new place";
    out << " (" << std::lround(g.venue.x_m) << ", " << std::lround(g.venue.y_m) << ") in " << g.neighbourhood
        << ", on average " << std::lround(g.mean_distance_m) << " m from home\n";
    out << "  needs:";
    for (auto n : g.needs) out << " " << model[n].key;
    out << "\n  could run it:";
    if (g.helpers.empty()) out << " nobody who offered help nearby";
    for (auto r : g.helpers) out << " " << model[r].key;
    out << "\n  could start it: "
        << (g.professional ? model[*g.professional].key : std::string("no professional with room")) << "\n";
    if (p.measured)
      out << "  saves " << g.saved_ladder_steps << " ladder steps (allocated again, " << g.needs_in_reach
          << " needs in reach)\n";
  }
  return out.str();
}

}  // namespace wijkmatch
