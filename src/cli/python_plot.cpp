// See python_plot.hpp. Moved out of monitor_command.cpp so that simulate shares it.
#include "cli/python_plot.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <vector>

extern char** environ;

namespace wijkmatch::cli {

int run_plot_script(std::string_view script_text, std::string_view script_name, const std::string& json,
                    const std::string& dir, std::ostream& err) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "wijkmatch-plot-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    err << "--plot: cannot create a temporary directory\n";
    return 1;
  }
  const fs::path tmp(tmpl);
  const fs::path script = tmp / std::string(script_name), report = tmp / "report.json";
  std::ofstream(script) << script_text;
  std::ofstream(report) << json;
  const char* env_python = std::getenv("WIJKMATCH_PYTHON");
  const std::string python = env_python && *env_python ? env_python : "/usr/bin/python3";
  std::vector<std::string> args{python, script.string(), report.string(), dir};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, python.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (rc == 0) waitpid(pid, &status, 0);
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (rc != 0) {
    err << "--plot: cannot run " << python << "\n";
    return 1;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    err << "--plot: " << python << " failed (is python3-matplotlib installed?)\n";
    return 1;
  }
  return 0;
}

}  // namespace wijkmatch::cli
