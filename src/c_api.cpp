// The C API (include/wijkmatch/wijkmatch.h) over wijkmatch::Engine. Every entry point runs its
// body inside guarded(), which turns every exception into a status and a thread-local message:
// an exception unwinding into C code is undefined behaviour.
#include "wijkmatch/wijkmatch.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <ios>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "json_util.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/policy.hpp"

struct wm_engine {
  explicit wm_engine(wijkmatch::Engine e) : engine(std::move(e)) {}
  wijkmatch::Engine engine;
  // The C++ Engine allows one writing thread; the C API lets any thread write, so writers
  // take this. So does what reads Engine::model() (keys), which is only stable while no event
  // is applied. Readers of the engine's own results do not: its writer-first lock serves them,
  // and a reader-preferring lock here could starve the writers.
  mutable std::mutex writer;
};

namespace {

using json = nlohmann::json;

// The message of the latest failed call on this thread. `last_error_lost` stands in when the
// message itself could not be stored (no memory left), so that wm_last_error is never wrong.
thread_local std::string last_error;
thread_local bool last_error_lost = false;

wm_status fail(wm_status status, std::string_view message) noexcept {
  try {
    last_error.assign(message);
    last_error_lost = false;
  } catch (...) {
    last_error_lost = true;
  }
  return status;
}

void succeed() noexcept {
  last_error.clear();  // keeps the capacity, cannot throw
  last_error_lost = false;
}

// read_input's documented messages for a source it cannot read ("cannot read PATH: ...",
// pointer "" for the whole document): the file system's fault, not the document's.
bool is_unreadable_source(const wijkmatch::InputError& e) {
  const auto& problems = e.problems();
  return problems.size() == 1 && problems[0].pointer.empty() && problems[0].reason.starts_with("cannot read ");
}

template <class Body>
wm_status guarded(Body&& body) noexcept {
  try {
    const wm_status status = body();
    if (status == WM_OK) succeed();
    return status;
  } catch (const wijkmatch::EventError& e) {
    return fail(WM_EVENT_REFUSED, e.what());
  } catch (const wijkmatch::InputError& e) {
    return fail(is_unreadable_source(e) ? WM_IO_ERROR : WM_INPUT_ERROR, e.what());
  } catch (const wijkmatch::InvalidArgument& e) {
    return fail(WM_INVALID_ARGUMENT, e.what());
  } catch (const wijkmatch::StateError& e) {
    return fail(WM_STATE_ERROR, e.what());
  } catch (const wijkmatch::Error& e) {
    // Outside wm_engine_open the remaining wijkmatch errors are files that cannot be written
    // (the journal, a snapshot).
    return fail(WM_IO_ERROR, e.what());
  } catch (const std::bad_alloc&) {
    return fail(WM_OUT_OF_MEMORY, "out of memory");
  } catch (const std::filesystem::filesystem_error& e) {
    return fail(WM_IO_ERROR, e.what());
  } catch (const std::ios_base::failure& e) {
    return fail(WM_IO_ERROR, e.what());
  } catch (const std::exception& e) {
    return fail(WM_INTERNAL, e.what());
  } catch (...) {
    return fail(WM_INTERNAL, "unknown exception");
  }
}

wm_status null_argument(const char* function, const char* name) {
  return fail(WM_INVALID_ARGUMENT, std::string(function) + ": " + name + " is NULL");
}

// A copy the caller frees with wm_free (which is free(): malloc pairs with it across any
// allocator the C++ side uses).
char* c_string(std::string_view text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) throw std::bad_alloc();
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

// Stores `text` in *out; the caller has checked out != nullptr.
wm_status give(std::string_view text, char** out) {
  *out = c_string(text);
  return WM_OK;
}

// Which of `events` apply_all refused with an EventError for `event_id`. Every event before
// it was applied or was a duplicate, so (sequence numbers skip duplicates) it is found by id:
// the first event whose id is `event_id`, or for "" the first whose id cannot be read, read
// with the same helpers as the engine's own reader. O(events before it).
std::size_t refused_index(const std::vector<std::string>& events, const std::string& event_id) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    std::vector<wijkmatch::Problem> problems;
    auto doc = wijkmatch::detail::parse_checked(events[i], std::size_t{1} << 20, 32, problems);
    std::optional<std::string> id;
    if (doc && doc->is_object()) id = wijkmatch::detail::Reader(problems, 1).key(*doc, "", "id");
    if (id ? *id == event_id : event_id.empty()) return i;
  }
  return events.size();
}

bool usable_file(const char* path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && ::access(path, R_OK | W_OK) == 0;
}

