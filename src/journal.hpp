// The live engine's durable journal (issue #10): every accepted event, in order, in a SQLite
// database, so that the engine can rebuild its state after a restart or a crash. Internal: the
// engine (engine.hpp) is the only user; SQLite stays out of every public header.
//
// File layout (format version 1; `PRAGMA application_id` marks the file as a wijkmatch journal):
//   meta(key, value)                      format_version, base_digest, created_by
//   entries(seq, event_id, body, crc)     seq 1, 2, ... without gaps; event_id unique
//   snapshots(seq, model, state, checksum, crc)   only the latest is kept
//   access_log(seq, record, crc)          reads of a household's plan; kept, never replayed
// Each row carries a CRC-32 of its fields (seq included, so that a row moved or swapped is
// detected too); readers verify it and never hand out a damaged row.
//
// Durability. The file is always in WAL mode; JournalSync chooses what a returned commit
// survives (see there). A transaction that was not committed when the process died is absent
// after reopening, entirely: SQLite's WAL recovery keeps exactly the committed transactions, and
// a commit frame torn by a crash (or a WAL file cut short) drops that transaction alone.
//
// Concurrency. One Journal object is used by one thread at a time. Other connections (in this
// or another process) may open the same file: readers never block and never see uncommitted
// entries; a second writer waits up to `busy_timeout` for the write lock and then gets an
// Error ("database is locked"). A Journal notices entries appended by someone else when it
// next writes and refuses (StateError) rather than interleave two engines' events.
//
// Files are created readable by their owner only (0600): the access log says who read which
// household's plan. SQLite gives the -wal and -shm files the database file's permissions.
//
// Errors: everything thrown is a wijkmatch::Error (InputError, InvalidArgument, StateError for
// the specific cases below) whose message starts with "journal FILE" and, where SQLite failed,
// ends with SQLite's message. Messages name keys and sequence numbers, never event contents.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wijkmatch::detail {

/// The journal format this build writes, and the newest it reads.
inline constexpr int journal_format_version = 1;

/// One accepted event.
struct JournalEntry {
  std::int64_t seq;      ///< 1, 2, ... in the order of appending
  std::string event_id;  ///< the caller's id, unique within the journal
  std::string body;      ///< the event's canonical JSON text
};

/// The engine's state after entry `seq`, so that reopening replays only the entries after it.
struct JournalSnapshot {
  std::int64_t seq;        ///< the last entry the state includes; 0 for the state before any entry
  std::string model;       ///< .wjm bytes
  std::string state;       ///< engine state JSON
  std::uint64_t checksum;  ///< the caller's own check value (e.g. a digest of model and state),
                           ///< stored and returned as given; the journal adds its own CRC
};

/// What a returned commit survives. WAL mode is always on.
enum class JournalSync {
  /// PRAGMA synchronous=FULL: the WAL is fsync'ed at every commit, so a commit that returned
  /// survives a process kill (SIGKILL) and a power loss or kernel crash. Slower (one fsync per
  /// commit; batch appends to amortize it).
  full,
  /// PRAGMA synchronous=NORMAL: the WAL is written at every commit but fsync'ed only at
  /// checkpoints. A returned commit survives a process kill (the data is in the OS page
  /// cache); on power loss the last commits before it may be lost (never partly: the journal
  /// stays consistent, it rolls back to an earlier commit).
  normal,
};

struct JournalOptions {
  JournalSync sync = JournalSync::full;
  bool create = true;      ///< create the file when it does not exist (never with read_only)
  bool read_only = false;  ///< open for reading; every write throws StateError
  /// How long a write waits for another connection's write lock before it throws.
  std::chrono::milliseconds busy_timeout{5000};
};

