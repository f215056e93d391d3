/* The stable C API of wijkmatch: the live engine (include/wijkmatch/engine.hpp) for case
 * systems written in C or in any language with a C foreign-function interface.
 * See docs/c_api.md.
 *
 * Conventions, the same for every function:
 * - Every function returns a wm_status (except the few that cannot fail). WM_OK is 0.
 * - wm_last_error() gives the message of the latest call on the calling thread that failed.
 * - No C++ exception ever crosses this boundary, std::bad_alloc included (WM_OUT_OF_MEMORY).
 * - A NULL where an argument is required gives WM_INVALID_ARGUMENT, never a crash.
 * - Results that are documents are JSON text, the same documents the command line prints,
 *   NUL-terminated UTF-8, allocated by the library: the caller owns them and frees each with
 *   wm_free(). On failure an output pointer is set to NULL (or 0) and there is nothing to free.
 * - Messages name keys (need, offer, household, event ids) and JSON pointers, never the
 *   contents of a person's record.
 *
 * Threads: the same contract as wijkmatch::Engine. Any number of threads may call the reading
 * functions (wm_engine_rank, wm_engine_audit, wm_engine_declines, wm_engine_checksum,
 * wm_engine_sequence) on one engine at once, while events are applied: a reader sees the
 * state before or after an event, never half of one. The writing functions (wm_engine_apply,
 * wm_engine_apply_lines, wm_engine_read_plan, which logs the read, and wm_engine_snapshot)
 * are serialized by the library, so they may come from any thread too. wm_engine_close must
 * not run concurrently with any other call on the same engine. Different engines are
 * independent.
 *
 * ABI: the shared library libwijkmatch_c exports the wm_ symbols only. Its SONAME changes when
 * a function's signature or meaning changes or a function goes away; new functions and new
 * status codes at the end of wm_status keep it (so treat a status you do not know as a failure).
 */
#ifndef WIJKMATCH_WIJKMATCH_H
#define WIJKMATCH_WIJKMATCH_H

#include <stddef.h>
#include <stdint.h>

/* WM_API marks the exported functions; everything else in the library is hidden. */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(WM_BUILDING_LIBRARY)
#define WM_API __declspec(dllexport)
#else
#define WM_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define WM_API __attribute__((visibility("default")))
#else
#define WM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** The outcome of a call. New codes may be added at the end. */
typedef enum wm_status {
  WM_OK = 0,
  /** A NULL or malformed argument (a date that is not YYYY-MM-DD, say). */
  WM_INVALID_ARGUMENT,
  /** The model, policy or journal was rejected: a problem per line, `pointer: reason`. */
  WM_INPUT_ERROR,
  /** The event was refused and changed nothing: "event <id>: <pointer>: <reason>". */
  WM_EVENT_REFUSED,
  /** An unknown need or household key. */
  WM_NOT_FOUND,
  /** A call in the wrong state, e.g. a snapshot of an engine that has no journal. */
  WM_STATE_ERROR,
  /** A file could not be read or written (model file missing, journal not writable). */
  WM_IO_ERROR,
  /** Memory ran out. An event is applied whole or not at all; when only the result document
   * could not be made, the event stays applied (applying it again is safe: same id). */
  WM_OUT_OF_MEMORY,
  /** A failure the library did not foresee; the message says what it knows. */
  WM_INTERNAL
} wm_status;

/** A live engine over one neighbourhood: opaque, made by wm_engine_open, ended by
 * wm_engine_close. */
typedef struct wm_engine wm_engine;

/** The library's version, "MAJOR.MINOR.PATCH". Static storage; never NULL. O(1). */
WM_API const char* wm_version(void);

/** The name of a status code ("WM_OK", "WM_EVENT_REFUSED", ...); "WM_UNKNOWN" for a value
 * outside the enum. Static storage; never NULL. O(1). */
WM_API const char* wm_status_name(wm_status status);

/** The message of the latest call on this thread that returned something other than WM_OK;
 * "" when the latest call that returns a wm_status succeeded (the functions that return none
 * leave it as it is). Valid until the next wm_ call on this thread (copy it to
 * keep it); never NULL. Thread-local, so threads never see each other's messages. O(1). */
WM_API const char* wm_last_error(void);

/** Frees a string the library returned. NULL is allowed and does nothing. O(1). */
WM_API void wm_free(char* text);

