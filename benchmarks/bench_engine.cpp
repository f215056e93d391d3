// The live engine (wijkmatch::Engine, issue 10 part 8) on generated cities. See
// benchmarks/RESULTS.md, section "Live engine (issue 10)".
//
//   engine_events/memory/N          events per second in memory: a fresh engine over a city of N
//                                   residents applies a pre-generated stream one apply() at a time
//   engine_events/durable_full/N    the same through Engine::open with a journal in a temp dir,
//                                   one commit per event, SQLite synchronous=FULL
//   engine_events/durable_normal/N  one commit per event, synchronous=NORMAL
//   engine_events/batched_full/N    apply_all with 1000 events per batch (one commit each), FULL
//   engine_events/batched_normal/N  the same with NORMAL
//   engine_open_rank/N              "open a need, then rank it" on the engine against a plain
//                                   Ranker::rank of an existing need, alternating, call by call
//
// Counters events_per_s (wall clock) and cpu_events_per_s (the thread's CPU time: what is left
// when other processes take the core away, and without waiting for the disk).
//
// The stream (make_stream) is a realistic mix of a front desk's day, decided by a scout engine
// so that every event is valid when it is applied: per case need.open, referral.propose with an
// explicit option (the scout's first acceptable option), then referral.offer, .accept, .start
// and .end a few ticks later, interleaved with other cases (an accept the scout refuses, its seat
// taken meanwhile, becomes referral.cancel); per case also one offer.capacity and one tie.change
// somewhere in the city. Counters us_<type>: mean wall time per event kind.
//
// Other mode: bench_engine --replay=EVENTS [--replay_residents=N] [--keep_journal=PATH] builds a
// durable engine over a city of N residents (default 1000000) from EVENTS journaled events
// (batches of 1000, sync NORMAL), then times Engine::open without a snapshot (replays every
// event) and with one taken at the end, and checks both reach the state checksum of the engine
// that wrote the journal. TMPDIR chooses where the journals go; --keep_journal keeps them (PATH
// with the snapshot, PATH.nosnap without) and bench_engine --reopen=PATH [--replay_residents=N]
// then times one reopening alone (to profile it).
#include <benchmark/benchmark.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_common.hpp"
#include "bench_memory.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/ranking.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using wijkmatch_bench::peak_mb;
using wijkmatch_bench::reset_peak_rss;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

/// Deterministic on every machine, unlike std::uniform_int_distribution.
struct XorShift {
  std::uint64_t x = 88172645463325252ULL;
  std::uint64_t next() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

/// The generated city of `residents` (seed 20240501, default rates), kept for the next benchmark.
const wijkmatch::Model& city(long residents) {
  static long cached = 0;
  static std::unique_ptr<wijkmatch::Model> model;
  if (cached != residents) {
    model.reset();
    wijkmatch::GenerateOptions o;
    o.residents = residents;
    o.seed = 20240501;
    model = std::make_unique<wijkmatch::Model>(wijkmatch::generate(o));
    cached = residents;
  }
  return *model;
}

std::string date_text(int day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1} +
                                        std::chrono::days{day}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string half_hours(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", h);
  return buf;
}

constexpr std::array<std::string_view, 10> stream_kinds{
    "need.open",    "referral.propose", "referral.offer", "referral.accept", "referral.start",
    "referral.end", "offer.capacity",   "tie.change",     "referral.cancel", "other"};

struct Stream {
  std::vector<std::string> events;
  std::vector<std::uint8_t> kind;  // per event, its index in stream_kinds
  long cases = 0, proposed = 0, dropped = 0;
  std::array<long, stream_kinds.size()> dropped_by_kind{};
};

std::uint8_t kind_index(std::string_view type) {
  for (std::size_t i = 0; i < stream_kinds.size(); ++i)
    if (stream_kinds[i] == type) return static_cast<std::uint8_t>(i);
  return static_cast<std::uint8_t>(stream_kinds.size() - 1);
}

/// Writes a stream of `count` events that all apply, in order, to an engine over `base`. A scout
/// engine decides: it applies each event as it is written, ranks each new need to pick the
/// option to propose, and an event it refuses (a place taken in the meantime, say) is left out.
/// `prefix` keeps the keys and ids of one writer apart from another's.
class StreamWriter {
 public:
  StreamWriter(const wijkmatch::Model& base, std::string prefix)
      : base_(base), scout_(wijkmatch::Model(base)), prefix_(std::move(prefix)) {}

