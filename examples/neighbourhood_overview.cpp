// Loads a neighbourhood, prints the team's overview and walks the graph: who in the
// neighbourhood carries the most informal help.
//   example_neighbourhood_overview examples/data/neighbourhood.json
#include <algorithm>
#include <iostream>

#include <wijkmatch/wijkmatch.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: example_neighbourhood_overview FILE\n";
    return 2;
  }
  try {
    const wijkmatch::Model model = wijkmatch::load_model(argv[1]);
    std::cout << wijkmatch::to_text(wijkmatch::summarize(model));

    // Busiest helpers by hours given, from the compact graph's outgoing `helps` edges.
    const auto graph = wijkmatch::build_compact_graph(model);
    const wijkmatch::VertexLayout layout(model);
    std::vector<std::pair<double, std::uint32_t>> load;
    for (std::uint32_t r = 0; r < model.residents.size(); ++r) {
      double hours = 0;
      for (auto e : boost::make_iterator_range(boost::out_edges(layout.vertex(wijkmatch::ResidentId(r)), graph)))
        if (graph[e].kind == wijkmatch::EdgeKind::helps) hours += model.ties[graph[e].index].hours_used;
      load.emplace_back(hours, r);
    }
    std::sort(load.begin(), load.end(),
              [](auto a, auto b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::cout << "\nBusiest informal helpers (hours/week given):\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, load.size()); ++i)
      std::cout << "  " << model.residents[load[i].second].key << "  " << load[i].first << "\n";
    return 0;
  } catch (const wijkmatch::InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