json applied_json(const wijkmatch::Applied& a) {
  return json{{"event_id", a.event_id}, {"seq", a.seq}, {"duplicate", a.duplicate}};
}

}  // namespace

extern "C" {

const char* wm_version(void) { return WIJKMATCH_VERSION; }

const char* wm_status_name(wm_status status) {
  // C callers may pass any int, but in C++ loading a value beyond the enumerators' range as a
  // wm_status is undefined (UBSan's enum check says so): the bits are read as the int they are.
  int code = 0;
  static_assert(sizeof code == sizeof status);
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case WM_OK: return "WM_OK";
    case WM_INVALID_ARGUMENT: return "WM_INVALID_ARGUMENT";
    case WM_INPUT_ERROR: return "WM_INPUT_ERROR";
    case WM_EVENT_REFUSED: return "WM_EVENT_REFUSED";
    case WM_NOT_FOUND: return "WM_NOT_FOUND";
    case WM_STATE_ERROR: return "WM_STATE_ERROR";
    case WM_IO_ERROR: return "WM_IO_ERROR";
    case WM_OUT_OF_MEMORY: return "WM_OUT_OF_MEMORY";
    case WM_INTERNAL: return "WM_INTERNAL";
  }
  return "WM_UNKNOWN";
}

const char* wm_last_error(void) {
  return last_error_lost ? "out of memory (the message could not be stored)" : last_error.c_str();
}

void wm_free(char* text) { std::free(text); }

wm_status wm_engine_open(const char* model_path, const char* journal_path, const char* policy_path, wm_engine** out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("wm_engine_open", "out");
    *out = nullptr;
    if (model_path == nullptr) return null_argument("wm_engine_open", "model_path");
    wijkmatch::Model model = wijkmatch::load_any(model_path);
    wijkmatch::EngineOptions options;
    if (policy_path != nullptr) options.policy = wijkmatch::load_policy(policy_path);
    if (journal_path == nullptr) {
      *out = new wm_engine(wijkmatch::Engine(std::move(model), std::move(options)));
      return WM_OK;
    }
    try {
      *out = new wm_engine(wijkmatch::Engine::open(std::move(model), journal_path, std::move(options)));
    } catch (const wijkmatch::InputError&) {
      throw;
    } catch (const wijkmatch::InvalidArgument&) {
      throw;
    } catch (const wijkmatch::StateError&) {
      throw;
    } catch (const wijkmatch::Error& e) {
      // The journal reports both a file it cannot open and contents it rejects (not a journal,
      // a checksum mismatch, an entry that does not replay) as a plain Error. A file that is
      // there, readable and writable, was rejected for what it holds.
      return fail(usable_file(journal_path) ? WM_INPUT_ERROR : WM_IO_ERROR, e.what());
    }
    return WM_OK;
  });
}

// Every event is journaled when its apply returned, so closing has nothing left to report;
// Engine's destructor does not throw.
void wm_engine_close(wm_engine* engine) { delete engine; }

wm_status wm_engine_apply(wm_engine* engine, const char* event_json, size_t len, char** result_json) {
  return guarded([&] {
    if (result_json != nullptr) *result_json = nullptr;
    if (engine == nullptr) return null_argument("wm_engine_apply", "engine");
    if (event_json == nullptr) return null_argument("wm_engine_apply", "event_json");
    std::unique_lock writer(engine->writer);
    const wijkmatch::Applied applied = engine->engine.apply(std::string_view(event_json, len));
    writer.unlock();
    if (result_json != nullptr) return give(applied_json(applied).dump(), result_json);
    return WM_OK;
  });
}

wm_status wm_engine_apply_lines(wm_engine* engine, const char* lines, size_t len, size_t* applied) {
  return guarded([&] {
    if (applied != nullptr) *applied = 0;
    if (engine == nullptr) return null_argument("wm_engine_apply_lines", "engine");
    if (lines == nullptr) return null_argument("wm_engine_apply_lines", "lines");
    std::vector<std::string> events;
    std::vector<std::size_t> line_numbers;  // of events[i], from 1
    const std::string_view text(lines, len);
    std::size_t number = 0;
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string_view line = text.substr(start, end - start);
      ++number;
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
        events.emplace_back(line);
        line_numbers.push_back(number);
      }
      start = end + 1;
    }
    std::unique_lock writer(engine->writer);
    try {
      const auto done = engine->engine.apply_all(events);
      if (applied != nullptr) *applied = done.size();
    } catch (const wijkmatch::EventError& e) {
      const std::size_t refused = refused_index(events, e.event_id());
      if (applied != nullptr) *applied = refused;
      if (refused < line_numbers.size())
        return fail(WM_EVENT_REFUSED, "line " + std::to_string(line_numbers[refused]) + ": " + e.what());
      throw;
    }
    return WM_OK;
  });
}