  /// Appends events to `out` until it has `count` more (the last tick may add a few past it).
  void write(Stream& out, std::size_t count) {
    const std::size_t target = out.events.size() + count;
    while (out.events.size() < target) tick(out);
  }

 private:
  struct Case {
    std::string need, referral;
    bool live = false;  // the referral exists and has not been dropped
  };
  // Ticks after the case opened at which its referral is offered, accepted, started, ended.
  static constexpr std::array<int, 4> delays{2, 5, 9, 30};
  static constexpr std::array<std::string_view, 4> steps{"referral.offer", "referral.accept", "referral.start",
                                                         "referral.end"};
  static constexpr std::array<std::string_view, 4> endings{"32", "goal_reached", "19", "32"};

  bool emit(Stream& out, json event) {
    event["id"] = prefix_ + "e" + std::to_string(next_id_++);
    event["at"] = date_text(static_cast<int>(tick_ / 400));
    std::string text = event.dump();
    try {
      scout_.apply(text);
    } catch (const wijkmatch::EventError&) {
      ++out.dropped;
      ++out.dropped_by_kind[kind_index(event["type"].get<std::string>())];
      return false;
    }
    out.kind.push_back(kind_index(event["type"].get<std::string>()));
    out.events.push_back(std::move(text));
    return true;
  }

  void open_case(Stream& out) {
    const wijkmatch::Model& m = scout_.model();
    // A new need like an existing one: the city's mix of residents, domains and severities.
    const wijkmatch::Need& like = base_.needs[rng_.below(base_.needs.size())];
    Case c;
    c.need = prefix_ + "N" + std::to_string(tick_);
    ++out.cases;
    emit(out, {{"type", "need.open"},
               {"need", c.need},
               {"resident", m[like.resident].key},
               {"domain", std::string(wijkmatch::to_string(like.domain))},
               {"severity", like.severity}});
    const wijkmatch::Ranking r = scout_.rank(c.need);
    const wijkmatch::Option* first = r.proposal();
    if (first && first->acceptable) {
      c.referral = prefix_ + "F" + std::to_string(tick_);
      c.live = emit(out, {{"type", "referral.propose"},
                          {"referral", c.referral},
                          {"need", c.need},
                          {"option", wijkmatch::option_label(scout_.model(), *first)}});
      out.proposed += c.live;
    }
    cases_.push_back(std::move(c));
  }

  void advance_cases(Stream& out) {
    for (std::size_t s = 0; s < delays.size(); ++s) {
      if (tick_ < static_cast<std::size_t>(delays[s])) continue;
      Case& c = cases_[tick_ - static_cast<std::size_t>(delays[s])];
      if (!c.live) continue;
      json e = {{"type", steps[s]}, {"referral", c.referral}};
      if (steps[s] == "referral.end") e["reason"] = endings[rng_.below(endings.size())];
      if (!emit(out, e)) {
        c.live = false;
        emit(out, {{"type", "referral.cancel"}, {"referral", c.referral}});
      }
    }
  }

  void change_capacity(Stream& out) {
    const wijkmatch::Model& m = scout_.model();
    const std::size_t o = rng_.below(base_.offers.size());
    // Seats move around the original number, never below the seats taken.
    const int seats = std::max(m.offers[o].occupancy, base_.offers[o].seats + static_cast<int>(rng_.below(3)) - 1);
    emit(out, {{"type", "offer.capacity"}, {"offer", m.offers[o].key}, {"seats", seats}});
    if (base_.ties.empty()) return;
    const std::size_t t = rng_.below(base_.ties.size());
    const wijkmatch::Tie& tie = m.ties[t];
    const double hours = std::max(std::ceil(tie.hours_used * 2.0) / 2.0,
                                  base_.ties[t].hours_per_week + 0.5 * double(rng_.below(3)) - 0.5);
    emit(out, {{"type", "tie.change"},
               {"helper", m[tie.helper].key},
               {"helped", m[tie.helped].key},
               {"hours_per_week", json::parse(half_hours(std::max(0.0, hours)))}});
  }

