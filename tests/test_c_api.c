/* The C API as a C program uses it (include/wijkmatch/wijkmatch.h): statuses and messages,
 * NULL arguments, the referral lifecycle through events, JSON Lines, a durable engine that is
 * closed and reopened, and the thread-local message. Plain C11, no test framework: every
 * CHECK that fails prints its line and the test exits 1.
 * Usage: test_c_api MODEL (the bundled examples/data/neighbourhood.json) */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */
#include <ftw.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wijkmatch/wijkmatch.h"

static int failures = 0;

#define CHECK(condition)                                                                                             \
  do {                                                                                                               \
    if (!(condition)) {                                                                                              \
      ++failures;                                                                                                    \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__, #condition, wm_last_error()); \
    }                                                                                                                \
  } while (0)

/* A call that must succeed; a failure also ends the test, as what follows depends on it. */
#define REQUIRE_OK(call)                                                                               \
  do {                                                                                                 \
    wm_status required_ = (call);                                                                      \
    if (required_ != WM_OK) {                                                                          \
      fprintf(stderr, "%s:%d: %s gave %s: %s\n", __FILE__, __LINE__, #call, wm_status_name(required_), \
              wm_last_error());                                                                        \
      exit(1);                                                                                         \
    }                                                                                                  \
  } while (0)

static int starts_with(const char* text, const char* prefix) {
  return text != NULL && strncmp(text, prefix, strlen(prefix)) == 0;
}

/* Whether the JSON text holds `"name": value` (value as written, e.g. "\"declined\"" or "1"),
 * whatever the white space around the colon. */
static int has_member(const char* json, const char* name, const char* value) {
  char compact[256];
  char spaced[256];
  snprintf(compact, sizeof compact, "\"%s\":%s", name, value);
  snprintf(spaced, sizeof spaced, "\"%s\": %s", name, value);
  return json != NULL && (strstr(json, compact) != NULL || strstr(json, spaced) != NULL);
}

static wm_status apply(wm_engine* engine, const char* event) {
  return wm_engine_apply(engine, event, strlen(event), NULL);
}

/* The day at the desk the tests replay: a request; the proposals the ranking leads with, each
 * in turn: own network (declined), the neighbourhood team's short track (declined), then
 * individual debt counselling, accepted, started and ended with code 32 (continued in general
 * basic support); and the household's consent for its GP. */
static const char* const desk_day[] = {
    "{\"id\":\"c-01\",\"type\":\"need.open\",\"at\":\"2026-12-01\",\"need\":\"N-C1\",\"resident\":\"R0144\","
    "\"domain\":\"finances\",\"severity\":2}",
    "{\"id\":\"c-02\",\"type\":\"referral.propose\",\"at\":\"2026-12-01\",\"referral\":\"ref-1\",\"need\":\"N-C1\"}",
    "{\"id\":\"c-03\",\"type\":\"referral.offer\",\"at\":\"2026-12-02\",\"referral\":\"ref-1\"}",
    "{\"id\":\"c-04\",\"type\":\"referral.decline\",\"at\":\"2026-12-03\",\"referral\":\"ref-1\","
    "\"reason\":\"not_interested\"}",
    /* Own network before the team (collective first): the other neighbour who offered help with
       money, and the introduction through a tie of a tie, are declined too (a third neighbour
       volunteers too many hours to be asked). */
    "{\"id\":\"c-04a\",\"type\":\"referral.propose\",\"at\":\"2026-12-02\",\"referral\":\"ref-1b\","
    "\"need\":\"N-C1\",\"option\":\"neighbour:R0047\"}",
    "{\"id\":\"c-04b\",\"type\":\"referral.decline\",\"at\":\"2026-12-02\",\"referral\":\"ref-1b\","
    "\"reason\":\"distance\"}",
    "{\"id\":\"c-04e\",\"type\":\"referral.propose\",\"at\":\"2026-12-02\",\"referral\":\"ref-1d\","
    "\"need\":\"N-C1\",\"option\":\"network:R0096\"}",
    "{\"id\":\"c-04f\",\"type\":\"referral.decline\",\"at\":\"2026-12-02\",\"referral\":\"ref-1d\","
    "\"reason\":\"not_interested\"}",
    "{\"id\":\"c-05\",\"type\":\"referral.propose\",\"at\":\"2026-12-03\",\"referral\":\"ref-2\",\"need\":\"N-C1\"}",
    "{\"id\":\"c-06\",\"type\":\"referral.decline\",\"at\":\"2026-12-03\",\"referral\":\"ref-2\",\"reason\":"
    "\"schedule\"}",
    "{\"id\":\"c-07\",\"type\":\"referral.propose\",\"at\":\"2026-12-04\",\"referral\":\"ref-3\",\"need\":\"N-C1\"}",
    "{\"id\":\"c-08\",\"type\":\"referral.accept\",\"at\":\"2026-12-04\",\"referral\":\"ref-3\"}",
    "{\"id\":\"c-09\",\"type\":\"referral.start\",\"at\":\"2026-12-07\",\"referral\":\"ref-3\"}",
    "{\"id\":\"c-10\",\"type\":\"referral.end\",\"at\":\"2027-03-01\",\"referral\":\"ref-3\",\"reason\":\"32\"}",
    "{\"id\":\"c-11\",\"type\":\"consent.grant\",\"at\":\"2027-03-01\",\"household\":\"H056\",\"party\":\"gp\","
    "\"parts\":[\"referrals\"]}",
};
enum { desk_day_count = sizeof desk_day / sizeof desk_day[0] };

