// The engine's journal on SQLite (journal.hpp).
#include "journal.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <boost/crc.hpp>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <system_error>
#include <utility>

#include "wijkmatch/error.hpp"

namespace wijkmatch::detail {
namespace {

namespace fs = std::filesystem;

// 'WJMJ': tells a wijkmatch journal from any other SQLite database before we touch it.
constexpr std::int32_t application_id = 0x574A4D4A;

constexpr const char* schema_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE entries(seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL,"
    " crc INTEGER NOT NULL);"
    "CREATE TABLE snapshots(seq INTEGER PRIMARY KEY, model BLOB NOT NULL, state TEXT NOT NULL,"
    " checksum INTEGER NOT NULL, crc INTEGER NOT NULL);"
    "CREATE TABLE access_log(seq INTEGER PRIMARY KEY, record TEXT NOT NULL, crc INTEGER NOT NULL);";

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

struct ConnectionDeleter {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};

// A cached statement must be reset after every use, also when an exception leaves early: a read
// statement left mid-way would pin an old WAL snapshot (and block checkpoints).
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* s) noexcept : s_(s) {}
  ~ResetOnExit() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* s_;
};

// CRC-32 over a row's fields. Lengths are included so that bytes cannot move between fields
// unnoticed, and the seq so that a row copied over another fails too.
class RowCrc {
 public:
  RowCrc& u64(std::uint64_t v) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(v >> (8 * i));
    crc_.process_bytes(bytes, sizeof bytes);
    return *this;
  }
  RowCrc& field(std::string_view s) {
    u64(s.size());
    crc_.process_bytes(s.data(), s.size());
    return *this;
  }
  std::int64_t value() const { return static_cast<std::int64_t>(crc_.checksum()); }

 private:
  boost::crc_32_type crc_;
};

std::int64_t entry_crc(std::int64_t seq, std::string_view event_id, std::string_view body) {
  return RowCrc().u64(static_cast<std::uint64_t>(seq)).field(event_id).field(body).value();
}

std::int64_t snapshot_crc(const JournalSnapshot& s) {
  return RowCrc().u64(static_cast<std::uint64_t>(s.seq)).field(s.model).field(s.state).u64(s.checksum).value();
}

std::int64_t access_crc(std::int64_t seq, std::string_view record) {
  return RowCrc().u64(static_cast<std::uint64_t>(seq)).field(record).value();
}

std::string column_text(sqlite3_stmt* s, int column) {
  // column_text before column_bytes: the byte count is of the text form.
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  const int size = sqlite3_column_bytes(s, column);
  return text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

std::string column_blob(sqlite3_stmt* s, int column) {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(s, column));
  const int size = sqlite3_column_bytes(s, column);
  return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

// The file is created here, not by SQLite, so that it is private to its owner (see the header);
// SQLite creates the -wal and -shm files with the same mode.
void create_private_file(const fs::path& path, const std::string& name) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // another process created it first: it decides what it holds
    throw Error("journal " + name + ": cannot create the file: " + std::strerror(errno));
  }
  ::close(fd);
}

}  // namespace

struct Journal::Impl {
  fs::path path;
  std::string name;  // path.string(), for messages
  std::unique_ptr<sqlite3, ConnectionDeleter> db;
  bool read_only = false;
  bool batch = false;
  std::int64_t last_seq = 0;      // this connection's view of max(seq), open batch included
  std::int64_t tx_start_seq = 0;  // last_seq when the open transaction began, restored on rollback
  // Cached for the hot paths (append, find, log_access); declared after db, so finalized first.
  Statement begin, commit, rollback, max_seq, insert_entry, find_entry, max_access, insert_access;