  void tick(Stream& out) {
    open_case(out);
    advance_cases(out);
    change_capacity(out);
    ++tick_;
  }

  const wijkmatch::Model& base_;
  wijkmatch::Engine scout_;
  std::string prefix_;
  std::vector<Case> cases_;
  XorShift rng_;
  std::size_t tick_ = 0;
  long next_id_ = 0;
};

Stream make_stream(const wijkmatch::Model& base, std::size_t count) {
  Stream s;
  StreamWriter(base, "B").write(s, count);
  return s;
}

/// The stream for a city, kept for the next benchmark on it: each benchmark applies a prefix
/// of it (a prefix of a valid stream is valid too).
const Stream& stream(long residents, std::size_t count) {
  static long cached = 0;
  static Stream s;
  if (cached != residents || s.events.size() < count) {
    s = make_stream(city(residents), count);
    cached = residents;
  }
  return s;
}

/// A fresh journal path in the temp dir; removed with its -wal and -shm files by the destructor.
class TempJournal {
 public:
  TempJournal() {
    static int n = 0;
    path_ = fs::temp_directory_path() /
            ("wijkmatch_bench_engine_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".journal");
    remove();
  }
  ~TempJournal() { remove(); }
  TempJournal(const TempJournal&) = delete;
  TempJournal& operator=(const TempJournal&) = delete;
  const fs::path& path() const { return path_; }
  double megabytes() const {
    std::error_code ec;
    double bytes = 0;
    for (const char* suffix : {"", "-wal"}) {
      const auto size = fs::file_size(path_.string() + suffix, ec);
      if (!ec) bytes += static_cast<double>(size);
    }
    return bytes / (1024.0 * 1024.0);
  }

 private:
  void remove() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix, ec);
  }
  fs::path path_;
};

enum class Mode { memory, durable_full, durable_normal, batched_full, batched_normal };

/// Applies the stream to a fresh engine per iteration; only the applying is timed.
void bench_events(benchmark::State& state, long residents, std::size_t count, Mode mode) {
  const wijkmatch::Model& base = city(residents);
  const Stream& s = stream(residents, count);
  const std::span<const std::string> events = std::span(s.events).first(std::min(count, s.events.size()));
  std::array<double, stream_kinds.size()> kind_s{};
  std::array<long, stream_kinds.size()> kind_n{};
  const bool batched = mode == Mode::batched_full || mode == Mode::batched_normal;
  constexpr std::size_t batch = 1000;
  double journal_mb = 0, wall_s = 0, cpu_s = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::optional<TempJournal> journal;
    std::optional<wijkmatch::Engine> engine;
    if (mode == Mode::memory) {
      engine.emplace(wijkmatch::Model(base));
    } else {
      journal.emplace();
      wijkmatch::EngineOptions o;
      o.sync_full = mode == Mode::durable_full || mode == Mode::batched_full;
      engine.emplace(wijkmatch::Engine::open(wijkmatch::Model(base), journal->path(), o));
    }
    state.ResumeTiming();
    const auto wall0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_us();
    if (batched) {
      for (std::size_t i = 0; i < events.size(); i += batch) {
        const std::size_t n = std::min(batch, events.size() - i);
        benchmark::DoNotOptimize(engine->apply_all(events.subspan(i, n)));
      }
    } else {
      for (std::size_t i = 0; i < events.size(); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(engine->apply(events[i]));
        kind_s[s.kind[i]] += seconds_since(t0);
        ++kind_n[s.kind[i]];
      }
    }
    cpu_s += (thread_cpu_us() - cpu0) / 1e6;
    wall_s += seconds_since(wall0);
    state.PauseTiming();
    if (engine->sequence() != static_cast<std::int64_t>(events.size()))
      state.SkipWithError("the engine did not apply every event of the stream");
    if (journal) journal_mb = journal->megabytes();
    engine.reset();
    journal.reset();
    state.ResumeTiming();
  }
  // Both clocks: the wall clock includes waiting for the disk (and for other processes on a
  // shared machine), the thread's CPU time neither.
  const double applied = static_cast<double>(events.size()) * static_cast<double>(state.iterations());
  state.counters["events_per_s"] = applied / wall_s;
  state.counters["cpu_events_per_s"] = applied / cpu_s;
  state.counters["events"] = static_cast<double>(events.size());
  state.counters["proposals"] = static_cast<double>(std::count(
      s.kind.begin(), s.kind.begin() + static_cast<std::ptrdiff_t>(events.size()), kind_index("referral.propose")));
  for (std::size_t k = 0; k < stream_kinds.size(); ++k)
    if (kind_n[k] > 0) state.counters["us_" + std::string(stream_kinds[k])] = 1e6 * kind_s[k] / double(kind_n[k]);
  if (mode != Mode::memory) state.counters["journal_MB"] = journal_mb;
}

