// Ranking, output: option labels, the documented JSON (docs/ranking.md) and the text a
// professional reads. See include/wijkmatch/ranking.hpp.
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ranking_detail.hpp"

namespace wijkmatch {
namespace {

using Json = nlohmann::ordered_json;

std::string rejection_label(const Model& m, const Rejection& x) {
  Option tmp;
  tmp.offer = x.offer;
  tmp.tie = x.tie;
  tmp.neighbour = x.neighbour;
  return option_label(m, tmp);
}

Json option_json(const Model& m, const Option& o) {
  Json j;
  j["offer"] = option_label(m, o);
  j["level"] = std::string(to_string(o.level));
  j["score"] = o.score;
  auto& c = j["contributions"] = Json::object();
  for (const auto& k : o.contributions) c[std::string(to_string(k.feature))] = std::round(k.points * 1e6) / 1e6;
  auto& f = j["features"] = Json::object();
  for (const auto& k : o.contributions) f[std::string(to_string(k.feature))] = std::round(k.value * 1e6) / 1e6;
  j["reasons"] = o.reasons;
  j["alongside"] = o.alongside;
  j["acceptable"] = o.acceptable;
  j["waiting_position"] = o.waiting_position;
  j["distance_m"] = std::round(o.distance_m);
  if (o.tie.valid()) {
    const Tie& t = m.ties.at(o.tie.index());
    j["tie"] = {{"helper", m[t.helper].key},
                {"kind", std::string(to_string(t.kind))},
                {"introduced_by", o.via.valid() ? Json(m[o.via].key) : Json(nullptr)}};
  }
  if (o.neighbour.valid())
    j["neighbour"] = {
        {"helper", m[o.neighbour].key},
        {"exchange", o.exchange.valid() ? Json(m[o.exchange].key) : Json(nullptr)},
        {"exchange_domain", o.exchange.valid() ? Json(std::string(to_string(m[o.exchange].domain))) : Json(nullptr)}};
  return j;
}

Json exception_json(const Model& m, const FiredException& e) {
  Json j{{"rule", e.rule},
         {"kind", std::string(to_string(e.kind))},
         {"level", std::string(to_string(e.level))},
         {"reason", e.reason},
         {"met", e.met()}};
  if (!e.unmet) {
    j["unmet"] = nullptr;
    return j;
  }
  const UnmetException& u = *e.unmet;
  Json conditions = Json::array();
  for (const auto& x : u.conditions)
    conditions.push_back({{"offer", rejection_label(m, x)},
                          {"level", std::string(to_string(x.level))},
                          {"failed", std::string(to_string(x.failed))}});
  j["unmet"] = {{"code", std::string(to_string(u.why))},
                {"reason", u.reason},
                {"waiting_position", u.waiting_position},
                {"waiting_for", u.waiting_for.valid() ? Json(m[u.waiting_for].key) : Json(nullptr)},
                {"conditions", std::move(conditions)}};
  return j;
}

}  // namespace

std::string option_label(const Model& model, const Option& o) {
  if (o.offer.valid()) return model.offers.at(o.offer.index()).key;
  if (o.neighbour.valid()) return "neighbour:" + model.residents.at(o.neighbour.index()).key;
  return "network:" + model.residents.at(model.ties.at(o.tie.index()).helper.index()).key;
}

std::string rankings_to_json(const Model& m, const std::vector<Ranking>& rankings, int indent) {
  Json doc;
  auto& list = doc["rankings"] = Json::array();
  for (const auto& r : rankings) {
    const Need& need = m[r.need];
    Json j;
    j["need"] = need.key;
    j["resident"] = m[need.resident].key;
    j["domain"] = std::string(to_string(need.domain));
    j["severity"] = need.severity;
    j["exception"] = r.exception ? exception_json(m, *r.exception) : Json(nullptr);
    auto& opts = j["options"] = Json::array();
    for (const auto& o : r.options) opts.push_back(option_json(m, o));
    j["option_count"] = r.option_count;
    auto& counts = j["rejected_count"] = Json::object();
    for (std::size_t k = 0; k < reject_reason_count; ++k)
      counts[std::string(to_string(static_cast<RejectReason>(k)))] = r.rejected_count[k];
    auto& rej = j["rejected"] = Json::array();
    for (const auto& x : r.rejected)
      rej.push_back({{"offer", rejection_label(m, x)},
                     {"level", std::string(to_string(x.level))},
                     {"failed", std::string(to_string(x.failed))},
                     {"reason", x.reason}});
    list.push_back(std::move(j));
  }
  return doc.dump(indent) + "\n";
}

std::string rankings_to_text(const Model& m, const std::vector<Ranking>& rankings) {
  std::ostringstream out;
  for (const auto& r : rankings) {
    const Need& need = m[r.need];
    out << "Need " << need.key << " of resident " << m[need.resident].key << ": " << to_string(need.domain)
        << ", severity " << need.severity << "\n";
    if (r.exception) {
      out << "  Exception " << r.exception->rule << ": " << r.exception->reason << ".\n    ";
      if (r.exception->met())
        out << to_string(r.exception->level) << " support starts now; lower-level options stay alongside.\n";
      else
        out << "NOT MET (" << to_string(r.exception->unmet->why) << "): " << r.exception->unmet->reason
            << ".\n    The team arranges " << to_string(r.exception->level)
            << " support itself; lower-level options stay alongside.\n";
    }
    if (r.options.empty()) out << "  No options: the need goes on the team's list for a new or individual solution.\n";
    int i = 0;
    for (const auto& o : r.options) {
      out << "  " << ++i << ". " << option_label(m, o) << " (" << to_string(o.level) << ")"
          << (o.alongside ? " alongside" : "")
          << (o.acceptable         ? ""
              : o.waiting_position ? " waiting list"
                                   : " weak match")
          << "  score " << detail::fixed(o.score, 2) << "\n";
      for (const auto& reason : o.reasons) out << "       - " << reason << "\n";
    }
    if (r.option_count > r.options.size())
      out << "  ... and " << r.option_count - r.options.size() << " more option"
          << (r.option_count - r.options.size() == 1 ? "" : "s") << "\n";
    if (!r.rejected.empty()) {
      out << "  Considered, not suitable:\n";
      for (const auto& x : r.rejected)
        out << "     " << rejection_label(m, x) << " (" << to_string(x.level) << "): " << x.reason << "\n";
    } else if (const auto total = r.rejected_total(); total > 0) {
      out << "  Considered, not suitable: " << total << " (";
      const char* sep = "";
      for (std::size_t k = 0; k < reject_reason_count; ++k)
        if (r.rejected_count[k] > 0) {
          out << sep << to_string(static_cast<RejectReason>(k)) << " " << r.rejected_count[k];
          sep = ", ";
        }
      out << ")\n";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace wijkmatch