  explicit Impl(fs::path p) : path(std::move(p)), name(path.string()) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    // sqlite3_close_v2 would roll back too; doing it first keeps the close quiet.
    if (db && !sqlite3_get_autocommit(db.get())) sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }

  sqlite3* handle() const { return db.get(); }

  // "journal FILE: what: SQLite's message", with a hint for the codes a user can act on.
  [[noreturn]] void fail(std::string_view what, int rc) const {
    std::string message = "journal " + name + ": ";
    const char* detail = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
      case SQLITE_NOTADB: throw Error(message + "not a wijkmatch journal (" + detail + ")");
      case SQLITE_BUSY:
        throw Error(message + std::string(what) + ": " + detail + " (another connection is writing it)");
      default: throw Error(message + std::string(what) + ": " + detail);
    }
  }

  Statement prepare(const char* sql, bool cached) const {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(handle(), sql, -1, cached ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
    Statement s(raw);
    if (rc != SQLITE_OK) fail("cannot read the schema", rc);
    return s;
  }

  // Steps s; SQLITE_ROW or SQLITE_DONE, anything else throws.
  int step(sqlite3_stmt* s, std::string_view what) const {
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(what, rc);
    return rc;
  }

  void exec(const char* sql, std::string_view what) const {
    const int rc = sqlite3_exec(handle(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(what, rc);
  }

  std::int64_t query_int(const char* sql, std::string_view what) const {
    const Statement s = prepare(sql, false);
    return step(s.get(), what) == SQLITE_ROW ? sqlite3_column_int64(s.get(), 0) : 0;
  }

  std::int64_t query_max_seq(sqlite3_stmt* s) const {
    const ResetOnExit reset(s);
    step(s, "cannot read the last entry");
    return sqlite3_column_int64(s, 0);  // max() of no rows is NULL, read as 0
  }

  void bind_text(sqlite3_stmt* s, int index, std::string_view text) const {
    const int rc = sqlite3_bind_text64(s, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail("cannot store a value", rc);
  }

  void require_writable() const {
    if (read_only) throw StateError("journal " + name + " is open read-only");
  }

  // Takes the write lock (unless a batch holds it) and makes sure that nobody else appended
  // since this connection last wrote: two engines interleaving their events would each rebuild
  // a state the other never had.
  void begin_write() {
    require_writable();
    if (batch) return;
    tx_start_seq = last_seq;
    const ResetOnExit reset(begin.get());
    step(begin.get(), "cannot start a transaction");
    check_no_foreign_entries();
  }

  // One write: in its own transaction, or in the open batch. When it throws, its own
  // transaction is rolled back; an open batch survives unless SQLite rolled it back itself.
  template <class Body>
  void write(Body&& body) {
    begin_write();
    try {
      body();
    } catch (...) {
      if (!batch || sqlite3_get_autocommit(handle())) abandon_transaction();
      throw;
    }
    end_write();
  }

  void check_no_foreign_entries() {
    std::int64_t actual = 0;
    try {
      actual = query_max_seq(max_seq.get());
    } catch (...) {
      abandon_transaction();
      throw;
    }
    if (actual != last_seq) {
      abandon_transaction();
      throw StateError("journal " + name + ": another connection appended entries (last seq " + std::to_string(actual) +
                       ", this one expected " + std::to_string(last_seq) + "); reopen the journal");
    }
  }

  // Ends a single write (outside a batch) with a commit; inside a batch, nothing to do.
  void end_write() {
    if (batch) return;
    const ResetOnExit reset(commit.get());
    try {
      step(commit.get(), "cannot commit");
    } catch (...) {
      abandon_transaction();
      throw;
    }
  }

  // After a failed write: rolls back whatever transaction is still open and forgets the batch.
  void abandon_transaction() noexcept {
    if (!sqlite3_get_autocommit(handle())) {
      sqlite3_reset(rollback.get());
      sqlite3_step(rollback.get());
      sqlite3_reset(rollback.get());
    }
    last_seq = tx_start_seq;
    batch = false;
  }

  // A failed statement inside a write. SQLite rolls the whole transaction back on some errors
  // (disk full, I/O); then the batch is gone and the caller must hear it.
  [[noreturn]] void fail_write(std::string_view what, int rc) const {
    const bool batch_lost = batch && sqlite3_get_autocommit(handle());
    fail(std::string(what) + (batch_lost ? " (the batch was rolled back)" : ""), rc);
  }

  std::string meta(const char* key) const {
    const Statement s = prepare("SELECT value FROM meta WHERE key = ?1", false);
    bind_text(s.get(), 1, key);
    if (step(s.get(), "cannot read the journal's meta table") != SQLITE_ROW)
      throw Error("journal " + name + ": not a wijkmatch journal (no " + key + " in its meta table)");
    return column_text(s.get(), 0);
  }
};

Journal::Journal(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

Journal::Impl& Journal::impl() const {
  if (!impl_) throw StateError("journal: used after it was moved from");
  return *impl_;
}

Journal Journal::open(const fs::path& path, std::string_view base_digest, const JournalOptions& options) {
  auto impl = std::make_unique<Impl>(path);
  Impl& j = *impl;
  const std::string& name = j.name;
  if (base_digest.empty()) throw InvalidArgument("journal " + name + ": the base model digest is empty");

  // SQLite says "unable to open database file" for all of these; the user deserves the reason.
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (fs::is_directory(status)) throw Error("journal " + name + ": is a directory");
  if (!fs::exists(status)) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec)) throw Error("journal " + name + ": directory " + dir.string() + " does not exist");
    if (!options.create || options.read_only) throw Error("journal " + name + ": no such file");
    create_private_file(path, name);
  }

  j.read_only = options.read_only;
  // NOMUTEX: one thread at a time uses a Journal (the header says so); no URI parsing, so that
  // any file name is taken literally.
  const int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  j.db.reset(raw);
  if (rc != SQLITE_OK) j.fail("cannot open", rc);
  sqlite3* db = j.handle();
  sqlite3_extended_result_codes(db, 1);
  const auto timeout = std::clamp<std::chrono::milliseconds::rep>(options.busy_timeout.count(), 0, INT_MAX);
  sqlite3_busy_timeout(db, static_cast<int>(timeout));
  // The file may come from anywhere: no schema-defined code runs, no schema edits through SQL.
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  if (!options.read_only && sqlite3_db_readonly(db, "main") == 1)
    throw Error("journal " + name + ": the file is read-only (open it read-only to read it)");

  // What the file is, before anything is written to it: another application's database must
  // stay untouched (switching it to WAL mode would already change it).
  auto is_empty_database = [&] {
    return j.query_int("PRAGMA application_id", "cannot read the file") == 0 &&
           j.query_int("SELECT count(*) FROM sqlite_master", "cannot read the schema") == 0;
  };
  const bool ours = j.query_int("PRAGMA application_id", "cannot read the file") == application_id;
  if (!ours) {
    if (!is_empty_database()) throw Error("journal " + name + ": not a wijkmatch journal");
    if (options.read_only || !options.create)
      throw Error("journal " + name + ": not a wijkmatch journal (an empty file)");
  }

  if (!options.read_only) {
    const Statement mode = j.prepare("PRAGMA journal_mode=WAL", false);
    j.step(mode.get(), "cannot switch to WAL mode");
    const std::string got = column_text(mode.get(), 0);
    if (got != "wal")
      throw Error("journal " + name + ": cannot switch to WAL mode (SQLite stayed in " + got + " mode)");
    j.exec(options.sync == JournalSync::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
           "cannot set the sync mode");
  }

  if (!ours) {
    // Under the write lock, so that two processes creating the same journal create it once.
    j.exec("BEGIN IMMEDIATE", "cannot start a transaction");
    try {
      if (is_empty_database()) {
        j.exec(schema_sql, "cannot create the journal");
        j.exec(("PRAGMA application_id=" + std::to_string(application_id)).c_str(), "cannot create the journal");
        const Statement s = j.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)", false);
        const std::pair<const char*, std::string> rows[] = {{"format_version", std::to_string(journal_format_version)},
                                                            {"base_digest", std::string(base_digest)},
                                                            {"created_by", "wijkmatch " WIJKMATCH_VERSION}};
        for (const auto& [key, value] : rows) {
          sqlite3_reset(s.get());
          j.bind_text(s.get(), 1, key);
          j.bind_text(s.get(), 2, value);
          j.step(s.get(), "cannot create the journal");
        }
      } else if (j.query_int("PRAGMA application_id", "cannot read the file") != application_id) {
        throw Error("journal " + name + ": not a wijkmatch journal");
      }
      j.exec("COMMIT", "cannot create the journal");
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  // The meta table is the one part every format version keeps; the rest of the schema is read
  // only once the version is known.
  const std::string version_text = j.meta("format_version");
  int version = 0;
  const auto [end, err] = std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
  if (err != std::errc() || end != version_text.data() + version_text.size() || version < 1)
    throw Error("journal " + name + ": not a wijkmatch journal (format version '" + version_text + "')");
  if (version > journal_format_version)
    throw Error("journal " + name + " has format version " + version_text +
                "; this wijkmatch (" WIJKMATCH_VERSION ") reads versions up to " +
                std::to_string(journal_format_version) + ": upgrade wijkmatch");
  const std::string stored_digest = j.meta("base_digest");
  if (stored_digest != base_digest)
    throw InputError({{"/base_model", "journal " + name + " was written for another model (digest " + stored_digest +
                                          ", this model " + std::string(base_digest) + ")"}});

  j.begin = j.prepare("BEGIN IMMEDIATE", true);
  j.commit = j.prepare("COMMIT", true);
  j.rollback = j.prepare("ROLLBACK", true);
  j.max_seq = j.prepare("SELECT max(seq) FROM entries", true);
  j.insert_entry = j.prepare("INSERT INTO entries(seq, event_id, body, crc) VALUES (?1, ?2, ?3, ?4)", true);
  j.find_entry = j.prepare("SELECT seq FROM entries WHERE event_id = ?1", true);
  j.max_access = j.prepare("SELECT max(seq) FROM access_log", true);
  j.insert_access = j.prepare("INSERT INTO access_log(seq, record, crc) VALUES (?1, ?2, ?3)", true);
  j.last_seq = j.query_max_seq(j.max_seq.get());
  return Journal(std::move(impl));
}

std::optional<std::int64_t> Journal::find(std::string_view event_id) const {
  Impl& j = impl();
  sqlite3_stmt* s = j.find_entry.get();
  const ResetOnExit reset(s);
  j.bind_text(s, 1, event_id);
  if (j.step(s, "cannot look up an event id") != SQLITE_ROW) return std::nullopt;
  return sqlite3_column_int64(s, 0);
}

std::int64_t Journal::append(std::string_view event_id, std::string_view body) {
  Impl& j = impl();
  std::int64_t seq = 0;
  j.write([&] {
    seq = j.last_seq + 1;
    sqlite3_stmt* s = j.insert_entry.get();
    const ResetOnExit reset(s);
    sqlite3_bind_int64(s, 1, seq);
    j.bind_text(s, 2, event_id);
    j.bind_text(s, 3, body);
    sqlite3_bind_int64(s, 4, entry_crc(seq, event_id, body));
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
      // Only this statement failed (an open batch keeps its earlier appends).
      sqlite3_reset(s);
      const auto existing = find(event_id);
      throw InvalidArgument("journal " + j.name + ": event id already in the journal" +
                            (existing ? " (entry " + std::to_string(*existing) + ")" : std::string()));
    }
    if (rc != SQLITE_DONE) j.fail_write("cannot append entry " + std::to_string(seq), rc);
    j.last_seq = seq;
  });
  return seq;
}

void Journal::begin_batch() {
  Impl& j = impl();
  j.require_writable();
  if (j.batch) throw StateError("journal " + j.name + ": a batch is already open");
  j.begin_write();
  j.batch = true;
}

void Journal::commit_batch() {
  Impl& j = impl();
  if (!j.batch) throw StateError("journal " + j.name + ": no batch is open");
  j.batch = false;
  j.end_write();
}

void Journal::rollback_batch() {
  Impl& j = impl();
  if (!j.batch) throw StateError("journal " + j.name + ": no batch is open");
  const ResetOnExit reset(j.rollback.get());
  j.batch = false;
  j.last_seq = j.tx_start_seq;
  // Already rolled back by SQLite when a statement in the batch failed that way.
  if (!sqlite3_get_autocommit(j.handle())) j.step(j.rollback.get(), "cannot roll back");
}

bool Journal::in_batch() const noexcept { return impl_ && impl_->batch; }

void Journal::for_each(std::int64_t after, const std::function<void(const JournalEntry&)>& fn) const {
  Impl& j = impl();
  if (after < 0) throw InvalidArgument("journal " + j.name + ": for_each after a negative seq");
  // Prepared per call, not cached: fn may read the journal (find, last_seq, even for_each).
  const Statement s = j.prepare("SELECT seq, event_id, body, crc FROM entries WHERE seq > ?1 ORDER BY seq", false);
  sqlite3_bind_int64(s.get(), 1, after);
  std::int64_t expected = after + 1;
  JournalEntry entry;
  for (int rc; (rc = sqlite3_step(s.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) j.fail("entry " + std::to_string(expected), rc);
    entry.seq = sqlite3_column_int64(s.get(), 0);
    if (entry.seq != expected) throw Error("journal " + j.name + ": entry " + std::to_string(expected) + ": missing");
    entry.event_id = column_text(s.get(), 1);
    entry.body = column_text(s.get(), 2);
    if (sqlite3_column_int64(s.get(), 3) != entry_crc(entry.seq, entry.event_id, entry.body))
      throw Error("journal " + j.name + ": entry " + std::to_string(entry.seq) + ": checksum mismatch");
    fn(entry);
    ++expected;
  }
}

std::int64_t Journal::last_seq() const {
  const Impl& j = impl();
  return j.query_max_seq(j.max_seq.get());
}

void Journal::put_snapshot(const JournalSnapshot& snapshot) {
  Impl& j = impl();
  if (snapshot.seq < 0) throw InvalidArgument("journal " + j.name + ": snapshot at a negative seq");
  j.write([&] {
    if (snapshot.seq > j.last_seq)
      throw InvalidArgument("journal " + j.name + ": snapshot at seq " + std::to_string(snapshot.seq) +
                            ", after the last entry (" + std::to_string(j.last_seq) + ")");
    const std::int64_t latest = j.query_int("SELECT coalesce(max(seq), -1) FROM snapshots", "cannot read snapshots");
    if (snapshot.seq < latest)
      throw InvalidArgument("journal " + j.name + ": snapshot at seq " + std::to_string(snapshot.seq) +
                            " is older than the latest one (seq " + std::to_string(latest) + ")");
    // Entries are never removed, so an older snapshot can never be wanted again.
    const Statement drop = j.prepare("DELETE FROM snapshots WHERE seq <= ?1", false);
    sqlite3_bind_int64(drop.get(), 1, snapshot.seq);
    if (const int rc = sqlite3_step(drop.get()); rc != SQLITE_DONE) j.fail_write("cannot store a snapshot", rc);
    const Statement s =
        j.prepare("INSERT INTO snapshots(seq, model, state, checksum, crc) VALUES (?1, ?2, ?3, ?4, ?5)", false);
    sqlite3_bind_int64(s.get(), 1, snapshot.seq);
    if (const int rc = sqlite3_bind_blob64(s.get(), 2, snapshot.model.data(), snapshot.model.size(), SQLITE_STATIC);
        rc != SQLITE_OK)
      j.fail("cannot store a snapshot", rc);
    j.bind_text(s.get(), 3, snapshot.state);
    sqlite3_bind_int64(s.get(), 4, static_cast<std::int64_t>(snapshot.checksum));
    sqlite3_bind_int64(s.get(), 5, snapshot_crc(snapshot));
    if (const int rc = sqlite3_step(s.get()); rc != SQLITE_DONE) j.fail_write("cannot store a snapshot", rc);
  });
}

std::optional<JournalSnapshot> Journal::latest_snapshot() const {
  const Impl& j = impl();
  const Statement s =
      j.prepare("SELECT seq, model, state, checksum, crc FROM snapshots ORDER BY seq DESC LIMIT 1", false);
  if (j.step(s.get(), "cannot read the latest snapshot") != SQLITE_ROW) return std::nullopt;
  JournalSnapshot snapshot;
  snapshot.seq = sqlite3_column_int64(s.get(), 0);
  snapshot.model = column_blob(s.get(), 1);
  snapshot.state = column_text(s.get(), 2);
  snapshot.checksum = static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 3));
  if (sqlite3_column_int64(s.get(), 4) != snapshot_crc(snapshot))
    throw Error("journal " + j.name + ": snapshot " + std::to_string(snapshot.seq) + ": checksum mismatch");
  return snapshot;
}

