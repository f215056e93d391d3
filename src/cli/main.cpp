#include <iostream>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  std::ios::sync_with_stdio(false);
  const int code = wijkmatch::cli::run(args, std::cout, std::cerr);
  std::cout.flush();
  return code;
}
