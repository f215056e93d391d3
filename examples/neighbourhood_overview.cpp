// Loads a neighbourhood, prints the team's overview and walks the graph: who in the
// neighbourhood gives the most hours (informal help and volunteering).
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

    // Busiest helpers by hours given (informal help through ties, then volunteering: the rule
    // the ranking applies), from the compact graph's `helps` and `volunteers_at` edges.
    const auto graph = wijkmatch::build_compact_graph(model);
    const wijkmatch::VertexLayout layout(model);
    using wijkmatch::EdgeKind;
    std::vector<std::pair<double, std::uint32_t>> load;
    for (std::uint32_t r = 0; r < model.residents.size(); ++r) {
      const auto v = layout.vertex(wijkmatch::ResidentId(r));
      double hours = 0;
      for (auto e : wijkmatch::out_edges_of_kind(v, EdgeKind::helps, graph))
        hours += model.ties[graph[e].index].hours_used;
      for (auto e : wijkmatch::out_edges_of_kind(v, EdgeKind::volunteers_at, graph)) {
        const auto offer = boost::target(e, graph) - layout.first(wijkmatch::VertexKind::offer);
        hours += model.offers[offer].volunteers[graph[e].index].hours_per_week;
      }
      load.emplace_back(hours, r);
    }
    std::sort(load.begin(), load.end(),
              [](auto a, auto b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::cout << "\nBusiest helpers (hours/week given, ties and volunteering):\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, load.size()); ++i)
      std::cout << "  " << model.residents[load[i].second].key << "  " << load[i].first << "\n";
    return 0;
  } catch (const wijkmatch::InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