void Journal::log_access(std::string_view record_json) {
  Impl& j = impl();
  j.write([&] {
    const std::int64_t seq = j.query_max_seq(j.max_access.get()) + 1;
    sqlite3_stmt* s = j.insert_access.get();
    const ResetOnExit reset(s);
    sqlite3_bind_int64(s, 1, seq);
    j.bind_text(s, 2, record_json);
    sqlite3_bind_int64(s, 3, access_crc(seq, record_json));
    if (const int rc = sqlite3_step(s); rc != SQLITE_DONE) j.fail_write("cannot log an access", rc);
  });
}

void Journal::for_each_access(const std::function<void(std::int64_t seq, const std::string&)>& fn) const {
  const Impl& j = impl();
  const Statement s = j.prepare("SELECT seq, record, crc FROM access_log ORDER BY seq", false);
  std::int64_t expected = 1;
  for (int rc; (rc = sqlite3_step(s.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) j.fail("access record " + std::to_string(expected), rc);
    const std::int64_t seq = sqlite3_column_int64(s.get(), 0);
    if (seq != expected) throw Error("journal " + j.name + ": access record " + std::to_string(expected) + ": missing");
    const std::string record = column_text(s.get(), 1);
    if (sqlite3_column_int64(s.get(), 2) != access_crc(seq, record))
      throw Error("journal " + j.name + ": access record " + std::to_string(seq) + ": checksum mismatch");
    fn(seq, record);
    ++expected;
  }
}

const fs::path& Journal::path() const noexcept {
  static const fs::path none;
  return impl_ ? impl_->path : none;
}

}  // namespace wijkmatch::detail
