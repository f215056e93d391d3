// Built against the installed package only: proves find_package(wijkmatch) and the headers work.
#include <iostream>

#include <wijkmatch/wijkmatch.hpp>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  try {
    const wijkmatch::Model model = wijkmatch::load_model(argv[1]);
    const auto graph = wijkmatch::build_compact_graph(model);
    std::cout << "consumer: " << model.residents.size() << " residents, " << boost::num_edges(graph)
              << " compact edges\n";
    return model.residents.empty() ? 1 : 0;
  } catch (const wijkmatch::InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
