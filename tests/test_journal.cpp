// The engine's journal (src/journal.hpp): what survives, what is refused, what is detected.
//
// Append rates measured on the development machine (ext4 on a virtual disk whose fsync takes
// about 0.15 ms, 2 cores, Release, 100-byte bodies): single commits with JournalSync::full about
// 6,000/s, with JournalSync::normal about 50,000/s; batches of 1000 about 420,000/s (full) and
// 450,000/s (normal); for_each replays about 1.7 million entries/s. A disk with a slower fsync
// lowers only the single-commit full rate. Not asserted here: unit tests carry no timings.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "journal.hpp"
#include "wijkmatch/error.hpp"

using namespace wijkmatch;
using namespace wijkmatch::detail;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view digest = "5f3a9c";

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "wijkmatch-journal-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A second, raw connection: how the tests damage a journal the way a disk or a person could.
class RawDb {
 public:
  explicit RawDb(const fs::path& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  void exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    INFO(sql << ": " << text);
    REQUIRE(rc == SQLITE_OK);
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::string value;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
      value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

template <class E = Error, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  FAIL("nothing was thrown");
  return {};
}

std::string body_of(std::int64_t i) { return R"({"type":"note","n":)" + std::to_string(i) + "}"; }

std::vector<JournalEntry> entries(const Journal& j, std::int64_t after = 0) {
  std::vector<JournalEntry> all;
  j.for_each(after, [&](const JournalEntry& e) { all.push_back(e); });
  return all;
}

// Checks that the journal holds exactly the events "0", "1", ... with seqs 1, 2, ...
void check_events_in_order(const Journal& j) {
  std::int64_t expected = 1;
  j.for_each(0, [&](const JournalEntry& e) {
    REQUIRE(e.seq == expected);
    REQUIRE(e.event_id == std::to_string(expected - 1));
    REQUIRE(e.body == body_of(expected - 1));
    ++expected;
  });
  CHECK(j.last_seq() == expected - 1);
}

void append_events(Journal& j, std::int64_t count) {
  const std::int64_t first = j.last_seq();
  for (std::int64_t i = first; i < first + count; ++i) REQUIRE(j.append(std::to_string(i), body_of(i)) == i + 1);
}

}  // namespace

