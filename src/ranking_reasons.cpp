// Ranking, reasons: every sentence a professional reads out to a resident. Nobody is named:
// relations are described ("a neighbour of yours"), offers go by their key.
// See src/ranking_detail.hpp.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "json_util.hpp"
#include "ranking_detail.hpp"

namespace wijkmatch::detail {
namespace {

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

// Who runs a resident initiative, in the words a professional reads out.
std::string initiative_text(const Offer& offer) {
  std::string out = "run by people from your neighbourhood";
  if (offer.initiative) switch (offer.initiative->status) {
      case InitiativeStatus::idea: out += " (still an idea, not yet meeting)"; break;
      case InitiativeStatus::starting: out += " (just starting)"; break;
      case InitiativeStatus::paused: out += " (paused for now)"; break;
      case InitiativeStatus::ended: out += " (ended)"; break;
      case InitiativeStatus::running: break;
    }
  return out;
}

// Why fewer places count than the offer has, if they do (see effective_seats).
std::string fewer_places_text(const Offer& offer, int seats) {
  if (seats >= offer.seats) return {};
  if (offer.initiative && offer.initiative->status != InitiativeStatus::starting &&
      offer.initiative->status != InitiativeStatus::running)
    return "no places while the initiative is " + std::string(to_string(offer.initiative->status));
  return "its volunteers' hours carry " + std::to_string(seats) + " of its " + std::to_string(offer.seats) + " places";
}

}  // namespace

// Locale-free and allocation-light: reasons are built for every candidate of every need.
std::string fixed(double v, int digits) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

std::string metres(double m) { return std::to_string(static_cast<long long>(std::lround(m))) + " m"; }

std::string exception_reason(const ExceptionRule& rule, const Need& n, std::string_view override_reason) {
  switch (rule.kind) {
    case ExceptionKind::crisis:
      return n.crisis ? "the team marked this need as a crisis" : "severity 1 (acute problems)";
    case ExceptionKind::safety_report: return "a report to Veilig Thuis (safety at home) was made";
    case ExceptionKind::rent_arrears:
      return "rent arrears of " + std::to_string(n.rent_arrears_months) + " months (rule: at least " +
             std::to_string(rule.min_months) + "): next month's rent cannot be paid either";
    case ExceptionKind::override_: return "professional override: " + std::string(override_reason);
    case ExceptionKind::severity:
      return "severity " + std::to_string(n.severity) + " (rule: at most " + std::to_string(rule.max_severity) +
             "): the policy sends these needs to this level first";
  }
  return {};
}

std::string offer_rejection(RejectReason why, const Offer& offer, const Need& need, const Resident& res,
                            const OfferCandidate& where) {
  switch (why) {
    case RejectReason::care_avoider: return "care avoider: the resident refuses contact with professionals";
    case RejectReason::group_averse: return "group-averse: the resident does not want group activities";
    case RejectReason::too_far:
      return "too far: " + metres(where.distance_m) + " from home, limit " + metres(where.limit_m);
    case RejectReason::no_shared_day_part:
      return "no shared day-part: meets " + schedule_text(offer.schedule) + "; the resident is not available then";
    case RejectReason::language:
      return "language: offered in " + list_text(offer.languages) + "; the resident speaks " + list_text(res.languages);
    case RejectReason::age: return "age: not for age band " + std::string(to_string(res.age_band));
    case RejectReason::severity_out_of_range:
      return "severity " + std::to_string(need.severity) + " outside " +
             std::to_string(offer.eligibility.severity_min) + " to " + std::to_string(offer.eligibility.severity_max);
    default: return std::string(to_string(why));  // not an offer condition
  }
}

std::string tie_rejection(RejectReason why, const Tie& tie, double hours_given, const Policy& policy) {
  if (why == RejectReason::helper_overloaded)
    return "helper overloaded: already gives " + fixed(hours_given, 1) + " hours a week (limit " +
           fixed(policy.overloaded_helper_hours, 0) + ")";
  if (why == RejectReason::no_hours_left)
    return "no hours left: the " + fixed(tie.hours_per_week, 1) + " hours a week are in use";
  return std::string(to_string(why));  // not a tie condition
}

std::string referral_rejection(LadderLevel lowest_free_level) {
  return "referral needed: an acceptable " + std::string(to_string(lowest_free_level)) +
         " option comes first on the ladder";
}

void offer_reasons(Option& opt, const Offer& offer, LifeDomain domain, const OfferCandidate& where, float schedule,
                   float language, std::optional<TieKind> social_proof) {
  opt.reasons.push_back("serves " + std::string(to_string(domain)) + " (fit " +
                        fixed(offer.fit[static_cast<std::size_t>(domain)], 1) + ")");
  if (offer.resident_initiative()) opt.reasons.push_back(initiative_text(offer));
  if (offer.level == LadderLevel::collective)
    opt.reasons.push_back(metres(where.distance_m) + " from home, within the " + metres(where.limit_m) +
                          " the resident can travel");
  opt.reasons.push_back(offer.schedule.empty() ? std::string("by appointment")
                                               : "meets " + schedule_text(offer.schedule) +
                                                     (schedule >= 1.0F ? "; the resident is free then"
                                                                       : "; the resident is free for part of it"));
  opt.reasons.push_back(language == 1.0F ? "in the resident's first language" : "in a language the resident speaks");
  if (social_proof) opt.reasons.push_back(std::string(relation_text(*social_proof)) + " goes there");
  const int seats = effective_seats(offer);
  const std::string fewer = fewer_places_text(offer, seats);
  if (opt.waiting_position == 0)
    opt.reasons.push_back(std::to_string(offer.free_seats()) + " of " + std::to_string(seats) + " places free" +
                          (fewer.empty() ? std::string() : " (" + fewer + ")"));
  else
    opt.reasons.push_back(
        "full" + (fewer.empty() ? std::string() : " (" + fewer + ")") + ": first on the waiting list" +
        (offer.waiting_days > 0 ? ", expected wait about " + std::to_string(offer.waiting_days) + " days"
                                : std::string()));
  if (opt.waiting_position == 0 && offer.waiting_days > 0)
    opt.reasons.push_back("starts in about " + std::to_string(offer.waiting_days) + " days");
  opt.reasons.push_back(offer.cost_per_month <= 0.0 ? std::string("free of charge")
                                                    : "costs " + fixed(offer.cost_per_month, 0) + " euro a month");
}

void stale_reason(Option& opt, const Offer& offer, const Policy& policy) {
  if (!offer.confirmed || policy.stale_after_days <= 0) return;
  // Without a policy date the stale check follows the calendar, as a front desk would.
  const Date today =
      policy.today ? *policy.today : std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  if (today - *offer.confirmed > std::chrono::days{policy.stale_after_days})
    opt.reasons.push_back("stale: not confirmed since " + format_date(*offer.confirmed) + " (more than " +
                          std::to_string(policy.stale_after_days) + " days); check its places before referring");
}

void tie_reasons(Option& opt, const Tie& tie, LifeDomain domain) {
  opt.reasons.push_back(std::string(helper_text(tie.kind)) + " can help with " + std::string(to_string(domain)));
  opt.reasons.push_back(fixed(tie.hours_left(), 1) + " of " + fixed(tie.hours_per_week, 1) + " hours a week left");
  opt.reasons.push_back("free of charge, no waiting");
}

void introduction_reasons(Option& opt, LifeDomain domain, double factor) {
  opt.reasons.push_back("introduction through someone you know: a person in their network already helps with " +
                        std::string(to_string(domain)));
  opt.reasons.push_back("weaker than your own ties (factor " + fixed(factor, 1) + ")");
}

std::string unmet_reason(const Model& model, const Policy& policy, UnmetReason why, LadderLevel level,
                         std::span<const Option* const> options, std::span<const Rejection> rejected) {
  const std::string at = std::string(to_string(level)) + " level or above";
  auto waiting_text = [&](const Option& o) {
    const int days = o.offer.valid() ? model[o.offer].waiting_days : 0;
    return option_label(model, o) + " is full (number " + std::to_string(o.waiting_position) + " on the waiting list" +
           (days > 0 ? ", expected wait about " + std::to_string(days) + " days" : std::string()) + ")";
  };
  std::vector<std::string> items;
  std::string out;
  switch (why) {
    case UnmetReason::nothing_within_reach: return "nothing at " + at + " serves this need within reach";
    case UnmetReason::all_rejected:
      out = "everything at " + at + " was rejected: ";
      for (const auto& x : rejected) {
        Option tmp;
        tmp.offer = x.offer;
        tmp.tie = x.tie;
        tmp.neighbour = x.neighbour;
        items.push_back(option_label(model, tmp) + " (" + std::string(to_string(x.failed)) + ")");
      }
      break;
    case UnmetReason::all_full:
      out = "everything at " + at + " is full: ";
      for (const Option* o : options) items.push_back(waiting_text(*o));
      break;
    case UnmetReason::below_acceptable_score:
      out = "nothing at " + at + " scores the acceptable " + fixed(policy.acceptable_score, 2) + ": ";
      for (const Option* o : options)
        items.push_back(o->waiting_position > 0 ? waiting_text(*o)
                                                : option_label(model, *o) + " scores " + fixed(o->score, 2));
      break;
  }
  // A sentence to read out, not a list to scroll: the first few, and how many more.
  constexpr std::size_t shown = 5;
  for (std::size_t i = 0; i < std::min(shown, items.size()); ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > shown) out += " and " + std::to_string(items.size() - shown) + " more";
  return out;
}

std::string declined_rejection(std::string_view reason_code) {
  return "declined earlier for this need (" + std::string(reason_code) + "); proposed again after the need changes";
}

}  // namespace wijkmatch::detail