/// RAII over one SQLite connection to a journal file. Move-only; a moved-from Journal may only
/// be destroyed or assigned to. Destroying it during a batch rolls the batch back.
class Journal {
 public:
  /// Opens the journal at `path`, creating it if options.create and it does not exist (or is
  /// an empty file). `base_digest` names the base model the events apply to (the model's hex
  /// digest; any non-empty text): a new journal stores it, an existing one must have the same.
  /// Throws
  ///  - InvalidArgument: base_digest empty;
  ///  - InputError {"/base_model", "journal FILE was written for another model (digest X,
  ///    this model Y)"}: the digests differ;
  ///  - Error "journal FILE: not a wijkmatch journal ...": not a SQLite database, or another
  ///    application's;
  ///  - Error "journal FILE has format version N ...": written by a newer wijkmatch;
  ///  - Error: no such file (create off), no such directory, a directory, a file this process
  ///    may not write (unless read_only), or any failure SQLite reports.
  /// O(1) (schema and meta reads; a crash recovery replays the WAL, O(WAL size)).
  static Journal open(const std::filesystem::path& path, std::string_view base_digest,
                      const JournalOptions& options = {});

  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal();

  /// The seq of the entry with this event id, if the journal (or the open batch) has one.
  /// O(log n).
  std::optional<std::int64_t> find(std::string_view event_id) const;

  /// Appends one event and returns its seq (last_seq() + 1). Outside a batch it commits (and,
  /// with JournalSync::full, syncs) before returning. Throws InvalidArgument for an event id
  /// already in the journal, and writes nothing then (an open batch stays open and keeps its
  /// earlier appends). Throws StateError when read-only or when another connection appended
  /// since this one last wrote. O(log n) plus the commit.
  std::int64_t append(std::string_view event_id, std::string_view body);

  /// Starts one transaction for many appends (and snapshots and access records): they become
  /// durable together at commit_batch(), or not at all. Holds the file's write lock until
  /// then. Throws StateError when a batch is already open or the journal is read-only.
  void begin_batch();
  /// Commits the open batch (one sync for all of it). Throws StateError when none is open.
  void commit_batch();
  /// Discards the open batch; seqs handed out in it are handed out again. Throws StateError
  /// when none is open.
  void rollback_batch();
  bool in_batch() const noexcept;

  /// Calls fn for every entry with seq > after, in seq order, each checked first: its CRC, and
  /// that seqs run after+1, after+2, ... without a gap. Throws Error "journal FILE: entry N:
  /// checksum mismatch" (or "entry N: missing", or SQLite's message) at the first damaged
  /// entry, after fn has seen every entry before it. Throws InvalidArgument for after < 0.
  /// fn must not write to this journal. O(entries after `after`).
  void for_each(std::int64_t after, const std::function<void(const JournalEntry&)>& fn) const;

  /// The seq of the last entry; 0 when empty. O(log n).
  std::int64_t last_seq() const;

  /// Stores a snapshot and drops every older one, in its own transaction (or the open batch).
  /// Throws InvalidArgument when seq < 0, seq > last_seq() or seq is older than the stored
  /// latest snapshot (an equal seq replaces it). O(snapshot size).
  void put_snapshot(const JournalSnapshot& snapshot);
  /// The snapshot with the highest seq, CRC-checked (Error "journal FILE: snapshot N: checksum
  /// mismatch"); none when no snapshot was stored. O(snapshot size).
  std::optional<JournalSnapshot> latest_snapshot() const;

  /// Appends one access record (reads of a household's plan by a named party, as JSON). It
  /// is kept for audit, never replayed. Commits like append(). O(log n) plus the commit.
  void log_access(std::string_view record_json);
  /// Calls fn(seq, record) for every access record in order (seq 1, 2, ... of the access log,
  /// separate from the entries'), CRC-checked like entries. O(records).
  void for_each_access(const std::function<void(std::int64_t seq, const std::string&)>& fn) const;

  const std::filesystem::path& path() const noexcept;

 private:
  struct Impl;
  explicit Journal(std::unique_ptr<Impl> impl) noexcept;
  Impl& impl() const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wijkmatch::detail
