// The live engine: one neighbourhood that follows events as they happen, with the lifecycle of
// every proposal, an account of every step up the ladder, the household's own plan, and a
// durable journal. See docs/engine.md for the events, states, reason codes and the journal.
//
// Events are JSON documents (one per line in a JSON Lines file; schema/wijkmatch-events-v1.schema.json):
//   {"id": "desk-0001", "type": "need.open", "at": "2026-11-30", "need": "N-77", "resident": "R-12", ...}
// `id` is the caller's id: the same id twice applies once, so a case system may retry freely.
// An event that is malformed, names an unknown key or asks for an invalid transition is refused
// with EventError ("event <id>: <pointer>: reason") and changes nothing.
//
// Threads: any number of threads may call the const members (rank, audit, referral, ...)
// while one thread applies events. The engine holds a reader-writer lock: a reader sees the
// state before or after an event, never half of one; apply() waits for running readers.
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/allocation.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/plan.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch {

/// A refused event. `event_id` is the caller's id ("" when the event had none), `problem`
/// locates the field within the event. what() is "event <id>: <pointer>: <reason>".
class EventError : public InputError {
 public:
  EventError(std::string event_id, Problem problem);
  const std::string& event_id() const noexcept { return event_id_; }
  const char* what() const noexcept override;

 private:
  std::string event_id_;
  std::string message_;
};

/// The lifecycle of one proposal for one need:
///   proposed -> offered -> accepted -> started -> ended, with on_hold <-> started;
///   proposed | offered -> declined; proposed | offered | accepted -> expired;
///   any state before ended -> cancelled; any state -> entered_in_error.
enum class ReferralState : std::uint8_t {
  proposed,          ///< the team has chosen the option for the need
  offered,           ///< the option was put to the resident
  accepted,          ///< the resident said yes: the place (seat, hours, caseload) is held
  declined,          ///< the resident (or the provider, no_capacity) said no; reason code kept
  expired,           ///< no answer or no start in time; a held place is released
  started,           ///< taking part / support started
  on_hold,           ///< paused; the place stays held
  ended,             ///< finished, with an ending code; the place is released
  cancelled,         ///< withdrawn by the team; a held place is released
  entered_in_error,  ///< recorded by mistake; a held place is released
};
inline constexpr std::size_t referral_state_count = 10;
std::string_view to_string(ReferralState) noexcept;
std::optional<ReferralState> parse_referral_state(std::string_view) noexcept;
/// The FHIR R4 Task.status the SDOH Clinical Care referral IG uses for the state: proposed and
/// offered -> "requested", accepted -> "accepted", declined -> "rejected", expired -> "failed",
/// started -> "in-progress", on_hold -> "on-hold", ended -> "completed", cancelled ->
/// "cancelled", entered_in_error -> "entered-in-error". O(1).
std::string_view fhir_task_status(ReferralState) noexcept;
/// True for declined, expired, ended, cancelled and entered_in_error. O(1).
bool is_terminal(ReferralState) noexcept;

/// Why a resident (or, for no_capacity, the provider) said no. Codes, never free text.
enum class DeclineReason : std::uint8_t {
  not_interested,
  schedule,
  distance,
  language,
  group_averse,
  no_capacity,  ///< the provider's side: no place after all
  no_contact,   ///< the resident could not be reached
  other,
};
inline constexpr std::size_t decline_reason_count = 8;
std::string_view to_string(DeclineReason) noexcept;
std::optional<DeclineReason> parse_decline_reason(std::string_view) noexcept;

/// Why support ended: the iWmo "reden beeindiging" codes that fit, plus goal_reached.
/// Written in events as the code ("02", "32", ...) or "goal_reached".
enum class EndingReason : std::uint8_t {
  death,                  ///< 02
  delivery_ended,         ///< 19
  delivery_ended_early,   ///< 20
  moved,                  ///< 31
  general_basic_support,  ///< 32: continued in general basic support, the step down to collective
  continued_zvw,          ///< 33: continued under the Zorgverzekeringswet
  continued_wlz,          ///< 34: continued under the Wet langdurige zorg
  goal_reached,
};
inline constexpr std::size_t ending_reason_count = 8;
/// The code as written in events: "02", "19", "20", "31", "32", "33", "34", "goal_reached".
std::string_view to_code(EndingReason) noexcept;
std::optional<EndingReason> parse_ending_reason(std::string_view code) noexcept;

/// Why the levels below a referral's level did not serve the need, recorded when a referral
/// at basic care or above is proposed (the Wmo 2015 asks the team to account for it).
struct LevelAccount {
  enum class Outcome : std::uint8_t {
    exception,             ///< an exception rule fired (rule and reason below)
    failed_condition,      ///< the best candidate at the level failed a condition
    not_acceptable,        ///< the best option scores below the acceptable score
    full,                  ///< the best option has no place now (waiting list)
    declined,              ///< the resident declined the best option earlier
    nothing_within_reach,  ///< no candidate at this level serves the domain within reach
  };
  LadderLevel level = LadderLevel::own_network;
  Outcome outcome = Outcome::nothing_within_reach;
  std::string candidate;  ///< the best candidate's label (offer key or network:<helper>), if any
  std::string reason;     ///< plain language, keys only
};
std::string_view to_string(LevelAccount::Outcome) noexcept;

struct Accountability {
  std::optional<std::string> exception_rule;  ///< the policy rule that fired, if any
  std::string exception_reason;
  std::vector<LevelAccount> lower_levels;  ///< one per level below the referral's, ladder order
};

/// What a referral proposes: an offer, help through a tie, or a team professional.
struct ReferralTarget {
  LadderLevel level = LadderLevel::collective;
  OfferId offer;                ///< valid for an offer
  TieId tie;                    ///< valid for own-network help
  ProfessionalId professional;  ///< valid for individual support by a professional of the team
  ResidentId neighbour;         ///< valid for help from a neighbour who offered it (no tie)
};

/// The target as events and output name it: the offer key, "network:<helper key>",
/// "neighbour:<resident key>" or "professional:<key>". O(1).
std::string option_label(const Model& model, const ReferralTarget& target);

struct ReferralStep {
  ReferralState state = ReferralState::proposed;
  Date at{};
  std::string event_id;
};

struct Referral {
  std::string key;  ///< the caller's referral key
  NeedId need;
  ReferralTarget target;
  ReferralState state = ReferralState::proposed;
  double hours_per_week = 0.0;  ///< own network: the hours held while accepted or started
  bool holds_place = false;     ///< a seat, hours or caseload is held now
  std::optional<DeclineReason> declined;
  std::optional<EndingReason> ended;
  std::optional<Accountability> accountability;  ///< set for basic care and above
  std::vector<ReferralStep> history;
};

/// Declines of one offer, by reason.
struct DeclineCounts {
  OfferId offer;
  std::array<int, decline_reason_count> by_reason{};
  int total() const noexcept;
};

/// A household plan part a party may be granted.
enum class PlanPart : std::uint8_t { agreements, goals, progress, referrals, coordinator };
inline constexpr std::size_t plan_part_count = 5;
std::string_view to_string(PlanPart) noexcept;
std::optional<PlanPart> parse_plan_part(std::string_view) noexcept;

struct PlanAgreement {
  NeedId need;
  std::string code;  ///< an identifier, e.g. "weekly_visit"
  Date due{};
  Date agreed{};
};
struct PlanGoal {
  NeedId need;
  int target_score = 4;  ///< the ZRM score aimed for, 1..5
  Date by{};
  Date set{};
};
struct ProgressPoint {
  NeedId need;
  int score = 3;  ///< ZRM score measured, 1..5
  Date at{};
};

/// One household's own plan (1 Gezin 1 Plan): kept in the engine, codes and dates only.
struct LivePlan {
  HouseholdId household;
  std::vector<PlanAgreement> agreements;
  std::vector<PlanGoal> goals;
  std::vector<ProgressPoint> progress;  ///< in event order
  std::optional<ProfessionalId> coordinator;
  bool coordinator_chosen_by_household = false;
  std::array<std::vector<std::string>, plan_part_count> consent;  ///< parties granted, by part
};

struct EngineOptions {
  Policy policy = default_policy();
  /// Hours a week an accepted own-network referral holds when its event names none.
  double default_network_hours = 2.0;
  /// Durable engines: take a snapshot after this many events (0 = only on snapshot()).
  std::int64_t snapshot_every = 0;
  /// Durable engines: SQLite `synchronous`. true = FULL: an event whose apply() returned
  /// survives a crash of the process and of the machine. false = NORMAL (WAL): it survives a
  /// crash of the process; the last commits may be lost when the machine loses power.
  bool sync_full = true;
};

/// What apply() did.
struct Applied {
  std::string event_id;
  std::int64_t seq = 0;    ///< position in the event sequence (the journal's seq when durable)
  bool duplicate = false;  ///< the id was applied before; nothing changed now
};

class Engine {
 public:
  /// An engine in memory over `model` (checked as the loaders check it). O(model).
  explicit Engine(Model model, EngineOptions options = {});
  /// A durable engine: opens (or creates) the journal at `journal`, which must have been
  /// written for this base model and policy, restores the latest snapshot and replays the
  /// events after it. Reaches exactly the state the engine had when its last event returned.
  /// O(model + events since the snapshot). Throws InputError for a journal of another model,
  /// Error for a damaged journal (nothing in it is changed then).
  static Engine open(Model model, const std::filesystem::path& journal, EngineOptions options = {});
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  /// Applies one event (JSON text). Durable engines journal it before returning. Throws
  /// EventError, changing nothing, for a refused event. Cost by kind, n the model's size:
  /// need.*, referral.*, plan.*, consent.*, offer.capacity, professional.caseload: O(1)
  /// expected plus the JSON; referral.propose also ranks the need; offer.add/retire: O(cells
  /// the offer's domains touch); tie.*: O(the two residents' ties); resident.*: O(the
  /// resident's ties and household); household.add: O(1).
  Applied apply(std::string_view event_json);
  /// Applies events in order, durable ones in one journal transaction (one commit for all).
  /// Stops at the first refused event: the events before it stay applied (and journaled);
  /// EventError names the refused one, which is events[sequence() - sequence before] when
  /// none before it was a duplicate (a duplicate does not advance sequence()).
  std::vector<Applied> apply_all(std::span<const std::string> events);

  /// Ranks a need on the live state; options the resident declined for this need (since its
  /// last update) are rejected with RejectReason::declined. By default the first options and
  /// the rejections counted (RankRequest). O(candidates + top log candidates).
  Ranking rank(NeedId need, const RankRequest& request = {}) const;
  Ranking rank(std::string_view need_key, const RankRequest& request = {}) const;
  /// Rankings as the documented JSON (docs/ranking.md), on the live state, with every option
  /// and rejection (RankRequest::full(); the C interface's output).
  std::string rank_json(std::string_view need_key) const;
  /// Allocates every open need on a copy of the live state (retired offers without free seats,
  /// ended ties without hours), with the engine's policy; ids are those of model(). O(model)
  /// plus the solve. `options.policy` is replaced by the engine's.
  AllocationResult allocate(const AllocateOptions& options = {}) const;

  /// A copy of the referral with this key, if any. O(1) expected.
  std::optional<Referral> referral(std::string_view key) const;
  /// Referrals of a need, in the order they were proposed.
  std::vector<Referral> referrals_of(NeedId need) const;
  /// Declines by offer and reason, offers in id order, only offers with a decline. O(offers declined).
  std::vector<DeclineCounts> declines() const;

  /// The whole history of a need as JSON: its events, referrals with their steps, outcomes,
  /// reasons and accountability, and the reads of its household's plan. Keys only. O(history).
  std::string audit_json(std::string_view need_key) const;

  /// The household's plan as `party` may see it: only the parts granted to `party` (the
  /// household itself, party "household", sees all), as JSON. The read is logged (journal and
  /// audit) with the party, the parts returned and `at`. Throws InvalidArgument for an unknown
  /// household. O(plan).
  std::string read_plan(std::string_view household_key, std::string_view party, Date at);
  /// A copy of the household's plan, if it has one (for the engine's own users; parties read
  /// through read_plan). O(plan).
  std::optional<LivePlan> plan(std::string_view household_key) const;

  /// The ranked professionals for a household (work area, specialism, language, free
  /// caseload): the menu of coordinators shown to it. O(professionals).
  std::vector<CoordinatorCandidate> coordinator_menu(std::string_view household_key) const;

  /// The live neighbourhood as a model: retired offers, ended ties, residents gone and
  /// households without residents left out, ids renumbered in the same order. Loads and ranks
  /// like any model. O(model).
  Model current_model() const;
  /// The internal model, tombstones included (for inspection under the caller's own lock).
  const Model& model() const noexcept;
  const Policy& policy() const noexcept;

  /// A digest of the whole state (model, referrals, declines, plans, consent): equal for two
  /// engines that applied the same events to the same model. O(model).
  std::uint64_t state_checksum() const;
  /// Events applied so far (including those replayed on open).
  std::int64_t sequence() const noexcept;

  /// Durable engines: writes a snapshot (the model as `.wjm`, the engine state) at the
  /// current sequence, so that open() replays only what follows. O(model). StateError in memory.
  void snapshot();
  bool durable() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit Engine(std::unique_ptr<Impl> impl);
};

}  // namespace wijkmatch