/// "Open a need, then rank it" on the engine, against a plain Ranker ranking an existing need
/// with the same resident, domain and severity (so both see the same candidates), alternating
/// call by call in one process. Wall and thread-CPU percentiles per kind of call.
void bench_open_rank(benchmark::State& state, long residents, std::size_t samples) {
  const wijkmatch::Model& base = city(residents);
  const wijkmatch::Ranker plain(base, wijkmatch::default_policy());
  wijkmatch::Engine engine{wijkmatch::Model(base)};
  std::vector<wijkmatch::NeedId> open;
  for (std::uint32_t i = 0; i < base.needs.size(); ++i)
    if (base.needs[i].status != wijkmatch::NeedStatus::closed) open.emplace_back(i);
  XorShift rng;
  for (std::size_t i = open.size(); i > 1; --i) std::swap(open[i - 1], open[rng.below(i)]);
  samples = std::min(samples, open.size());
  std::vector<std::string> events, keys;
  for (std::size_t k = 0; k < samples; ++k) {
    const wijkmatch::Need& like = base[open[k]];
    keys.push_back("B-OPEN" + std::to_string(k));
    events.push_back(json{
        {"id", "b-open-" + std::to_string(k)},
        {"type", "need.open"},
        {"at", "2026-03-02"},
        {"need", keys.back()},
        {"resident", base[like.resident].key},
        {"domain", std::string(wijkmatch::to_string(like.domain))},
        {"severity",
         like.severity}}.dump());
  }
  std::vector<double> plain_us, live_us, live_rank_us, plain_cpu, live_cpu;
  std::size_t mismatched = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < samples; ++k) {
      wijkmatch::Ranking a, b;
      auto plain_call = [&] {
        const double c0 = thread_cpu_us();
        const auto t0 = std::chrono::steady_clock::now();
        a = plain.rank(open[k]);
        const auto t1 = std::chrono::steady_clock::now();
        plain_cpu.push_back(thread_cpu_us() - c0);
        plain_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      };
      auto live_call = [&] {
        const double c0 = thread_cpu_us();
        const auto t0 = std::chrono::steady_clock::now();
        engine.apply(events[k]);
        const auto t_open = std::chrono::steady_clock::now();
        b = engine.rank(keys[k]);
        const auto t1 = std::chrono::steady_clock::now();
        live_cpu.push_back(thread_cpu_us() - c0);
        live_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        live_rank_us.push_back(std::chrono::duration<double, std::micro>(t1 - t_open).count());
      };
      // The second call finds the resident's neighbourhood in the cache: each goes second half
      // of the time.
      if (k % 2 == 0) {
        plain_call();
        live_call();
      } else {
        live_call();
        plain_call();
      }
      // The same candidates, or the comparison means nothing.
      if (a.options.size() + a.rejected.size() != b.options.size() + b.rejected.size()) ++mismatched;
      benchmark::DoNotOptimize(a);
      benchmark::DoNotOptimize(b);
    }
  }
  if (mismatched > samples / 100) state.SkipWithError("the live rankings see other candidates than the plain ones");
  const double p50 = percentile(plain_us, 0.50), p99 = percentile(plain_us, 0.99);
  const double l50 = percentile(live_us, 0.50), l99 = percentile(live_us, 0.99);
  state.counters["plain_p50_us"] = p50;
  state.counters["plain_p99_us"] = p99;
  state.counters["live_p50_us"] = l50;
  state.counters["live_p99_us"] = l99;
  state.counters["live_rank_p50_us"] = percentile(live_rank_us, 0.50);
  state.counters["live_rank_p99_us"] = percentile(live_rank_us, 0.99);
  state.counters["ratio_p50"] = l50 / p50;
  state.counters["ratio_p99"] = l99 / p99;
  state.counters["cpu_ratio_p99"] = percentile(live_cpu, 0.99) / percentile(plain_cpu, 0.99);
  state.counters["plain_cpu_p99_us"] = percentile(plain_cpu, 0.99);
  state.counters["live_cpu_p99_us"] = percentile(live_cpu, 0.99);
  state.counters["samples"] = static_cast<double>(plain_us.size());
  state.counters["mismatched"] = static_cast<double>(mismatched);
}