/** Opens an engine over the model at `model_path` (JSON or binary `.wjm`, told apart by the first bytes).
 * `journal_path` NULL: the engine lives in memory only. Otherwise it is durable: the SQLite
 * journal at that path is created, or opened and replayed (from its latest snapshot) to
 * exactly the state it had when its last event was applied; the journal must have been
 * written for this model and policy. `policy_path` NULL: the built-in default policy.
 * On success `*out` is a new engine the caller closes with wm_engine_close.
 * Errors: WM_INPUT_ERROR for a model or policy that is invalid, or a journal file that is
 * there, readable and writable but rejected for what it holds (not a journal, written for
 * another model, damaged); WM_IO_ERROR for a file that cannot be read, opened or created;
 * WM_INVALID_ARGUMENT.
 * O(model + events since the latest snapshot). */
WM_API wm_status wm_engine_open(const char* model_path, const char* journal_path, const char* policy_path,
                                wm_engine** out);

/** Closes the engine and frees it; a durable engine's journal is closed, every applied event
 * already being in it. NULL does nothing. O(model). */
WM_API void wm_engine_close(wm_engine* engine);

/** Applies one event: `len` bytes of JSON at `event_json` (need not be NUL-terminated), e.g.
 *   {"id": "desk-0001", "type": "need.open", "at": "2026-11-30", "need": "N-77", ...}
 * A durable engine has journaled it when the call returns. An event id applied before is not
 * applied again (case systems may retry): that is WM_OK with "duplicate": true.
 * `result_json` may be NULL; otherwise it receives {"event_id": ..., "seq": N,
 * "duplicate": bool} (free with wm_free).
 * Errors: WM_EVENT_REFUSED, changing nothing, for a malformed event, an unknown key or an
 * invalid transition (message "event <id>: <pointer>: <reason>"); WM_IO_ERROR when the
 * journal cannot be written. Cost by event kind as in engine.hpp: O(1) expected for most. */
WM_API wm_status wm_engine_apply(wm_engine* engine, const char* event_json, size_t len, char** result_json);

/** Applies `len` bytes of JSON Lines, one event per line (lines holding only white space are
 * skipped), in order; a durable engine journals them in one transaction. Stops at the first
 * refused event: the events before it stay applied (and journaled), the message is
 * "line N: event <id>: <pointer>: <reason>" with N counted from 1 over all lines of `lines`.
 * `applied` may be NULL; otherwise it receives the number of events applied by this call
 * (duplicates included), also on failure. Errors as wm_engine_apply. O(the events). */
WM_API wm_status wm_engine_apply_lines(wm_engine* engine, const char* lines, size_t len, size_t* applied);

/** The ranking of one need on the live state, as the JSON `wijkmatch rank --json` prints
 * (docs/ranking.md). Errors: WM_NOT_FOUND for an unknown need key. O(candidates log
 * candidates). */
WM_API wm_status wm_engine_rank(const wm_engine* engine, const char* need_key, char** json_out);

/** The whole history of a need (events, referrals with their steps, outcomes, reasons,
 * accountability, reads of the household's plan) as JSON, keys only. Errors: WM_NOT_FOUND
 * for an unknown need key. O(the need's history). */
WM_API wm_status wm_engine_audit(const wm_engine* engine, const char* need_key, char** json_out);

/** The household's plan as `party` may see it: only the parts granted to `party` ("household"
 * sees all), as JSON. The read is logged with the party, the parts returned and `date`
 * ("YYYY-MM-DD"), in the journal of a durable engine and in the audit, so this is a writing
 * call. Errors: WM_NOT_FOUND for an unknown household, WM_INVALID_ARGUMENT for a date that
 * is not YYYY-MM-DD. O(plan). */
WM_API wm_status wm_engine_read_plan(wm_engine* engine, const char* household_key, const char* party, const char* date,
                                     char** json_out);

/** Declines by offer and reason:
 *   {"declines": [{"offer": KEY, "total": N, "by_reason": {"not_interested": n, ...}}, ...]}
 * offers in the model's order, only offers with a decline, every reason code listed. Waits
 * for a writing call that is running (it reads the offers' keys). O(offers declined). */
WM_API wm_status wm_engine_declines(const wm_engine* engine, char** json_out);

/** A digest of the whole state (model, referrals, declines, plans, consent): equal for two
 * engines that applied the same events to the same model, so a reopened durable engine can
 * be compared with the one that wrote the journal. O(model). */
WM_API wm_status wm_engine_checksum(const wm_engine* engine, uint64_t* checksum);

/** The number of events applied so far, including those replayed on open. O(1). */
WM_API wm_status wm_engine_sequence(const wm_engine* engine, int64_t* sequence);

/** Durable engines: writes a snapshot at the current sequence, so that the next open replays
 * only the events that follow it. Errors: WM_STATE_ERROR for an engine in memory,
 * WM_IO_ERROR when it cannot be written. O(model). */
WM_API wm_status wm_engine_snapshot(wm_engine* engine);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WIJKMATCH_WIJKMATCH_H */