static void check_versions_and_names(void) {
  CHECK(wm_version() != NULL && strlen(wm_version()) >= 5);
  CHECK(strcmp(wm_status_name(WM_OK), "WM_OK") == 0);
  CHECK(strcmp(wm_status_name(WM_EVENT_REFUSED), "WM_EVENT_REFUSED") == 0);
  CHECK(strcmp(wm_status_name(WM_INTERNAL), "WM_INTERNAL") == 0);
  CHECK(strcmp(wm_status_name((wm_status)99), "WM_UNKNOWN") == 0);
  CHECK(strcmp(wm_last_error(), "") == 0);
  wm_free(NULL);
}

/* Every NULL where an argument is required: WM_INVALID_ARGUMENT naming the argument, the
 * output cleared, no crash. */
static void check_null_arguments(wm_engine* engine) {
  char* out = (char*)"untouched";
  uint64_t checksum = 1;
  int64_t sequence = 1;
  size_t applied = 1;
  wm_engine* opened = (wm_engine*)engine;

  CHECK(wm_engine_open(NULL, NULL, NULL, &opened) == WM_INVALID_ARGUMENT);
  CHECK(opened == NULL);
  CHECK(strstr(wm_last_error(), "model_path") != NULL);
  CHECK(wm_engine_open("x.json", NULL, NULL, NULL) == WM_INVALID_ARGUMENT);
  CHECK(strstr(wm_last_error(), "out") != NULL);

  CHECK(wm_engine_apply(NULL, "{}", 2, NULL) == WM_INVALID_ARGUMENT);
  CHECK(strstr(wm_last_error(), "engine") != NULL);
  CHECK(wm_engine_apply(engine, NULL, 0, &out) == WM_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK(strstr(wm_last_error(), "event_json") != NULL);
  CHECK(wm_engine_apply_lines(engine, NULL, 0, &applied) == WM_INVALID_ARGUMENT);
  CHECK(applied == 0);
  CHECK(wm_engine_apply_lines(NULL, "", 0, NULL) == WM_INVALID_ARGUMENT);

  out = (char*)"untouched";
  CHECK(wm_engine_rank(engine, NULL, &out) == WM_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK(strstr(wm_last_error(), "need_key") != NULL);
  CHECK(wm_engine_rank(NULL, "N001", &out) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_rank(engine, "N001", NULL) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_audit(engine, NULL, &out) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_audit(NULL, "N001", &out) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_audit(engine, "N001", NULL) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_read_plan(engine, NULL, "gp", "2027-01-01", &out) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_read_plan(engine, "H056", NULL, "2027-01-01", &out) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_read_plan(engine, "H056", "gp", NULL, &out) == WM_INVALID_ARGUMENT);
  CHECK(strstr(wm_last_error(), "date") != NULL);
  CHECK(wm_engine_read_plan(engine, "H056", "gp", "2027-01-01", NULL) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_read_plan(NULL, "H056", "gp", "2027-01-01", &out) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_declines(NULL, &out) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_declines(engine, NULL) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_checksum(NULL, &checksum) == WM_INVALID_ARGUMENT);
  CHECK(checksum == 0);
  CHECK(wm_engine_checksum(engine, NULL) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_sequence(NULL, &sequence) == WM_INVALID_ARGUMENT);
  CHECK(sequence == 0);
  CHECK(wm_engine_sequence(engine, NULL) == WM_INVALID_ARGUMENT);
  CHECK(wm_engine_snapshot(NULL) == WM_INVALID_ARGUMENT);
  wm_engine_close(NULL);

  /* A success clears the message. */
  REQUIRE_OK(wm_engine_sequence(engine, &sequence));
  CHECK(strcmp(wm_last_error(), "") == 0);
}

static void check_open_errors(const char* dir) {
  wm_engine* engine = NULL;
  char path[4096];
  FILE* file;
  CHECK(wm_engine_open("/nonexistent/model.json", NULL, NULL, &engine) == WM_IO_ERROR);
  CHECK(engine == NULL);
  CHECK(strstr(wm_last_error(), "cannot read /nonexistent/model.json") != NULL);

  snprintf(path, sizeof path, "%s/bad.json", dir);
  file = fopen(path, "w");
  CHECK(file != NULL);
  if (file == NULL) return;
  fputs("{\"format\": \"wijkmatch-neighbourhood\", \"format_version\": 1, \"households\": 3}", file);
  fclose(file);
  CHECK(wm_engine_open(path, NULL, NULL, &engine) == WM_INPUT_ERROR);
  CHECK(engine == NULL);
  CHECK(strstr(wm_last_error(), "/households") != NULL);
}

/* The referral lifecycle on an engine in memory, and the errors of the reading calls. */
static void check_lifecycle(const char* model) {
  wm_engine* engine = NULL;
  char* out = NULL;
  int64_t sequence = -1;
  uint64_t before = 0;
  uint64_t after = 0;
  size_t i;
  const char* malformed =
      "{\"id\":\"c-bad\",\"type\":\"referral.decline\",\"at\":\"2026-12-03\",\"referral\":\"ref-1\","
      "\"reason\":\"schedule\"}";
  const char* no_reason =
      "{\"id\":\"c-bad2\",\"type\":\"referral.decline\",\"at\":\"2026-12-03\",\"referral\":\"ref-1\"}";
  const char* truncated = "{\"id\":\"c-trunc\",\"type\":\"need.op";

  REQUIRE_OK(wm_engine_open(model, NULL, NULL, &engine));
  check_null_arguments(engine);

  REQUIRE_OK(wm_engine_rank(engine, "N001", &out));
  CHECK(strstr(out, "\"rankings\"") != NULL && strstr(out, "N001") != NULL);
  wm_free(out);
  out = (char*)"untouched";
  CHECK(wm_engine_rank(engine, "N-C1", &out) == WM_NOT_FOUND);
  CHECK(out == NULL);
  CHECK(strstr(wm_last_error(), "N-C1") != NULL);
  CHECK(wm_engine_audit(engine, "N-C1", &out) == WM_NOT_FOUND);

  REQUIRE_OK(wm_engine_apply(engine, desk_day[0], strlen(desk_day[0]), &out));
  CHECK(has_member(out, "event_id", "\"c-01\"") && has_member(out, "seq", "1") &&
        has_member(out, "duplicate", "false"));
  wm_free(out);
  REQUIRE_OK(wm_engine_rank(engine, "N-C1", &out));
  CHECK(strstr(out, "N-C1") != NULL);
  wm_free(out);

  /* The same id again applies once. */
  REQUIRE_OK(wm_engine_apply(engine, desk_day[0], strlen(desk_day[0]), &out));
  CHECK(has_member(out, "duplicate", "true"));
  wm_free(out);
  REQUIRE_OK(wm_engine_sequence(engine, &sequence));
  CHECK(sequence == 1);

  for (i = 1; i < 4; ++i) REQUIRE_OK(apply(engine, desk_day[i]));

  /* Refused events change nothing and say why, naming the event. */
  REQUIRE_OK(wm_engine_checksum(engine, &before));
  CHECK(apply(engine, malformed) == WM_EVENT_REFUSED);
  CHECK(starts_with(wm_last_error(), "event c-bad: "));
  CHECK(strstr(wm_last_error(), "/referral") != NULL); /* ref-1 is declined already */
  CHECK(apply(engine, no_reason) == WM_EVENT_REFUSED);
  CHECK(starts_with(wm_last_error(), "event c-bad2: /reason: "));
  CHECK(apply(engine, truncated) == WM_EVENT_REFUSED);
  CHECK(starts_with(wm_last_error(), "event "));
  out = (char*)"untouched";
  CHECK(wm_engine_apply(engine, "{\"id\":\"c-x\"}", 12, &out) == WM_EVENT_REFUSED);
  CHECK(out == NULL);
  /* `len` bounds the text: the event below is cut before its closing brace. */
  CHECK(wm_engine_apply(engine, desk_day[4], strlen(desk_day[4]) - 1, NULL) == WM_EVENT_REFUSED);
  REQUIRE_OK(wm_engine_checksum(engine, &after));
  CHECK(before == after);
  REQUIRE_OK(wm_engine_sequence(engine, &sequence));
  CHECK(sequence == 4);

  /* Declines count offers only: the own-network decline is not among them. */
  REQUIRE_OK(wm_engine_declines(engine, &out));
  CHECK(strcmp(out, "{\"declines\":[]}") == 0);
  wm_free(out);
  for (i = 4; i < 10; ++i) REQUIRE_OK(apply(engine, desk_day[i]));
  REQUIRE_OK(wm_engine_declines(engine, &out));
  CHECK(has_member(out, "offer", "\"wijkteam-kort\"") && has_member(out, "total", "1") &&
        has_member(out, "schedule", "1") && has_member(out, "not_interested", "0"));
  wm_free(out);

  for (i = 10; i < desk_day_count; ++i) REQUIRE_OK(apply(engine, desk_day[i]));
  REQUIRE_OK(wm_engine_audit(engine, "N-C1", &out));
  CHECK(has_member(out, "decline_reason", "\"not_interested\""));
  CHECK(has_member(out, "decline_reason", "\"schedule\""));
  CHECK(has_member(out, "option", "\"schuldhulpverlening\""));
  CHECK(has_member(out, "ending_reason", "\"32\""));
  CHECK(has_member(out, "fhir_status", "\"completed\""));
  CHECK(strstr(out, "\"lower_levels\"") != NULL); /* accounted for: basic care and above */
  wm_free(out);

  /* The household's plan as a party may see it. */
  CHECK(wm_engine_read_plan(engine, "H-none", "gp", "2027-03-02", &out) == WM_NOT_FOUND);
  CHECK(wm_engine_read_plan(engine, "H056", "gp", "2 March 2027", &out) == WM_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK(wm_engine_read_plan(engine, "H056", "a party with spaces", "2027-03-02", &out) == WM_INVALID_ARGUMENT);
  REQUIRE_OK(wm_engine_read_plan(engine, "H056", "gp", "2027-03-02", &out));
  CHECK(strstr(out, "ref-3") != NULL);
  wm_free(out);
  REQUIRE_OK(wm_engine_read_plan(engine, "H056", "insurer", "2027-03-02", &out));
  CHECK(strstr(out, "ref-3") == NULL); /* granted nothing */
  wm_free(out);

  CHECK(wm_engine_snapshot(engine) == WM_STATE_ERROR);
  CHECK(strlen(wm_last_error()) > 0);
  wm_engine_close(engine);
}

/* Events as JSON Lines: blank lines skipped, the refused line named, the ones before it kept. */
static void check_lines(const char* model) {
  wm_engine* engine = NULL;
  size_t applied = 99;
  int64_t sequence = -1;
  const char* text =
      "{\"id\":\"l-1\",\"type\":\"need.open\",\"at\":\"2026-12-01\",\"need\":\"N-L1\",\"resident\":\"R0144\","
      "\"domain\":\"finances\",\"severity\":2}\n"
      "\n"
      "{\"id\":\"l-1\",\"type\":\"need.open\",\"at\":\"2026-12-01\",\"need\":\"N-L1\",\"resident\":\"R0144\","
      "\"domain\":\"finances\",\"severity\":2}\r\n"
      "{\"id\":\"l-2\",\"type\":\"need.update\",\"at\":\"2026-12-02\",\"need\":\"N-L1\",\"severity\":3}\n"
      "{\"id\":\"l-3\",\"type\":\"need.close\",\"at\":\"2026-12-03\",\"need\":\"N-unknown\"}\n"
      "{\"id\":\"l-4\",\"type\":\"need.close\",\"at\":\"2026-12-03\",\"need\":\"N-L1\"}\n";
  REQUIRE_OK(wm_engine_open(model, NULL, NULL, &engine));
  CHECK(wm_engine_apply_lines(engine, text, strlen(text), &applied) == WM_EVENT_REFUSED);
  CHECK(applied == 3); /* l-1, its duplicate, l-2 */
  CHECK(starts_with(wm_last_error(), "line 5: event l-3: /need: "));
  REQUIRE_OK(wm_engine_sequence(engine, &sequence));
  CHECK(sequence == 2);
  REQUIRE_OK(wm_engine_apply_lines(engine, "", 0, &applied));
  CHECK(applied == 0);
  wm_engine_close(engine);
}

/* A durable engine: events journaled, a snapshot, closed and reopened with the same state as
 * an engine in memory that applied the same events. */
static void check_durable(const char* model, const char* dir) {
  char journal[4096];
  char lines[4096] = "";
  wm_engine* engine = NULL;
  wm_engine* memory = NULL;
  uint64_t written = 0;
  uint64_t reopened = 1;
  uint64_t replayed = 2;
  int64_t sequence = -1;
  size_t applied = 0;
  size_t i;
  FILE* file;
  snprintf(journal, sizeof journal, "%s/journal.sqlite", dir);

  REQUIRE_OK(wm_engine_open(model, journal, NULL, &engine));
  for (i = 0; i < 4; ++i) REQUIRE_OK(apply(engine, desk_day[i]));
  REQUIRE_OK(wm_engine_snapshot(engine));
  for (i = 4; i < desk_day_count; ++i) {
    strcat(lines, desk_day[i]);
    strcat(lines, "\n");
  }
  REQUIRE_OK(wm_engine_apply_lines(engine, lines, strlen(lines), &applied));
  CHECK(applied == desk_day_count - 4);
  REQUIRE_OK(wm_engine_checksum(engine, &written));
  wm_engine_close(engine);

  engine = NULL;
  REQUIRE_OK(wm_engine_open(model, journal, NULL, &engine));
  REQUIRE_OK(wm_engine_checksum(engine, &reopened));
  REQUIRE_OK(wm_engine_sequence(engine, &sequence));
  CHECK(reopened == written);
  CHECK(sequence == desk_day_count);
  /* Retried after the reopen: still applied once. */
  REQUIRE_OK(apply(engine, desk_day[0]));
  REQUIRE_OK(wm_engine_sequence(engine, &sequence));
  CHECK(sequence == desk_day_count);
  wm_engine_close(engine);

  REQUIRE_OK(wm_engine_open(model, NULL, NULL, &memory));
  for (i = 0; i < desk_day_count; ++i) REQUIRE_OK(apply(memory, desk_day[i]));
  REQUIRE_OK(wm_engine_checksum(memory, &replayed));
  CHECK(replayed == written);
  wm_engine_close(memory);

  /* A journal where none can be created, and a file that is no journal. */
  engine = NULL;
  snprintf(journal, sizeof journal, "%s/no-such-dir/journal.sqlite", dir);
  CHECK(wm_engine_open(model, journal, NULL, &engine) == WM_IO_ERROR);
  CHECK(engine == NULL);
  CHECK(strstr(wm_last_error(), "does not exist") != NULL);
  snprintf(journal, sizeof journal, "%s/not-a-journal.sqlite", dir);
  file = fopen(journal, "w");
  CHECK(file != NULL);
  if (file == NULL) return;
  fputs(
      "these bytes are no SQLite database, and longer than its 100-byte header would be..........."
      "..........................................................................................",
      file);
  fclose(file);
  CHECK(wm_engine_open(model, journal, NULL, &engine) == WM_INPUT_ERROR);
  CHECK(engine == NULL);
  CHECK(strstr(wm_last_error(), "not a wijkmatch journal") != NULL);
}

/* Messages are per thread: another thread starts clean and its failure stays its own. */
static void* other_thread(void* arg) {
  int64_t sequence;
  (void)arg;
  if (strcmp(wm_last_error(), "") != 0) return "a message from another thread";
  if (wm_engine_sequence(NULL, &sequence) != WM_INVALID_ARGUMENT) return "no WM_INVALID_ARGUMENT";
  return strstr(wm_last_error(), "engine") != NULL ? NULL : "no message of its own";
}

static void check_thread_local_message(void) {
  pthread_t thread;
  void* result = "not joined";
  CHECK(wm_engine_rank(NULL, "N001", NULL) == WM_INVALID_ARGUMENT);
  CHECK(strstr(wm_last_error(), "json_out") != NULL);
  CHECK(pthread_create(&thread, NULL, other_thread, NULL) == 0);
  CHECK(pthread_join(thread, &result) == 0);
  CHECK(result == NULL);
  CHECK(strstr(wm_last_error(), "json_out") != NULL);
}

/* One thread applies events while this one reads: the C API takes writers from any thread. */
enum { concurrent_events = 20 };
static void* apply_from_thread(void* engine) {
  char event[256];
  int i;
  for (i = 0; i < concurrent_events; ++i) {
    snprintf(event, sizeof event,
             "{\"id\":\"t-%d\",\"type\":\"need.open\",\"at\":\"2026-12-01\",\"need\":\"N-T%d\","
             "\"resident\":\"R0010\",\"domain\":\"social_network\",\"severity\":2}",
             i, i);
    if (apply((wm_engine*)engine, event) != WM_OK) return "an event was refused";
  }
  return NULL;
}

static void check_concurrent_reads(const char* model) {
  wm_engine* engine = NULL;
  pthread_t writer;
  void* result = "not joined";
  int i;
  int64_t sequence = -1;
  char* out = NULL;
  REQUIRE_OK(wm_engine_open(model, NULL, NULL, &engine));
  CHECK(pthread_create(&writer, NULL, apply_from_thread, engine) == 0);
  for (i = 0; i < 20; ++i) {
    CHECK(wm_engine_rank(engine, "N001", &out) == WM_OK);
    wm_free(out);
    CHECK(wm_engine_declines(engine, &out) == WM_OK);
    wm_free(out);
  }
  CHECK(pthread_join(writer, &result) == 0);
  CHECK(result == NULL);
  REQUIRE_OK(wm_engine_sequence(engine, &sequence));
  CHECK(sequence == concurrent_events);
  REQUIRE_OK(wm_engine_rank(engine, "N-T19", &out));
  wm_free(out);
  wm_engine_close(engine);
}

static int remove_entry(const char* path, const struct stat* info, int flag, struct FTW* ftw) {
  (void)info;
  (void)flag;
  (void)ftw;
  return remove(path);
}

int main(int argc, char** argv) {
  char dir[] = "/tmp/wijkmatch_c_api_XXXXXX";
  if (argc != 2) {
    fprintf(stderr, "usage: test_c_api MODEL\n");
    return 2;
  }
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 2;
  }
  check_versions_and_names();
  check_open_errors(dir);
  check_lifecycle(argv[1]);
  check_lines(argv[1]);
  check_durable(argv[1], dir);
  check_thread_local_message();
  check_concurrent_reads(argv[1]);
  nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  if (failures > 0) {
    fprintf(stderr, "test_c_api: %d checks failed\n", failures);
    return 1;
  }
  printf("test_c_api: all checks passed\n");
  return 0;
}