struct Opened {
  double wall_s = 0, cpu_s = 0;  // Engine::open alone
  std::uint64_t checksum = 0;
  std::int64_t events = 0;
};

/// Opens the journal at `path` over the city: how long it took (wall and CPU), and the state.
Opened timed_open(const wijkmatch::Model& base, const fs::path& path) {
  wijkmatch::Model copy(base);  // the caller's model: not part of opening
  wijkmatch::EngineOptions options;
  options.sync_full = false;
  Opened o;
  const double c0 = thread_cpu_us();
  const auto t0 = std::chrono::steady_clock::now();
  wijkmatch::Engine engine = wijkmatch::Engine::open(std::move(copy), path, options);
  o.wall_s = seconds_since(t0);
  o.cpu_s = (thread_cpu_us() - c0) / 1e6;
  o.checksum = engine.state_checksum();
  o.events = engine.sequence();
  return o;
}

/// Replay and reopen: builds a journal of `count` events over a city, then reopens it without
/// and with a snapshot. Prints the figures; 1 when a reopened state differs. With `keep`, the
/// journal stays at `keep` (with the snapshot) and `keep`.nosnap (without), for --reopen.
int replay(long residents, std::size_t count, const std::optional<fs::path>& keep) {
  using clock = std::chrono::steady_clock;
  std::cout << std::fixed;
  std::cout.precision(2);
  auto t0 = clock::now();
  const wijkmatch::Model& base = city(residents);
  std::cout << "city of " << base.residents.size() << " residents, " << base.needs.size() << " needs, "
            << base.ties.size() << " ties: generated in " << seconds_since(t0) << " s" << std::endl;
  TempJournal temp;
  const fs::path path = keep ? *keep : temp.path();
  const fs::path nosnap = path.string() + ".nosnap";
  for (const fs::path& p : {path, nosnap})
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
  wijkmatch::EngineOptions options;
  options.sync_full = false;
  std::uint64_t written_checksum = 0;
  double write_s = 0, scout_s = 0;
  Stream s;
  {
    wijkmatch::Engine engine = wijkmatch::Engine::open(wijkmatch::Model(base), path, options);
    StreamWriter writer(base, "R");
    constexpr std::size_t batch = 1000;
    for (std::size_t done = 0; done < count;) {
      s.events.clear();
      s.kind.clear();
      t0 = clock::now();
      writer.write(s, std::min(batch, count - done));
      scout_s += seconds_since(t0);
      t0 = clock::now();
      engine.apply_all(s.events);
      write_s += seconds_since(t0);
      done += s.events.size();
      if (done / 100000 != (done - s.events.size()) / 100000)
        std::cout << "  " << done << " events journaled (" << write_s << " s applying, " << scout_s << " s deciding)"
                  << std::endl;
    }
    count = static_cast<std::size_t>(engine.sequence());
    written_checksum = engine.state_checksum();
  }
  // Closed: the last connection folds the WAL into the file, which can be copied now.
  const double journal_mb = static_cast<double>(fs::file_size(path)) / (1024.0 * 1024.0);
  fs::copy_file(path, nosnap);
  const Opened plain = timed_open(base, nosnap);
  if (plain.checksum != written_checksum || plain.events != static_cast<std::int64_t>(count)) {
    std::cerr << "bench_engine: the state replayed from the journal differs from the one that wrote it\n";
    return 1;
  }
  double snapshot_s = 0;
  {
    wijkmatch::Engine engine = wijkmatch::Engine::open(wijkmatch::Model(base), path, options);
    t0 = clock::now();
    engine.snapshot();
    snapshot_s = seconds_since(t0);
  }
  const double with_snapshot_mb = static_cast<double>(fs::file_size(path)) / (1024.0 * 1024.0);
  const Opened snap = timed_open(base, path);
  if (snap.checksum != written_checksum) {
    std::cerr << "bench_engine: the state restored from the snapshot differs from the one that wrote it\n";
    return 1;
  }
  if (!keep) fs::remove(nosnap);
  std::cout << "replay and reopen: " << count << " events, " << s.cases << " cases, " << s.proposed
            << " referrals proposed\n  refused by the scout and left out:";
  for (std::size_t k = 0; k < stream_kinds.size(); ++k)
    if (s.dropped_by_kind[k] > 0) std::cout << " " << stream_kinds[k] << " " << s.dropped_by_kind[k];
  std::cout << "\n  journaled (apply_all, batches of 1000, sync NORMAL): " << write_s << " s, "
            << static_cast<double>(count) / write_s << " events/s; deciding the stream " << scout_s << " s\n"
            << "  journal " << journal_mb << " MiB; with the snapshot " << with_snapshot_mb << " MiB\n"
            << "  reopen without a snapshot (replays " << count << " events): " << plain.wall_s << " s, CPU "
            << plain.cpu_s << " s (" << static_cast<double>(count) / plain.wall_s << " events/s)\n"
            << "  snapshot: " << snapshot_s << " s\n"
            << "  reopen with the snapshot: " << snap.wall_s << " s, CPU " << snap.cpu_s << " s\n"
            << "  checksums equal to the writer's: yes\n"
            << "  peak memory " << peak_mb() << " MiB" << std::endl;
  return 0;
}

