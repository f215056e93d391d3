/* A C11 program built against the installed wijkmatch only, through pkg-config or through
 * find_package(wijkmatch) and wijkmatch::wijkmatch_c: proves the header, the shared library and
 * both ways of finding them work for a C consumer.
 * Usage: c_consumer MODEL [EXPECTED_VERSION] */
#include <stdio.h>
#include <string.h>

#include <wijkmatch/wijkmatch.h>

int main(int argc, char** argv) {
  wm_engine* engine = NULL;
  char* ranking = NULL;
  char* missing = NULL;
  int64_t sequence = -1;
  wm_status status;
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: c_consumer MODEL [EXPECTED_VERSION]\n");
    return 2;
  }
  if (argc == 3 && strcmp(argv[2], wm_version()) != 0) {
    fprintf(stderr, "c_consumer: library %s, package says %s\n", wm_version(), argv[2]);
    return 1;
  }
  status = wm_engine_open(argv[1], NULL, NULL, &engine);
  if (status != WM_OK) {
    fprintf(stderr, "c_consumer: %s: %s\n", wm_status_name(status), wm_last_error());
    return 1;
  }
  status = wm_engine_rank(engine, "N001", &ranking);
  if (status != WM_OK || ranking == NULL || strstr(ranking, "\"rankings\"") == NULL) {
    fprintf(stderr, "c_consumer: rank: %s: %s\n", wm_status_name(status), wm_last_error());
    wm_free(ranking);
    wm_engine_close(engine);
    return 1;
  }
  /* An error crosses the boundary as a status and a message, never as an exception. */
  status = wm_engine_rank(engine, "no-such-need", &missing);
  if (status != WM_NOT_FOUND || missing != NULL || strlen(wm_last_error()) == 0) {
    fprintf(stderr, "c_consumer: unknown need gave %s\n", wm_status_name(status));
    wm_engine_close(engine);
    wm_free(ranking);
    return 1;
  }
  if (wm_engine_sequence(engine, &sequence) != WM_OK || sequence != 0) return 1;
  printf("c_consumer: wijkmatch %s, ranking of N001 in %zu bytes\n", wm_version(), strlen(ranking));
  wm_free(ranking);
  wm_engine_close(engine);
  return 0;
}