TEST_CASE("journal: entries round-trip, in order, across reopening", "[journal]") {
  TempDir dir;
  const auto path = dir / "events.journal";
  const std::string big(200'000, 'x');  // overflow pages
  const std::string with_nul("{\"a\":\"\0\"}", 9);
  {
    auto j = Journal::open(path, digest);
    CHECK(j.path() == path);
    CHECK(j.last_seq() == 0);
    CHECK(entries(j).empty());
    CHECK(j.append("e-1", R"({"type":"join"})") == 1);
    CHECK(j.append("e-2", big) == 2);
    CHECK(j.append("e-3", with_nul) == 3);
    CHECK(j.append("ë-4 ✓", "") == 4);
    CHECK(j.last_seq() == 4);
    CHECK(j.find("e-2") == 2);
    CHECK(j.find("e-9") == std::nullopt);
  }
  // Private to the owner: the access log says who read whose plan.
  CHECK((fs::status(path).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

  const auto j = Journal::open(path, digest);
  const auto all = entries(j);
  REQUIRE(all.size() == 4);
  CHECK(all[0].seq == 1);
  CHECK(all[0].event_id == "e-1");
  CHECK(all[0].body == R"({"type":"join"})");
  CHECK(all[1].body == big);
  CHECK(all[2].body == with_nul);
  CHECK(all[3].event_id == "ë-4 ✓");
  CHECK(all[3].body.empty());
  CHECK(j.find("ë-4 ✓") == 4);

  const auto tail = entries(j, 2);
  REQUIRE(tail.size() == 2);
  CHECK(tail[0].seq == 3);
  CHECK(tail[1].seq == 4);
  CHECK(entries(j, 4).empty());
  CHECK(entries(j, 99).empty());
  CHECK_THROWS_AS(j.for_each(-1, [](const JournalEntry&) {}), InvalidArgument);
}

TEST_CASE("journal: a duplicate event id is refused and writes nothing", "[journal]") {
  TempDir dir;
  auto j = Journal::open(dir / "j", digest);
  j.append("a", "{}");
  CHECK(error_of<InvalidArgument>([&] { j.append("a", R"({"other":1})"); }) ==
        "journal " + (dir / "j").string() + ": event id already in the journal (entry 1)");
  CHECK(j.last_seq() == 1);
  CHECK(j.append("b", "{}") == 2);

  // Inside a batch only the duplicate fails; the batch keeps what it had.
  j.begin_batch();
  CHECK(j.append("c", "{}") == 3);
  CHECK_THROWS_AS(j.append("b", "{}"), InvalidArgument);
  CHECK_THROWS_AS(j.append("c", "{}"), InvalidArgument);
  CHECK(j.in_batch());
  CHECK(j.append("d", "{}") == 4);
  j.commit_batch();

  const auto all = entries(j);
  REQUIRE(all.size() == 4);
  CHECK(all[0].body == "{}");
  CHECK(all[2].event_id == "c");
  CHECK(all[3].event_id == "d");
}

TEST_CASE("journal: batches commit together or not at all", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  {
    auto j = Journal::open(path, digest);
    append_events(j, 2);
    CHECK_FALSE(j.in_batch());
    CHECK_THROWS_AS(j.commit_batch(), StateError);
    CHECK_THROWS_AS(j.rollback_batch(), StateError);

    j.begin_batch();
    CHECK(j.in_batch());
    CHECK_THROWS_AS(j.begin_batch(), StateError);
    append_events(j, 3);
    CHECK(j.find("4") == 5);  // the batch sees its own entries
    CHECK(j.last_seq() == 5);
    {
      // Another connection does not, until the commit.
      const auto reader = Journal::open(path, digest, {.read_only = true});
      CHECK(reader.last_seq() == 2);
      CHECK(reader.find("4") == std::nullopt);
    }
    j.commit_batch();
    CHECK_FALSE(j.in_batch());

    j.begin_batch();
    CHECK(j.append("gone-1", "{}") == 6);
    CHECK(j.append("gone-2", "{}") == 7);
    j.rollback_batch();
    CHECK_FALSE(j.in_batch());
    CHECK(j.last_seq() == 5);
    CHECK(j.find("gone-1") == std::nullopt);
    append_events(j, 1);  // seq 6 again

    // Destroyed with a batch open: the batch is discarded.
    j.begin_batch();
    CHECK(j.append("gone-3", "{}") == 7);
  }
  const auto j = Journal::open(path, digest);
  check_events_in_order(j);
  CHECK(j.last_seq() == 6);
  CHECK(j.find("gone-3") == std::nullopt);
}

TEST_CASE("journal: opening options and a moved-from journal", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  const std::string name = path.string();
  CHECK(error_of([&] { Journal::open(path, digest, {.create = false}); }) == "journal " + name + ": no such file");
  CHECK(error_of([&] { Journal::open(path, digest, {.read_only = true}); }) == "journal " + name + ": no such file");
  CHECK_FALSE(fs::exists(path));
  CHECK_THROWS_AS(Journal::open(path, ""), InvalidArgument);
  {
    auto j = Journal::open(path, digest, {.sync = JournalSync::normal});
    append_events(j, 3);
    j.log_access(R"({"party":"p"})");
  }
  {
    auto j = Journal::open(path, digest, {.create = false});
    append_events(j, 1);
  }
  auto reader = Journal::open(path, digest, {.read_only = true});
  check_events_in_order(reader);
  CHECK(reader.last_seq() == 4);
  for (auto write : std::vector<std::function<void()>>{
           [&] { reader.append("x", "{}"); }, [&] { reader.begin_batch(); }, [&] { reader.log_access("{}"); },
           [&] { reader.put_snapshot({.seq = 0, .model = "", .state = "{}", .checksum = 0}); }})
    CHECK(error_of<StateError>(write) == "journal " + name + " is open read-only");

  Journal moved = std::move(reader);
  CHECK(moved.last_seq() == 4);
  CHECK_THROWS_AS(reader.last_seq(), StateError);  // NOLINT(bugprone-use-after-move): what is tested
  CHECK_FALSE(reader.in_batch());
  CHECK(reader.path().empty());
}

TEST_CASE("journal: a journal for another base model is refused", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  { Journal::open(path, "aaaa"); }
  try {
    Journal::open(path, "bbbb");
    FAIL("opened");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].pointer == "/base_model");
    CHECK(e.problems()[0].reason ==
          "journal " + path.string() + " was written for another model (digest aaaa, this model bbbb)");
  }
  RawDb raw(path);
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'base_digest'") == "aaaa");
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'format_version'") == "1");
  CHECK(raw.text("SELECT value FROM meta WHERE key = 'created_by'").rfind("wijkmatch ", 0) == 0);
}

TEST_CASE("journal: files that are not journals, and paths that cannot be one", "[journal]") {
  TempDir dir;
  SECTION("a text file") {
    const auto path = dir / "notes.txt";
    std::ofstream(path) << "this is not a database, just some text that is long enough to fill a header\n";
    CHECK(error_of([&] {
            Journal::open(path, digest);
          }).rfind("journal " + path.string() + ": not a wijkmatch journal", 0) == 0);
    std::ifstream in(path);
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}).rfind("this is not a database", 0) == 0);
  }
  SECTION("another application's SQLite database, left untouched") {
    const auto path = dir / "other.db";
    { RawDb(path).exec("CREATE TABLE people(name TEXT); INSERT INTO people VALUES ('x')"); }
    CHECK(error_of([&] { Journal::open(path, digest); }) == "journal " + path.string() + ": not a wijkmatch journal");
    RawDb raw(path);
    CHECK(raw.text("PRAGMA journal_mode") == "delete");
    CHECK(raw.text("SELECT count(*) FROM sqlite_master") == "1");
  }
  SECTION("an empty file is a new journal, unless creating is off") {
    const auto path = dir / "empty";
    std::ofstream{path};
    CHECK(error_of([&] { Journal::open(path, digest, {.create = false}); }) ==
          "journal " + path.string() + ": not a wijkmatch journal (an empty file)");
    auto j = Journal::open(path, digest);
    CHECK(j.append("a", "{}") == 1);
  }
  SECTION("a journal of a newer format") {
    const auto path = dir / "j";
    { Journal::open(path, digest); }
    { RawDb(path).exec("UPDATE meta SET value = '2' WHERE key = 'format_version'"); }
    CHECK(error_of([&] {
            Journal::open(path, digest);
          }).rfind("journal " + path.string() + " has format version 2; this wijkmatch (", 0) == 0);
    { RawDb(path).exec("DELETE FROM meta WHERE key = 'format_version'"); }
    CHECK(error_of([&] { Journal::open(path, digest); }) ==
          "journal " + path.string() + ": not a wijkmatch journal (no format_version in its meta table)");
  }
  SECTION("no such directory, a directory") {
    const auto path = dir / "missing" / "j";
    CHECK(error_of([&] { Journal::open(path, digest); }) ==
          "journal " + path.string() + ": directory " + (dir / "missing").string() + " does not exist");
    CHECK(error_of([&] { Journal::open(dir.path(), digest); }) ==
          "journal " + dir.path().string() + ": is a directory");
  }
  SECTION("a file this process may not write") {
    const auto path = dir / "j";
    {
      auto j = Journal::open(path, digest);
      append_events(j, 2);
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(dir.path(), fs::perms::all);
    // root writes any file, so the check runs in a child that is not root.
    int out[2];
    REQUIRE(::pipe(out) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(out[0]);
      if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(2);
      std::string message = "opened";
      try {
        Journal::open(path, digest);
      } catch (const Error& e) {
        message = e.what();
      }
      const auto written = ::write(out[1], message.data(), message.size());
      ::_exit(written == static_cast<ssize_t>(message.size()) ? 0 : 3);
    }
    ::close(out[1]);
    std::string message;
    char buffer[512];
    for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
      message.append(buffer, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    CHECK(message == "journal " + path.string() + ": the file is read-only (open it read-only to read it)");
  }
}

TEST_CASE("journal: damage is detected, never handed out", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  const std::string name = path.string();
  {
    auto j = Journal::open(path, digest);
    append_events(j, 5);
    j.put_snapshot({.seq = 5, .model = "WJM\x01", .state = R"({"n":5})", .checksum = 99});
    j.log_access(R"({"household":"h1","party":"p"})");
  }
  std::vector<std::int64_t> seen;
  auto collect = [&] {
    seen.clear();
    Journal::open(path, digest).for_each(0, [&](const JournalEntry& e) { seen.push_back(e.seq); });
  };

  SECTION("a changed byte in a body") {
    // The row stays valid SQL; only its CRC can tell.
    { RawDb(path).exec("UPDATE entries SET body = replace(body, 'note', 'nope') WHERE seq = 3"); }
    CHECK(error_of(collect) == "journal " + name + ": entry 3: checksum mismatch");
    CHECK(seen == std::vector<std::int64_t>{1, 2});
    // Reading past it is fine.
    CHECK(entries(Journal::open(path, digest), 3).size() == 2);
  }
  SECTION("a changed event id, a body moved to another entry") {
    { RawDb(path).exec("UPDATE entries SET event_id = 'x' WHERE seq = 2"); }
    CHECK(error_of(collect) == "journal " + name + ": entry 2: checksum mismatch");
    { RawDb(path).exec("UPDATE entries SET event_id = '1' WHERE seq = 2"); }
    CHECK_NOTHROW(collect());
    { RawDb(path).exec("UPDATE entries SET body = (SELECT body FROM entries WHERE seq = 1) WHERE seq = 4"); }
    CHECK(error_of(collect) == "journal " + name + ": entry 4: checksum mismatch");
  }
  SECTION("a missing entry") {
    { RawDb(path).exec("DELETE FROM entries WHERE seq = 2"); }
    CHECK(error_of(collect) == "journal " + name + ": entry 2: missing");
    CHECK(seen == std::vector<std::int64_t>{1});
  }
  SECTION("a damaged snapshot or access record") {
    { RawDb(path).exec("UPDATE snapshots SET state = '{\"n\":6}'"); }
    CHECK(error_of([&] { Journal::open(path, digest).latest_snapshot(); }) ==
          "journal " + name + ": snapshot 5: checksum mismatch");
    { RawDb(path).exec("UPDATE access_log SET record = replace(record, 'h1', 'h2')"); }
    CHECK(error_of([&] { Journal::open(path, digest).for_each_access([](std::int64_t, const std::string&) {}); }) ==
          "journal " + name + ": access record 1: checksum mismatch");
  }
}

TEST_CASE("journal: a torn or unfinished WAL keeps every complete commit", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  auto j = Journal::open(path, digest);
  append_events(j, 10);
  const fs::path wal = path.string() + "-wal";
  REQUIRE(fs::exists(wal));  // the commits are in the WAL, not yet checkpointed
  const auto wal_size = fs::file_size(wal);

  // A copy of the database and its WAL taken while the journal is open: what a crash leaves.
  auto copy = [&](const std::string& name) {
    const auto target = dir / name;
    fs::copy_file(path, target);
    fs::copy_file(wal, target.string() + "-wal");
    return target;
  };

  SECTION("the last commit frame cut short") {
    const auto torn = copy("torn");
    fs::resize_file(torn.string() + "-wal", wal_size - 3);
    auto t = Journal::open(torn, digest);
    // Entry 10's transaction lost its commit frame; the nine before are whole.
    CHECK(t.last_seq() == 9);
    check_events_in_order(t);
    CHECK(t.append("9", body_of(9)) == 10);
  }
  SECTION("a batch half written when the copy was taken") {
    j.begin_batch();
    // More than SQLite's page cache holds, so that the batch spills into the WAL uncommitted.
    for (int i = 0; i < 200; ++i) j.append("big-" + std::to_string(i), std::string(20'000, 'b'));
    const auto half = copy("half");
    j.rollback_batch();
    CHECK(fs::file_size(half.string() + "-wal") > wal_size + 1'000'000);
    auto t = Journal::open(half, digest);
    CHECK(t.last_seq() == 10);
    check_events_in_order(t);
    CHECK(t.find("big-0") == std::nullopt);
  }
}

TEST_CASE("journal: the latest snapshot wins", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  const std::string model("WJM\0\x01\xff", 6);
  {
    auto j = Journal::open(path, digest);
    CHECK(j.latest_snapshot() == std::nullopt);
    j.put_snapshot({.seq = 0, .model = model, .state = "{}", .checksum = 1});
    append_events(j, 3);
    j.put_snapshot({.seq = 2, .model = model, .state = R"({"n":2})", .checksum = 0xffff'ffff'ffff'fff0u});
    auto s = j.latest_snapshot();
    REQUIRE(s);
    CHECK(s->seq == 2);
    CHECK(s->model == model);
    CHECK(s->state == R"({"n":2})");
    CHECK(s->checksum == 0xffff'ffff'ffff'fff0u);

    CHECK_THROWS_AS(j.put_snapshot({.seq = 1, .model = model, .state = "{}", .checksum = 0}), InvalidArgument);
    CHECK_THROWS_AS(j.put_snapshot({.seq = 4, .model = model, .state = "{}", .checksum = 0}), InvalidArgument);
    CHECK_THROWS_AS(j.put_snapshot({.seq = -1, .model = model, .state = "{}", .checksum = 0}), InvalidArgument);
    j.put_snapshot({.seq = 2, .model = "", .state = R"({"n":"2b"})", .checksum = 3});  // same seq: replaces

    // In a batch it goes with the batch.
    j.begin_batch();
    append_events(j, 1);
    j.put_snapshot({.seq = 4, .model = model, .state = R"({"n":4})", .checksum = 4});
    CHECK(j.latest_snapshot()->seq == 4);
    j.rollback_batch();
  }
  const auto j = Journal::open(path, digest);
  const auto s = j.latest_snapshot();
  REQUIRE(s);
  CHECK(s->seq == 2);
  CHECK(s->model.empty());
  CHECK(s->state == R"({"n":"2b"})");
  CHECK(s->checksum == 3);
  CHECK(RawDb(path).text("SELECT count(*) FROM snapshots") == "1");  // older ones dropped
}

TEST_CASE("journal: the access log is kept apart from the entries", "[journal]") {
  TempDir dir;
  auto j = Journal::open(dir / "j", digest);
  append_events(j, 1);
  j.log_access(R"({"household":"h1","party":"wijkteam"})");
  j.begin_batch();
  j.log_access(R"({"household":"h2","party":"gp"})");
  j.rollback_batch();
  j.log_access(R"({"household":"h3","party":"gp"})");
  std::vector<std::pair<std::int64_t, std::string>> records;
  j.for_each_access([&](std::int64_t seq, const std::string& r) { records.emplace_back(seq, r); });
  CHECK(records == std::vector<std::pair<std::int64_t, std::string>>{{1, R"({"household":"h1","party":"wijkteam"})"},
                                                                     {2, R"({"household":"h3","party":"gp"})"}});
  CHECK(entries(j).size() == 1);
  CHECK(j.last_seq() == 1);
}

TEST_CASE("journal: a second writer waits, then gets a clear error; nobody interleaves", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  auto first = Journal::open(path, digest);
  auto second = Journal::open(path, digest, {.busy_timeout = std::chrono::milliseconds(20)});
  first.begin_batch();
  append_events(first, 1);
  // Opening and reading do not wait for the write lock.
  CHECK(Journal::open(path, digest, {.busy_timeout = std::chrono::milliseconds(20)}).last_seq() == 0);
  const std::string locked = error_of([&] { second.append("x", "{}"); });
  CHECK(locked.rfind("journal " + path.string() + ": cannot start a transaction: database is locked", 0) == 0);
  first.commit_batch();
  // The second connection last saw an empty journal: appending now would put its event after
  // one it never applied.
  CHECK(error_of<StateError>([&] { second.append("x", "{}"); }) ==
        "journal " + path.string() +
            ": another connection appended entries (last seq 1, this one expected 0); reopen the journal");
  CHECK(second.last_seq() == 1);
  second = Journal::open(path, digest);
  CHECK(second.append("1", body_of(1)) == 2);
  CHECK_THROWS_AS(first.append("2", body_of(2)), StateError);
  check_events_in_order(first);
}

TEST_CASE("journal: a second writer within its busy timeout waits for the lock", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  auto first = Journal::open(path, digest);
  first.begin_batch();  // holds the write lock, appends nothing
  std::string outcome;
  std::thread second([&] {
    try {
      auto j = Journal::open(path, digest, {.busy_timeout = std::chrono::seconds(30)});
      outcome = "seq " + std::to_string(j.append("0", body_of(0)));
    } catch (const std::exception& e) {
      outcome = e.what();
    }
  });
  // Long enough for the second writer to be waiting (if it is not yet, the test still holds).
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  first.commit_batch();
  second.join();
  CHECK(outcome == "seq 1");
}

TEST_CASE("journal: appends survive the writer being killed at any moment", "[journal]") {
  TempDir dir;
  const auto path = dir / "j";
  struct Report {
    std::int64_t id;
    std::int64_t seq;
  };
  std::mt19937 random(20240610);
  std::vector<Report> reported;
  for (int round = 0; round < 20; ++round) {
    INFO("round " << round);
    std::int64_t start = 0;
    { start = Journal::open(path, digest).last_seq(); }  // closed before the fork
    const JournalSync sync = round % 2 == 0 ? JournalSync::full : JournalSync::normal;
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(pipe_fds[0]);
      try {
        auto j = Journal::open(path, digest, {.sync = sync});
        for (std::int64_t id = start;; ++id) {
          const Report r{id, j.append(std::to_string(id), body_of(id))};
          if (::write(pipe_fds[1], &r, sizeof r) != static_cast<ssize_t>(sizeof r)) ::_exit(3);
        }
      } catch (...) {}
      ::_exit(2);
    }
    ::close(pipe_fds[1]);
    const int reports_before_kill = std::uniform_int_distribution<int>(1, 12)(random);
    const int delay_us = std::uniform_int_distribution<int>(0, 1500)(random);
    Report r{};
    int count = 0;
    while (count < reports_before_kill && ::read(pipe_fds[0], &r, sizeof r) == static_cast<ssize_t>(sizeof r)) {
      reported.push_back(r);
      ++count;
    }
    ::usleep(static_cast<useconds_t>(delay_us));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));  // not an early exit of its own
    // Whatever the child reported before it died is still in the pipe.
    while (::read(pipe_fds[0], &r, sizeof r) == static_cast<ssize_t>(sizeof r)) reported.push_back(r);
    ::close(pipe_fds[0]);
    REQUIRE(count == reports_before_kill);

    const auto j = Journal::open(path, digest);
    check_events_in_order(j);  // contiguous, nothing lost in between
    const std::int64_t last_reported = reported.back().seq;
    CHECK(j.last_seq() >= last_reported);
    CHECK(j.last_seq() <= last_reported + 1);  // at most the append the kill interrupted
    for (const auto& [id, seq] : reported) {
      REQUIRE(seq == id + 1);
      REQUIRE(j.find(std::to_string(id)) == seq);
    }
  }
}