/// Opens a journal kept by --replay (for profiling the reopening alone).
int reopen(long residents, const fs::path& path) {
  const Opened o = timed_open(city(residents), path);
  std::cout << "reopened " << path.string() << ": " << o.events << " events in " << o.wall_s << " s (CPU " << o.cpu_s
            << " s), checksum " << o.checksum << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto line =
      wijkmatch_bench::split_command_line(argc, argv, {"replay", "replay_residents", "keep_journal", "reopen"});
  const long replay_residents = std::atol(line.option("replay_residents").value_or("1000000").c_str());
  if (const auto events = line.option("replay")) {
    std::optional<fs::path> keep;
    if (auto k = line.option("keep_journal")) keep = *k;
    return replay(replay_residents, static_cast<std::size_t>(std::atol(events->c_str())), keep);
  }
  if (const auto path = line.option("reopen")) return reopen(replay_residents, *path);

  constexpr long city_residents = 100000;
  struct Run {
    const char* name;
    Mode mode;
    std::size_t events;
  };
  // Single FULL commits wait for the disk each: fewer events keep the run short.
  const Run runs[] = {{"memory", Mode::memory, 200000},
                      {"durable_full", Mode::durable_full, 2000},
                      {"durable_normal", Mode::durable_normal, 50000},
                      {"batched_full", Mode::batched_full, 200000},
                      {"batched_normal", Mode::batched_normal, 200000}};
  std::size_t most = 0;
  for (const Run& r : runs) most = std::max(most, r.events);
  for (const Run& r : runs)
    benchmark::RegisterBenchmark(
        ("engine_events/" + std::string(r.name) + "/" + std::to_string(city_residents)).c_str(),
        [r, most](benchmark::State& s) {
          stream(city_residents, most);  // one stream for all, its prefixes
          bench_events(s, city_residents, r.events, r.mode);
        })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(r.mode == Mode::durable_full ? 1 : 3);

  long open_rank_residents = 1000000;
  if (const char* env = std::getenv("WIJKMATCH_BENCH_MAX_RESIDENTS")) open_rank_residents = std::atol(env);
  benchmark::RegisterBenchmark(("engine_open_rank/" + std::to_string(open_rank_residents)).c_str(),
                               [open_rank_residents](benchmark::State& s) {
                                 reset_peak_rss();
                                 bench_open_rank(s, open_rank_residents, 5000);
                                 s.counters["peak_MB"] = peak_mb();
                               })
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
  return wijkmatch_bench::run_benchmarks(line.rest);
}
