// A front-desk day on the live engine: requests arrive, the team proposes collective first,
// a resident declines a group for its schedule, another starts, individual support steps down
// to a group with ending code 32. Each event is applied as a case system would send it, and the
// engine's answer is printed the way a professional would read it.
//
//   example_front_desk_day MODEL EVENTS.jsonl [JOURNAL]
//
// With JOURNAL the engine is durable: run it twice and the second run finds every event applied
// already (the ids are the case system's), at the same state checksum.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "wijkmatch/engine.hpp"
#include "wijkmatch/io.hpp"

namespace {

using namespace wijkmatch;

/// The value of a top-level string field of a flat JSON event (enough for printing).
std::string field(const std::string& line, const std::string& name) {
  const std::string tag = "\"" + name + "\"";
  auto at = line.find(tag);
  if (at == std::string::npos) return {};
  at = line.find('"', line.find(':', at + tag.size()) + 1);
  return at == std::string::npos ? std::string() : line.substr(at + 1, line.find('"', at + 1) - at - 1);
}

std::string describe(const Engine& engine, const std::string& line) {
  const std::string type = field(line, "type");
  if (type == "need.open") {
    const Ranking r = engine.rank(field(line, "need"));
    std::string out = "request " + field(line, "need") + " (" + field(line, "domain") + ")";
    if (const Option* first = r.proposal())
      out +=
          ": first option " + option_label(engine.model(), *first) + " (" + std::string(to_string(first->level)) + ")";
    return out;
  }
  if (type.rfind("referral.", 0) == 0) {
    const auto ref = engine.referral(field(line, "referral"));
    if (!ref) return type;
    std::string out = ref->key + " for " + engine.model()[ref->need].key + ": " + std::string(to_string(ref->state)) +
                      " [FHIR " + std::string(fhir_task_status(ref->state)) + "]";
    if (type == "referral.propose") {
      out +=
          ", option " + option_label(engine.model(), ref->target) + " at " + std::string(to_string(ref->target.level));
      if (ref->accountability)
        for (const auto& l : ref->accountability->lower_levels)
          out += "\n      " + std::string(to_string(l.level)) + " did not serve: " + l.reason;
    }
    if (ref->declined) {
      out += ", reason " + std::string(to_string(*ref->declined));
      const Ranking again = engine.rank(ref->need);
      if (const Option* next = again.proposal()) out += "; next option " + option_label(engine.model(), *next);
    }
    if (ref->ended) out += ", ending code " + std::string(to_code(*ref->ended));
    return out;
  }
  return type + " " + field(line, "household") + field(line, "offer");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: example_front_desk_day MODEL EVENTS.jsonl [JOURNAL]\n";
    return 2;
  }
  try {
    Model model = load_model(argv[1]);
    Engine engine = argc == 4 ? Engine::open(std::move(model), argv[3]) : Engine(std::move(model));
    std::ifstream events(argv[2]);
    if (!events) throw Error(std::string("cannot read ") + argv[2]);
    std::string line;
    int number = 0, applied = 0, again = 0;
    while (std::getline(events, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const Applied result = engine.apply(line);
      if (result.duplicate) {
        ++again;
        continue;
      }
      ++applied;
      std::cout << "  " << field(line, "at") << "  " << describe(engine, line) << "\n";
    }
    std::cout << applied << " events applied, " << again << " applied before (same id); sequence " << engine.sequence()
              << "\n";
    for (const auto& d : engine.declines())
      std::cout << "declines of " << engine.model()[d.offer].key << ": " << d.total() << "\n";
    char checksum[17];
    std::snprintf(checksum, sizeof checksum, "%016llx", static_cast<unsigned long long>(engine.state_checksum()));
    std::cout << "state checksum " << checksum << "\n";
    return 0;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}