wm_status wm_engine_rank(const wm_engine* engine, const char* need_key, char** json_out) {
  return guarded([&] {
    if (json_out == nullptr) return null_argument("wm_engine_rank", "json_out");
    *json_out = nullptr;
    if (engine == nullptr) return null_argument("wm_engine_rank", "engine");
    if (need_key == nullptr) return null_argument("wm_engine_rank", "need_key");
    try {
      return give(engine->engine.rank_json(need_key), json_out);
    } catch (const wijkmatch::InvalidArgument& e) {  // the one argument: an unknown need
      return fail(WM_NOT_FOUND, e.what());
    }
  });
}

wm_status wm_engine_audit(const wm_engine* engine, const char* need_key, char** json_out) {
  return guarded([&] {
    if (json_out == nullptr) return null_argument("wm_engine_audit", "json_out");
    *json_out = nullptr;
    if (engine == nullptr) return null_argument("wm_engine_audit", "engine");
    if (need_key == nullptr) return null_argument("wm_engine_audit", "need_key");
    try {
      return give(engine->engine.audit_json(need_key), json_out);
    } catch (const wijkmatch::InvalidArgument& e) {  // the one argument: an unknown need
      return fail(WM_NOT_FOUND, e.what());
    }
  });
}

wm_status wm_engine_read_plan(wm_engine* engine, const char* household_key, const char* party, const char* date,
                              char** json_out) {
  return guarded([&] {
    if (json_out == nullptr) return null_argument("wm_engine_read_plan", "json_out");
    *json_out = nullptr;
    if (engine == nullptr) return null_argument("wm_engine_read_plan", "engine");
    if (household_key == nullptr) return null_argument("wm_engine_read_plan", "household_key");
    if (party == nullptr) return null_argument("wm_engine_read_plan", "party");
    if (date == nullptr) return null_argument("wm_engine_read_plan", "date");
    const auto at = wijkmatch::detail::parse_date(date);
    if (!at) return fail(WM_INVALID_ARGUMENT, "wm_engine_read_plan: date must be YYYY-MM-DD");
    std::unique_lock writer(engine->writer);
    if (!engine->engine.model().find_household(household_key))
      return fail(WM_NOT_FOUND, std::string("unknown household \"") + household_key + "\"");
    return give(engine->engine.read_plan(household_key, party, *at), json_out);
  });
}

wm_status wm_engine_declines(const wm_engine* engine, char** json_out) {
  return guarded([&] {
    if (json_out == nullptr) return null_argument("wm_engine_declines", "json_out");
    *json_out = nullptr;
    if (engine == nullptr) return null_argument("wm_engine_declines", "engine");
    std::lock_guard no_writer(engine->writer);  // model(): the offers' keys
    const auto& model = engine->engine.model();
    json list = json::array();
    for (const auto& counts : engine->engine.declines()) {
      json by_reason = json::object();
      for (std::size_t r = 0; r < wijkmatch::decline_reason_count; ++r)
        by_reason[std::string(wijkmatch::to_string(static_cast<wijkmatch::DeclineReason>(r)))] = counts.by_reason[r];
      list.push_back(
          json{{"offer", model[counts.offer].key}, {"total", counts.total()}, {"by_reason", std::move(by_reason)}});
    }
    return give(json{{"declines", std::move(list)}}.dump(), json_out);
  });
}

wm_status wm_engine_checksum(const wm_engine* engine, uint64_t* checksum) {
  return guarded([&] {
    if (checksum == nullptr) return null_argument("wm_engine_checksum", "checksum");
    *checksum = 0;
    if (engine == nullptr) return null_argument("wm_engine_checksum", "engine");
    *checksum = engine->engine.state_checksum();
    return WM_OK;
  });
}

wm_status wm_engine_sequence(const wm_engine* engine, int64_t* sequence) {
  return guarded([&] {
    if (sequence == nullptr) return null_argument("wm_engine_sequence", "sequence");
    *sequence = 0;
    if (engine == nullptr) return null_argument("wm_engine_sequence", "engine");
    *sequence = engine->engine.sequence();
    return WM_OK;
  });
}

wm_status wm_engine_snapshot(wm_engine* engine) {
  return guarded([&] {
    if (engine == nullptr) return null_argument("wm_engine_snapshot", "engine");
    std::unique_lock writer(engine->writer);
    engine->engine.snapshot();
    return WM_OK;
  });
}

}  // extern "C"
