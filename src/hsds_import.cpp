// HSDS 3.x and Amsterdam directory import (include/wijkmatch/hsds.hpp, docs/hsds.md).
//
// Every source (JSON documents, CSV tables, the Amsterdam file) is first read into the same
// plain records (Service, Sal, Place, ...), each field remembering the file and JSON pointer it
// came from; one builder then turns records into offers, so that the same data gives the same
// offer and the same report whichever way it arrived.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "hsds_detail.hpp"
#include "json_util.hpp"
#include "model_check.hpp"
#include "wijkmatch/hsds.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {

std::string to_string(const ImportNote& n) {
  return n.file + "#" + n.pointer + ": record " + (n.record.empty() ? std::string("?") : n.record) + ": " + n.reason;
}

namespace {

using detail::json;

constexpr std::size_t max_file_bytes = std::size_t{256} << 20;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}
bool valid_bu(std::string_view s) {
  if (s.size() != 10 || s.substr(0, 2) != "BU") return false;
  return std::all_of(s.begin() + 2, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Where a value is, for notes.
struct Src {
  std::string file;
  std::string pointer;
  Src at(std::string_view field) const { return {file, pointer + "/" + detail::escape_pointer(field)}; }
  Src at(std::size_t i) const { return {file, pointer + "/" + std::to_string(i)}; }
};

struct Term {
  std::string taxonomy, code, name, value;
  Src src;
};
struct Sched {
  std::string id;
  const json* obj = nullptr;
  Src src;
};
struct Capacity {
  std::string id;
  const json* obj = nullptr;
  const json* unit = nullptr;  // may be nullptr (CSV: looked up)
  Src src;
};
struct Lang {
  const json* obj = nullptr;
  Src src;
};
struct Place {
  std::string id;
  const json* obj = nullptr;
  Src src;
  std::vector<Lang> languages;
};
struct Sal {
  std::string id;
  std::string location_id;
  const Place* place = nullptr;  // nested (JSON)
  std::vector<Sched> schedules;
  Src src;
  std::optional<HsdsArea> area;  // Amsterdam
  std::string area_code;
};
struct Service {
  std::string id;
  const json* obj = nullptr;
  Src src;
  std::string organization_id;
  std::vector<Term> terms;
  std::vector<Sched> schedules;
  std::vector<Capacity> capacities;
  std::vector<Lang> languages;
  std::vector<const json*> costs;
  std::vector<Src> cost_src;
  std::vector<Sal> sals;
  std::vector<std::string> losses;  // Amsterdam: free text a human must read
  std::vector<Src> loss_src;
};

class Importer {
 public:
  Importer(const HsdsMapping& m, const HsdsImportOptions& o) : map_(m), opt_(o) {}

  void error(const Src& s, std::string_view record, std::string reason) {
    if (errors_.size() < opt_.max_problems)
      errors_.push_back({s.file, std::string(record), s.pointer, std::move(reason)});
  }
  void warn(const Src& s, std::string_view record, std::string reason) {
    out_.warnings.push_back({s.file, std::string(record), s.pointer, std::move(reason)});
  }
  void unmapped(const Src& s, std::string_view record, std::string reason) {
    out_.unmapped.push_back({s.file, std::string(record), s.pointer, std::move(reason)});
  }

  // A member as text, or nullopt (absent, null or empty). Numbers in CSV arrive as text.
  std::optional<std::string> text(const json& obj, const Src& s, std::string_view rec, std::string_view name) {
    if (!obj.is_object()) return std::nullopt;
    auto it = obj.find(std::string(name));
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) {
      std::string v = trim(it->get_ref<const std::string&>());
      if (v.empty()) return std::nullopt;
      return v;
    }
    error(s.at(name), rec, "must be a string");
    return std::nullopt;
  }
  std::optional<double> number(const json& obj, const Src& s, std::string_view rec, std::string_view name) {
    if (!obj.is_object()) return std::nullopt;
    auto it = obj.find(std::string(name));
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (it->is_number()) return it->get<double>();
    if (it->is_string()) {
      const std::string v = trim(it->get_ref<const std::string&>());
      if (v.empty()) return std::nullopt;
      double d = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      if (ec == std::errc() && p == v.data() + v.size() && std::isfinite(d)) return d;
    }
    error(s.at(name), rec, "must be a number");
    return std::nullopt;
  }
  // The id of a record; a missing id is an error.
  std::string id_of(const json& obj, const Src& s, std::string_view what) {
    auto id = text(obj, s, "", "id");
    const bool typed = obj.is_object() && obj.contains("id") && !obj["id"].is_null() && !obj["id"].is_string();
    if (!id) {
      // An id of the wrong type is reported by text() already.
      if (!typed) error(s.at("id"), "", "missing required field: every " + std::string(what) + " has an id");
      return {};
    }
    return *id;
  }

  // --- JSON documents -------------------------------------------------------------------
  void read_terms(const json& obj, const Src& s, std::vector<Term>& out) {
    auto it = obj.find("attributes");
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_array()) return error(s.at("attributes"), "", "must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& a = (*it)[i];
      const Src as = s.at("attributes").at(i);
      if (!a.is_object()) {
        error(as, "", "must be an object");
        continue;
      }
      Term t;
      t.src = as;
      t.value = text(a, as, "", "value").value_or("");
      auto tt = a.find("taxonomy_term");
      if (tt == a.end() || !tt->is_object()) continue;  // an attribute without a term says nothing to map
      const Src ts = as.at("taxonomy_term");
      t.taxonomy = text(*tt, ts, "", "taxonomy").value_or("");
      if (t.taxonomy.empty())
        if (auto d = tt->find("taxonomy_detail"); d != tt->end() && d->is_object())
          t.taxonomy = text(*d, ts.at("taxonomy_detail"), "", "name").value_or("");
      t.code = text(*tt, ts, "", "code").value_or("");
      t.name = text(*tt, ts, "", "name").value_or("");
      out.push_back(std::move(t));
    }
  }
  template <class T, class Fn>
  void each(const json& obj, const Src& s, std::string_view name, Fn fn) {
    auto it = obj.find(std::string(name));
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_array()) return error(s.at(name), "", "must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_object()) {
        error(s.at(name).at(i), "", "must be an object");
        continue;
      }
      fn((*it)[i], s.at(name).at(i));
    }
  }
  const Place* json_place(const json& l, const Src& s) {
    auto p = std::make_unique<Place>();
    p->id = id_of(l, s, "location");
    p->obj = &l;
    p->src = s;
    each<Lang>(l, s, "languages", [&](const json& j, const Src& js) { p->languages.push_back({&j, js}); });
    places_.push_back(std::move(p));
    return places_.back().get();
  }
  void json_service(const json& j, const Src& s, const std::string& org_id) {
    Service sv;
    sv.obj = &j;
    sv.src = s;
    sv.id = id_of(j, s, "service");
    sv.organization_id = org_id;
    if (auto o = j.find("organization"); o != j.end() && o->is_object())
      sv.organization_id = text(*o, s.at("organization"), sv.id, "id").value_or(org_id);
    read_terms(j, s, sv.terms);
    each<Sched>(j, s, "schedules", [&](const json& x, const Src& xs) { sv.schedules.push_back({"", &x, xs}); });
    each<Capacity>(j, s, "capacities", [&](const json& x, const Src& xs) {
      const json* unit = nullptr;
      if (auto u = x.find("unit"); u != x.end() && u->is_object()) unit = &*u;
      sv.capacities.push_back({"", &x, unit, xs});
    });
    each<Lang>(j, s, "languages", [&](const json& x, const Src& xs) { sv.languages.push_back({&x, xs}); });
    each<int>(j, s, "cost_options", [&](const json& x, const Src& xs) {
      sv.costs.push_back(&x);
      sv.cost_src.push_back(xs);
    });
    each<Sal>(j, s, "service_at_locations", [&](const json& x, const Src& xs) {
      Sal sal;
      sal.id = id_of(x, xs, "service_at_location");
      sal.src = xs;
      if (auto l = x.find("location"); l != x.end() && l->is_object()) {
        sal.place = json_place(*l, xs.at("location"));
        sal.location_id = sal.place->id;
      } else {
        sal.location_id = text(x, xs, sal.id, "location_id").value_or("");
      }
      each<Sched>(x, xs, "schedules", [&](const json& y, const Src& ys) { sal.schedules.push_back({"", &y, ys}); });
      sv.sals.push_back(std::move(sal));
    });
    services_.push_back(std::move(sv));
  }
  // One JSON document of any of the shapes import_hsds takes.
  void json_document(const json& doc, const Src& s) {
    if (doc.is_array()) {
      for (std::size_t i = 0; i < doc.size(); ++i) json_document(doc[i], s.at(i));
      return;
    }
    if (!doc.is_object()) return error(s, "", "must be an HSDS object or an array of them");
    if (auto c = doc.find("contents"); c != doc.end() && c->is_array()) return json_document(*c, s.at("contents"));
    if (doc.contains("services") && doc["services"].is_array()) {  // an organization
      const std::string org = text(doc, s, "", "id").value_or("");
      each<int>(doc, s, "services", [&](const json& x, const Src& xs) { json_service(x, xs, org); });
      each<int>(doc, s, "locations", [&](const json& x, const Src& xs) {
        const Place* p = json_place(x, xs);
        if (!p->id.empty()) standalone_places_[p->id] = p;
      });
      return;
    }
    if (auto sv = doc.find("service"); sv != doc.end() && sv->is_object()) {  // a service_at_location
      // Its service with this one place: the service_at_location's own location and schedules.
      json_service(*sv, s.at("service"), "");
      Service& service = services_.back();
      Sal sal;
      sal.id = id_of(doc, s, "service_at_location");
      sal.src = s;
      if (auto l = doc.find("location"); l != doc.end() && l->is_object()) {
        sal.place = json_place(*l, s.at("location"));
        sal.location_id = sal.place->id;
      }
      each<Sched>(doc, s, "schedules", [&](const json& y, const Src& ys) { sal.schedules.push_back({"", &y, ys}); });
      if (std::none_of(service.sals.begin(), service.sals.end(), [&](const Sal& x) { return x.id == sal.id; }))
        service.sals.push_back(std::move(sal));
      return;
    }
    if (doc.contains("name") && doc.contains("status")) return json_service(doc, s, "");
    if (doc.contains("location_type")) {  // a bare location
      const Place* p = json_place(doc, s);
      if (!p->id.empty()) standalone_places_[p->id] = p;
      return;
    }
    // Taxonomies, metadata and the like carry nothing an offer needs.
  }

  // --- CSV tables --------------------------------------------------------------------------
  std::vector<json>& table(const std::string& name) { return tables_[name]; }
  void csv_tables(const std::filesystem::path& dir) {
    std::map<std::string, std::string> files;  // table -> file name
    for (const char* t : {"services", "service_at_location", "locations", "schedules", "service_capacity", "units",
                          "languages", "cost_options", "attributes", "taxonomy_terms", "taxonomies"})
      files[t] = std::string(t) + ".csv";
    const auto dp = dir / "datapackage.json";
    if (std::filesystem::exists(dp)) {
      std::vector<Problem> parse_problems;
      auto doc = detail::parse_checked(read_input(dp, max_file_bytes), max_file_bytes, 64, parse_problems);
      if (doc && doc->is_object() && doc->contains("resources") && (*doc)["resources"].is_array()) {
        for (const auto& r : (*doc)["resources"])
          if (r.is_object() && r.contains("path") && r["path"].is_string() && r.contains("name") &&
              r["name"].is_string()) {
            std::string n = r["name"].get<std::string>();
            // The datapackage names tables in the singular, the files in the plural.
            for (auto& [table_name, file] : files)
              if (n == table_name || n + "s" == table_name || (n == "service_capacity" && table_name == n))
                file = r["path"].get<std::string>();
          }
      } else {
        warn({"datapackage.json", ""}, "",
             "not a JSON data package (resources with name and path); the HSDS file names are used");
      }
    }
    for (const auto& [t, f] : files) {
      const auto p = dir / f;
      if (!std::filesystem::exists(p)) continue;
      std::vector<Problem> problems;
      auto rows = detail::read_csv(read_input(p, max_file_bytes), problems);
      for (const auto& pr : problems) error({f, pr.pointer}, "", pr.reason);
      csv_file_[t] = f;
      tables_[t] = std::move(rows);
    }
    if (!tables_.count("services")) return error({dir.filename().string(), ""}, "", "no services.csv");
    build_from_tables();
  }
  Src row_src(const std::string& t, std::size_t i) { return {csv_file_[t], "/" + std::to_string(i)}; }
  void build_from_tables() {
    from_csv_ = true;
    std::unordered_map<std::string, std::size_t> service_at;
    auto& services = table("services");
    for (std::size_t i = 0; i < services.size(); ++i) {
      Service sv;
      sv.obj = &services[i];
      sv.src = row_src("services", i);
      sv.id = id_of(services[i], sv.src, "service");
      sv.organization_id = text(services[i], sv.src, sv.id, "organization_id").value_or("");
      if (!sv.id.empty()) service_at[sv.id] = services_.size();
      services_.push_back(std::move(sv));
    }
    // Ids of a table must be unique, and references must resolve.
    auto owner = [&](const std::string& t, std::size_t i, const json& row, const std::string& rec) -> Service* {
      auto sid = text(row, row_src(t, i), rec, "service_id");
      if (!sid) return nullptr;
      auto it = service_at.find(*sid);
      if (it == service_at.end()) {
        error(row_src(t, i).at("service_id"), rec, "dangling service_id: no service has this id");
        return nullptr;
      }
      return &services_[it->second];
    };
    auto& locs = table("locations");
    for (std::size_t i = 0; i < locs.size(); ++i) {
      auto p = std::make_unique<Place>();
      p->src = row_src("locations", i);
      p->id = id_of(locs[i], p->src, "location");
      p->obj = &locs[i];
      if (!p->id.empty()) {
        if (standalone_places_.count(p->id)) error(p->src.at("id"), p->id, "duplicate id");
        standalone_places_[p->id] = p.get();
      }
      places_.push_back(std::move(p));
    }
    std::unordered_map<std::string, const json*> units;
    for (const auto& u : table("units"))
      if (auto id = u.find("id"); id != u.end() && id->is_string()) units[id->get<std::string>()] = &u;
    std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> sal_at;  // id -> service, sal
    auto& sals = table("service_at_location");
    for (std::size_t i = 0; i < sals.size(); ++i) {
      Sal sal;
      sal.src = row_src("service_at_location", i);
      sal.id = id_of(sals[i], sal.src, "service_at_location");
      sal.location_id = text(sals[i], sal.src, sal.id, "location_id").value_or("");
      if (Service* sv = owner("service_at_location", i, sals[i], sal.id)) {
        sal_at[sal.id] = {static_cast<std::size_t>(sv - services_.data()), sv->sals.size()};
        sv->sals.push_back(std::move(sal));
      }
    }
    auto& scheds = table("schedules");
    for (std::size_t i = 0; i < scheds.size(); ++i) {
      const Src s = row_src("schedules", i);
      const std::string id = id_of(scheds[i], s, "schedule");
      if (auto salid = text(scheds[i], s, id, "service_at_location_id")) {
        auto it = sal_at.find(*salid);
        if (it == sal_at.end()) {
          error(s.at("service_at_location_id"), id, "dangling service_at_location_id");
          continue;
        }
        services_[it->second.first].sals[it->second.second].schedules.push_back({id, &scheds[i], s});
      } else if (Service* sv = owner("schedules", i, scheds[i], id)) {
        sv->schedules.push_back({id, &scheds[i], s});
      }
    }
    auto& caps = table("service_capacity");
    for (std::size_t i = 0; i < caps.size(); ++i) {
      const Src s = row_src("service_capacity", i);
      const std::string id = id_of(caps[i], s, "service_capacity");
      const json* unit = nullptr;
      if (auto uid = text(caps[i], s, id, "unit_id")) {
        auto it = units.find(*uid);
        if (it == units.end())
          error(s.at("unit_id"), id, "dangling unit_id: no unit has this id");
        else
          unit = it->second;
      }
      Service* sv = owner("service_capacity", i, caps[i], id);
      // A capacity is checked even when its service is missing: its numbers can be wrong too.
      Capacity c{id, &caps[i], unit, s};
      if (sv)
        sv->capacities.push_back(c);
      else
        orphan_capacities_.push_back(c);
    }
    auto& langs = table("languages");
    for (std::size_t i = 0; i < langs.size(); ++i) {
      const Src s = row_src("languages", i);
      if (langs[i].contains("service_id") && langs[i]["service_id"].is_string() &&
          !trim(langs[i]["service_id"].get<std::string>()).empty()) {
        if (Service* sv = owner("languages", i, langs[i], text(langs[i], s, "", "id").value_or("")))
          sv->languages.push_back({&langs[i], s});
      } else if (auto lid = text(langs[i], s, "", "location_id")) {
        if (auto it = standalone_places_.find(*lid); it != standalone_places_.end())
          const_cast<Place*>(it->second)->languages.push_back({&langs[i], s});
      }
    }
    auto& costs = table("cost_options");
    for (std::size_t i = 0; i < costs.size(); ++i)
      if (Service* sv =
              owner("cost_options", i, costs[i], text(costs[i], row_src("cost_options", i), "", "id").value_or(""))) {
        sv->costs.push_back(&costs[i]);
        sv->cost_src.push_back(row_src("cost_options", i));
      }
    std::unordered_map<std::string, std::size_t> term_at;
    auto& terms = table("taxonomy_terms");
    for (std::size_t i = 0; i < terms.size(); ++i)
      if (auto id = text(terms[i], row_src("taxonomy_terms", i), "", "id")) term_at[*id] = i;
    auto& attrs = table("attributes");
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      const Src s = row_src("attributes", i);
      const std::string id = text(attrs[i], s, "", "id").value_or("");
      auto link = text(attrs[i], s, id, "link_id");
      auto tid = text(attrs[i], s, id, "taxonomy_term_id");
      if (!link || !tid) continue;
      auto sv = service_at.find(*link);
      if (sv == service_at.end()) continue;  // attributes link to many kinds of records; only services map
      auto t = term_at.find(*tid);
      if (t == term_at.end()) {
        error(s.at("taxonomy_term_id"), id, "dangling taxonomy_term_id: no taxonomy term has this id");
        continue;
      }
      const json& tt = terms[t->second];
      const Src ts = row_src("taxonomy_terms", t->second);
      services_[sv->second].terms.push_back(
          {text(tt, ts, "", "taxonomy").value_or(""), text(tt, ts, "", "code").value_or(""),
           text(tt, ts, "", "name").value_or(""), text(attrs[i], s, id, "value").value_or(""), s});
    }
  }

  // --- Amsterdam ----------------------------------------------------------------------------
  void amsterdam(const json& doc, const std::string& file) {
    const Src root{file, ""};
    const json* list = nullptr;
    if (doc.is_object() && doc.contains("dataResult") && doc["dataResult"].is_array()) list = &doc["dataResult"];
    if (!list) return error(root, "", "must be an object with the array dataResult");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& r = (*list)[i];
      const Src s = root.at("dataResult").at(i);
      Service sv;
      sv.id = "amsterdam:" + std::to_string(i);
      sv.obj = &r;
      sv.src = s;
      if (!r.is_object()) {
        error(s, sv.id, "must be an object");
        continue;
      }
      if (!text(r, s, sv.id, "naam")) error(s.at("naam"), sv.id, "missing required field");
      if (auto c = text(r, s, sv.id, "categorieen"))
        sv.terms.push_back({"amsterdam_categorie", "", *c, "", s.at("categorieen")});
      if (auto l = text(r, s, sv.id, "levert")) {
        std::string line;
        for (char ch : *l + "\n") {
          if (ch == '\n' || ch == '\r') {
            if (!trim(line).empty()) sv.terms.push_back({"amsterdam_levert", "", trim(line), "", s.at("levert")});
            line.clear();
          } else {
            line += ch;
          }
        }
      }
      Sal sal;
      sal.id = sv.id;
      sal.src = s;
      // A stadsdeel code, or (once in the file) a list holding one.
      std::string area = "*";
      if (auto d = r.find("stadsdeel"); d != r.end() && d->is_array()) {
        if (d->size() == 1 && (*d)[0].is_string())
          area = (*d)[0].get<std::string>();
        else
          error(s.at("stadsdeel"), sv.id, "must be a stadsdeel code or a list of one");
      } else {
        area = text(r, s, sv.id, "stadsdeel").value_or("*");
      }
      sal.area_code = area;
      if (auto it = map_.areas.find(area); it != map_.areas.end()) sal.area = it->second;
      sv.sals.push_back(std::move(sal));
      sv.losses.push_back("schedule and how to sign up are free text (calltoAction); read them before referring");
      sv.loss_src.push_back(s.at("calltoAction"));
      if (auto g = r.find("gezinssamens"); g != r.end()) {
        bool everyone = g->is_string() ? g->get<std::string>() == "*" : false;
        if (g->is_array())
          for (const auto& x : *g) everyone = everyone || (x.is_string() && x.get<std::string>() == "*");
        if (!everyone) {
          sv.losses.push_back("only for some household types (gezinssamens); wijkmatch has no such condition");
          sv.loss_src.push_back(s.at("gezinssamens"));
        }
      }
      services_.push_back(std::move(sv));
    }
  }

  // --- Offers ---------------------------------------------------------------------------------
  HsdsImport finish() {
    std::set<std::string> seen_keys;
    for (const auto& c : orphan_capacities_) check_capacity(c, c.id);
    // The same service often comes in several documents (a list, a full service, its
    // organization): the first full copy counts, later ones add only places it lacks.
    std::map<std::string, std::size_t> first;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < services_.size(); ++i) {
      Service& sv = services_[i];
      if (sv.id.empty()) continue;
      auto [it, fresh] = first.emplace(sv.id, i);
      if (fresh) {
        order.push_back(i);
        continue;
      }
      if (from_csv_) {
        error(sv.src.at("id"), sv.id, "duplicate service id");
        continue;
      }
      Service& primary = services_[it->second];
      if (primary.sals.empty() && !sv.sals.empty()) std::swap(primary, sv);  // the fuller copy counts
      for (auto& sal : sv.sals)
        if (std::none_of(primary.sals.begin(), primary.sals.end(), [&](const Sal& x) { return x.id == sal.id; }))
          primary.sals.push_back(sal);
    }
    out_.records = order.size();
    for (std::size_t i : order) build(services_[i], seen_keys);
    // Values each fine for HSDS can still be out of wijkmatch's ranges (a cost of 1e300 a
    // month): the model check has the last word, reported at the offer's source.
    if (errors_.empty() && !out_.offers.empty()) {
      Model m;
      m.offers = out_.offers;
      m.rebuild_index();
      for (const auto& p : m.check(opt_.max_problems)) {
        const std::size_t slash = p.pointer.find('/', 8);  // "/offers/N/field"
        std::size_t i = 0;
        std::from_chars(p.pointer.data() + 8, p.pointer.data() + std::min(slash, p.pointer.size()), i);
        const std::string field = slash == std::string::npos ? std::string() : p.pointer.substr(slash + 1);
        error(i < offer_src_.size() ? offer_src_[i] : Src{}, i < out_.offers.size() ? out_.offers[i].key : "",
              "the offer's " + (field.empty() ? std::string("data") : field) + " " + p.reason);
      }
    }
    if (!errors_.empty()) {
      std::vector<Problem> problems;
      for (const auto& e : errors_)
        problems.push_back(
            {e.file + "#" + e.pointer, "record " + (e.record.empty() ? std::string("?") : e.record) + ": " + e.reason});
      throw InputError(std::move(problems));
    }
    return std::move(out_);
  }

 private:
  // A date or date-time's day; nullopt with an error when unreadable.
  std::optional<Date> day(const json& obj, const Src& s, std::string_view rec, std::string_view name) {
    auto t = text(obj, s, rec, name);
    if (!t) return std::nullopt;
    auto d = t->size() >= 10 ? detail::parse_date(std::string_view(*t).substr(0, 10)) : std::nullopt;
    if (!d || (t->size() > 10 && (*t)[10] != 'T' && (*t)[10] != ' '))
      error(s.at(name), rec, "must be a date YYYY-MM-DD or a date-time");
    return d;
  }

  // Time "HH:MM[:SS]" (an offset after it is ignored) as minutes since midnight.
  std::optional<int> minutes(const json& obj, const Src& s, std::string_view rec, std::string_view name) {
    auto t = text(obj, s, rec, name);
    if (!t) return std::nullopt;
    const std::string& v = *t;
    auto two = [&](std::size_t at) -> int {
      if (at + 2 > v.size() || !std::isdigit(static_cast<unsigned char>(v[at])) ||
          !std::isdigit(static_cast<unsigned char>(v[at + 1])))
        return -1;
      return (v[at] - '0') * 10 + (v[at + 1] - '0');
    };
    const int h = two(0), m = v.size() >= 5 && v[2] == ':' ? two(3) : -1;
    bool ok = h >= 0 && h <= 24 && m >= 0 && m < 60 && (h < 24 || m == 0);
    if (ok && v.size() > 5) ok = v[5] == ':' ? two(6) >= 0 && two(6) < 60 : (v[5] == 'Z' || v[5] == '+' || v[5] == '-');
    if (!ok) {
      error(s.at(name), rec, "must be a time HH:MM or HH:MM:SS");
      return std::nullopt;
    }
    return h * 60 + m;
  }

  void schedules(const std::vector<Sched>& list, const std::string& rec, Offer& o) {
    static constexpr std::array<std::string_view, 7> days{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    for (const auto& sc : list) {
      const json& j = *sc.obj;
      const Src& s = sc.src;
      auto freq = text(j, s, rec, "freq");
      auto opens = minutes(j, s, rec, "opens_at");
      auto closes = minutes(j, s, rec, "closes_at");
      auto byday = text(j, s, rec, "byday");
      if (opens && closes && *closes <= *opens) {
        error(s.at("closes_at"), rec, "closes_at must be after opens_at");
        continue;
      }
      for (const char* f :
           {"valid_from", "valid_to", "until", "count", "bymonthday", "byweekno", "byyearday", "dtstart"})
        if (j.contains(f) && !j[f].is_null() && !(j[f].is_string() && trim(j[f].get<std::string>()).empty()))
          warn(s.at(f), rec, std::string(f) + " is not kept: wijkmatch schedules are the same every week");
      if (!freq) {
        warn(s, rec, "a schedule without freq (a description only) is lost");
        continue;
      }
      const std::string fr = lower(*freq);
      if (fr != "weekly" && fr != "monthly") {
        warn(s.at("freq"), rec, "freq " + *freq + " is lost: only WEEKLY and MONTHLY rules become day-parts");
        continue;
      }
      if (auto iv = number(j, s, rec, "interval"); iv && *iv > 1)
        warn(s.at("interval"), rec, "every " + detail::format_number(*iv) + " weeks or months becomes every week");
      if (!byday || !opens || !closes) {
        warn(s, rec, "a rule without byday, opens_at and closes_at is lost");
        continue;
      }
      if (fr == "monthly") warn(s.at("freq"), rec, "a monthly rule becomes every week on its days");
      std::string token;
      for (char ch : *byday + ",") {
        if (ch != ',') {
          token += ch;
          continue;
        }
        std::string t = trim(token);
        token.clear();
        // MONTHLY rules prefix the day with its occurrence: 1MO, -1FR.
        while (!t.empty() && (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '-' || t[0] == '+'))
          t.erase(0, 1);
        std::string up = t;
        for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        auto d = std::find(days.begin(), days.end(), up);
        if (d == days.end()) {
          error(s.at("byday"), rec, "must list days MO, TU, WE, TH, FR, SA, SU (optionally 1MO, -1FR)");
          break;
        }
        const auto day = static_cast<std::size_t>(d - days.begin());
        // Morning 06-12, afternoon 12-18, evening 18-24: a session counts for each part it overlaps.
        static constexpr std::array<std::pair<int, int>, 3> parts{{{360, 720}, {720, 1080}, {1080, 1440}}};
        for (std::size_t p = 0; p < parts.size(); ++p)
          if (*opens<parts[p].second&& * closes> parts[p].first) o.schedule.insert(day, static_cast<DayPart>(p));
        if (*opens < 360) warn(s.at("opens_at"), rec, "hours before 06:00 are lost (no night day-part)");
      }
    }
  }

  // Checks one capacity; returns {available, maximum} when usable numbers.
  std::optional<std::pair<double, std::optional<double>>> check_capacity(const Capacity& c, const std::string& rec) {
    const json& j = *c.obj;
    auto av = number(j, c.src, rec, "available");
    auto mx = number(j, c.src, rec, "maximum");
    bool ok = true;
    if (!av) {
      if (!j.contains("available") || j["available"].is_null())
        error(c.src.at("available"), rec, "missing required field");
      ok = false;
    } else if (*av < 0 || *av != std::floor(*av)) {
      error(c.src.at("available"), rec, "must be a whole number 0 or more");
      ok = false;
    }
    if (mx && (*mx < 0 || *mx != std::floor(*mx))) {
      error(c.src.at("maximum"), rec, "must be a whole number 0 or more");
      ok = false;
    }
    if (ok && mx && *av > *mx) {
      error(c.src.at("available"), rec,
            "available " + detail::format_number(*av) + " exceeds maximum " + detail::format_number(*mx));
      ok = false;
    }
    if (mx && *mx > 1e6) {
      error(c.src.at("maximum"), rec, "must be at most 1000000");
      ok = false;
    }
    if (!ok) return std::nullopt;
    return std::pair{*av, mx};
  }
  bool people_unit(const Capacity& c, std::string& name) {
    if (!c.unit) return false;
    const Src us = c.src.at("unit");
    const std::string id = lower(text(*c.unit, us, "", "identifier").value_or(""));
    name = text(*c.unit, us, "", "name").value_or(id);
    const std::string nm = lower(name);
    for (const auto& u : map_.capacity_units)
      if (lower(u) == id || lower(u) == nm) return true;
    return false;
  }

  std::optional<std::string> language(const Lang& l, const std::string& rec) {
    static const std::map<std::string, std::string> iso3{
        {"ara", "ar"}, {"ber", "ber"}, {"chi", "zh"}, {"zho", "zh"}, {"deu", "de"}, {"ger", "de"}, {"dut", "nl"},
        {"nld", "nl"}, {"eng", "en"},  {"fra", "fr"}, {"fre", "fr"}, {"ita", "it"}, {"pol", "pl"}, {"por", "pt"},
        {"rus", "ru"}, {"spa", "es"},  {"tur", "tr"}, {"urd", "ur"}, {"ukr", "uk"}, {"som", "so"}, {"tir", "ti"},
        {"far", "fa"}, {"fas", "fa"},  {"per", "fa"}, {"ron", "ro"}, {"rum", "ro"}, {"bul", "bg"}, {"hin", "hi"},
        {"pan", "pa"}, {"slk", "sk"},  {"slo", "sk"}, {"ben", "bn"}, {"vie", "vi"}, {"kor", "ko"}, {"jpn", "ja"}};
    static const std::map<std::string, std::string> names{
        {"arabic", "ar"},    {"chinese", "zh"},  {"dutch", "nl"},   {"nederlands", "nl"}, {"english", "en"},
        {"french", "fr"},    {"german", "de"},   {"italian", "it"}, {"polish", "pl"},     {"portuguese", "pt"},
        {"russian", "ru"},   {"spanish", "es"},  {"turkish", "tr"}, {"urdu", "ur"},       {"ukrainian", "uk"},
        {"somali", "so"},    {"tigrinya", "ti"}, {"persian", "fa"}, {"farsi", "fa"},      {"romanian", "ro"},
        {"bulgarian", "bg"}, {"slovak", "sk"},   {"hindi", "hi"},   {"punjabi", "pa"},    {"vietnamese", "vi"}};
    const auto code = text(*l.obj, l.src, rec, "code");
    const auto name = text(*l.obj, l.src, rec, "name");
    if (code) {
      std::string c = lower(*code);
      if (auto dash = c.find_first_of("-_"); dash != std::string::npos) c.resize(dash);  // en-GB
      if (detail::valid_language(c)) return c;
      if (auto it = iso3.find(c); it != iso3.end() && it->second.size() == 2) return it->second;
    }
    if (name)
      if (auto it = names.find(lower(*name)); it != names.end()) return it->second;
    warn(l.src, rec, "language " + (code ? *code : name.value_or("?")) + " has no ISO 639-1 code and is lost");
    return std::nullopt;
  }

  // Level, domains, kind and wijkmatch's own fields, from the terms.
  bool classify(const Service& sv, Offer& o, std::string& native_key) {
    std::optional<LadderLevel> level;
    bool any_domain = false, conflict = false;
    std::string kind, matched;
    AgeBandSet bands;
    bool native_bands = false;
    for (const auto& t : sv.terms) {
      if (lower(t.taxonomy) == "wijkmatch") {
        const auto colon = t.code.find(':');
        const std::string field = t.code.substr(0, colon);
        const std::string v = colon == std::string::npos ? std::string() : t.code.substr(colon + 1);
        auto int_value = [&](int lo, int hi) -> std::optional<int> {
          int x = 0;
          auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
          if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
            error(t.src.at("taxonomy_term").at("code"), sv.id,
                  "wijkmatch term " + field + " needs a whole number " + std::to_string(lo) + " to " +
                      std::to_string(hi));
            return std::nullopt;
          }
          return x;
        };
        if (field == "level") {
          auto l = parse_ladder_level(v);
          if (!l) error(t.src.at("taxonomy_term").at("code"), sv.id, "unknown ladder level");
          if (l && level && *l != *level) conflict = true;
          if (l) level = l;
        } else if (field == "domain") {
          auto d = parse_life_domain(v);
          double w = 0;
          auto [p, ec] = std::from_chars(t.value.data(), t.value.data() + t.value.size(), w);
          if (!d || ec != std::errc() || p != t.value.data() + t.value.size() || !(w > 0 && w <= 1)) {
            error(t.src, sv.id, "a wijkmatch domain term needs a known life domain and a value in (0, 1]");
            continue;
          }
          o.fit[static_cast<std::size_t>(*d)] = w;
          any_domain = true;
        } else if (field == "kind") {
          kind = v;
        } else if (field == "age_band") {
          if (auto b = parse_age_band(v)) {
            bands.insert(*b);
            native_bands = true;
          } else {
            error(t.src.at("taxonomy_term").at("code"), sv.id, "unknown age band");
          }
        } else if (field == "severity_min") {
          if (auto x = int_value(1, 5)) o.eligibility.severity_min = *x;
        } else if (field == "severity_max") {
          if (auto x = int_value(1, 5)) o.eligibility.severity_max = *x;
        } else if (field == "referral_required") {
          o.eligibility.referral_required = true;
        } else if (field == "waiting_days") {
          if (auto x = int_value(0, 3650)) o.waiting_days = *x;
        } else if (field == "min_group_size") {
          if (auto x = int_value(0, 100000)) o.min_group_size = *x;
        } else if (field == "organisation") {
          o.organiser.organisation = v;
        } else if (field == "key") {
          native_key = v;
        } else if (field == "organiser" && v == "team") {
          o.organiser.kind = OrganiserKind::team;
        }
        continue;
      }
      for (const auto& r : map_.rules) {
        if (!r.taxonomy.empty() && lower(r.taxonomy) != lower(t.taxonomy)) continue;
        if (!r.code.empty() && lower(r.code) != lower(t.code)) continue;
        if (!r.name.empty() && lower(r.name) != lower(t.name)) continue;
        if (r.code.empty() && r.name.empty()) continue;
        if (r.level) {
          if (level && *level != *r.level) conflict = true;
          level = r.level;
        }
        if (!r.kind.empty()) {
          if (!kind.empty() && kind != r.kind && !matched.empty()) {
            // Several kinds: the first rule's wins, it is the more specific by convention.
          } else if (kind.empty()) {
            kind = r.kind;
          }
        }
        for (std::size_t d = 0; d < life_domain_count; ++d)
          if (r.fit[d] > 0) {
            o.fit[d] = std::max(o.fit[d], r.fit[d]);
            any_domain = true;
          }
        matched = t.name.empty() ? t.code : t.name;
      }
    }
    if (native_bands) o.eligibility.age_bands = bands;
    std::string terms;
    for (const auto& t : sv.terms)
      terms += (terms.empty() ? "" : ", ") + (t.taxonomy.empty() ? "" : t.taxonomy + "/") +
               (t.name.empty() ? t.code : t.name);
    if (terms.empty()) terms = "none";
    if (conflict) {
      unmapped(sv.src, sv.id, "mapping rules give different ladder levels for its terms (" + terms + ")");
      return false;
    }
    if (!level || !any_domain || kind.empty()) {
      unmapped(sv.src, sv.id,
               std::string("no mapping rule gives ") +
                   (!level        ? "a ladder level"
                    : !any_domain ? "a life domain"
                                  : "a kind") +
                   " for its taxonomy terms (" + terms + ")");
      return false;
    }
    if (!detail::valid_identifier(kind)) {
      error(sv.src, sv.id, "kind \"" + kind + "\" from the mapping " + std::string(detail::identifier_rule));
      return false;
    }
    o.level = *level;
    o.kind = kind;
    return true;
  }

  void ages(const Service& sv, Offer& o) {
    const json& j = *sv.obj;
    if (!j.is_object()) return;
    auto lo = number(j, sv.src, sv.id, "minimum_age");
    auto hi = number(j, sv.src, sv.id, "maximum_age");
    if (!lo && !hi) return;
    if ((lo && (*lo < 0 || *lo > 150)) || (hi && (*hi < 0 || *hi > 150))) {
      error(sv.src.at(lo && (*lo < 0 || *lo > 150) ? "minimum_age" : "maximum_age"), sv.id, "must be an age 0 to 150");
      return;
    }
    if (lo && hi && *lo > *hi) {
      error(sv.src.at("minimum_age"), sv.id, "minimum_age is above maximum_age");
      return;
    }
    if (!o.eligibility.age_bands.empty()) return;  // wijkmatch's own bands are exact
    static constexpr std::array<std::pair<double, double>, age_band_count> band{
        {{0, 14}, {15, 24}, {25, 44}, {45, 64}, {65, 79}, {80, 1000}}};
    const double a = lo.value_or(0), b = hi.value_or(1000);
    AgeBandSet set;
    bool exact = true;
    for (std::size_t k = 0; k < band.size(); ++k)
      if (band[k].first <= b && band[k].second >= a) {
        set.insert(static_cast<AgeBand>(k));
        if (band[k].first < a || band[k].second > b) exact = false;
      }
    if (!exact)
      warn(sv.src.at(lo ? "minimum_age" : "maximum_age"), sv.id,
           "ages " + detail::format_number(a) + (hi ? " to " + detail::format_number(b) : std::string(" and over")) +
               " widened to whole age bands");
    if (set.bits != (1U << age_band_count) - 1U) o.eligibility.age_bands = set;
  }

  void cost(const Service& sv, Offer& o) {
    for (std::size_t i = 0; i < sv.costs.size(); ++i) {
      const json& c = *sv.costs[i];
      const Src& s = sv.cost_src[i];
      auto amount = number(c, s, sv.id, "amount");
      if (!amount) continue;
      if (*amount < 0) {
        error(s.at("amount"), sv.id, "must be 0 or more");
        continue;
      }
      if (i > 0) {
        warn(s, sv.id, "only the first cost option is kept");
        continue;
      }
      const std::string cur = lower(text(c, s, sv.id, "currency").value_or("eur"));
      const std::string per = lower(text(c, s, sv.id, "amount_description").value_or(""));
      double factor = -1;
      if (*amount == 0)
        factor = 0;
      else if (per.find("month") != std::string::npos || per.find("maand") != std::string::npos)
        factor = 1;
      else if (per.find("week") != std::string::npos)
        factor = 52.0 / 12.0;
      else if (per.find("year") != std::string::npos || per.find("jaar") != std::string::npos ||
               per.find("annual") != std::string::npos)
        factor = 1.0 / 12.0;
      if (factor != 0 && cur != "eur") {
        warn(s.at("currency"), sv.id, "a cost in " + cur + " is not converted; cost_per_month stays 0 (read: unknown)");
        continue;
      }
      if (factor < 0) {
        warn(s.at("amount_description"), sv.id,
             "a cost \"" + per + "\" has no monthly equivalent; cost_per_month stays 0 (read: unknown)");
        continue;
      }
      o.cost_per_month = *amount * factor;
    }
  }

  std::optional<std::string> nearest(Location at) const {
    const LabelPoint* best = nullptr;
    double best_d = map_.max_neighbourhood_distance_m;
    for (const auto& p : opt_.label_points) {
      const double d = distance_m(at, p.location);
      if (d <= best_d) {
        best_d = d;
        best = &p;
      }
    }
    if (!best) return std::nullopt;
    return best->code;
  }

  void build(Service& sv, std::set<std::string>& keys) {
    const json& j = *sv.obj;
    const std::size_t errors_before = errors_.size();
    const auto status = text(j, sv.src, sv.id, "status");
    const bool inactive = status && lower(*status) != "active";
    if (inactive) unmapped(sv.src.at("status"), sv.id, "status " + *status + ": only active services become offers");
    Offer base;
    std::string native_key;  // a wijkmatch export names the offer's key
    const bool classified = !inactive && classify(sv, base, native_key);
    ages(sv, base);
    // Capacity: every capacity is checked; the first counted in people gives the places.
    std::optional<std::pair<double, std::optional<double>>> seats;
    std::optional<Date> updated;
    for (const auto& c : sv.capacities) {
      auto v = check_capacity(c, sv.id);
      std::string unit;
      if (!v) continue;
      if (!people_unit(c, unit)) {
        warn(c.src.at("unit"), sv.id,
             "capacity in " + (unit.empty() ? std::string("an unknown unit") : unit) +
                 " does not count people and is not used");
        continue;
      }
      if (seats) {
        warn(c.src, sv.id, "only the first capacity in people is used");
        continue;
      }
      seats = v;
      updated = day(*c.obj, c.src, sv.id, "updated");
    }
    auto assured = day(j, sv.src, sv.id, "assured_date");
    auto modified = day(j, sv.src, sv.id, "last_modified");
    // Languages.
    std::vector<std::string> langs;
    for (const auto& l : sv.languages)
      if (auto c = language(l, sv.id); c && std::find(langs.begin(), langs.end(), *c) == langs.end())
        langs.push_back(*c);
    cost(sv, base);
    for (std::size_t i = 0; i < sv.losses.size(); ++i) warn(sv.loss_src[i], sv.id, sv.losses[i]);
    // An unmapped service's places are still checked: wrong data is an error either way.
    bool skip = !classified || errors_.size() > errors_before;
    if (!skip && !seats && map_.default_seats <= 0) {
      unmapped(sv.src, sv.id, "no service_capacity counted in people, and the mapping sets no default_seats");
      skip = true;
    }
    if (!skip && sv.sals.empty()) {
      unmapped(sv.src, sv.id, "no service_at_location: no place to attend");
      skip = true;
    }
    if (skip) {
      // Bad times are errors even where no offer comes of them; losses are not worth a warning.
      Offer scratch;
      const std::size_t warnings = out_.warnings.size();
      schedules(sv.schedules, sv.id, scratch);
      for (const auto& sal : sv.sals) schedules(sal.schedules, sv.id, scratch);
      out_.warnings.resize(warnings);
    } else if (seats) {
      const double mx = seats->second.value_or(seats->first);
      if (!seats->second) warn(sv.src, sv.id, "capacity without maximum: every available place counts as a seat");
      base.seats = static_cast<int>(mx);
      base.occupancy = static_cast<int>(mx - seats->first);
    } else {
      base.seats = map_.default_seats;
      warn(sv.src, sv.id,
           "no capacity in people: seats set to the mapping's default_seats " + std::to_string(map_.default_seats) +
               ", occupancy 0");
    }
    // The offer is as fresh as the oldest of what it relies on: the assurance and the places.
    if (assured && updated)
      base.confirmed = std::min(*assured, *updated);
    else if (assured)
      base.confirmed = assured;
    else if (updated)
      base.confirmed = updated;
    else if (modified)
      base.confirmed = modified;
    for (auto& sal : sv.sals) {
      Offer o = base;
      if (native_key.empty() && !detail::valid_key(sal.id)) {
        error(sal.src.at("id"), sv.id, "the service_at_location id " + std::string(detail::key_rule));
        continue;
      }
      if (!native_key.empty() && !detail::valid_key(native_key)) {
        error(sv.src.at("attributes"), sv.id, "the wijkmatch key term " + std::string(detail::key_rule));
        continue;
      }
      o.key = !native_key.empty() && sv.sals.size() == 1 ? native_key : sal.id;
      const Place* place = sal.place;
      if (!place && !sal.location_id.empty()) {
        auto it = standalone_places_.find(sal.location_id);
        if (it == standalone_places_.end()) {
          error(sal.src.at("location_id"), sv.id, "dangling location_id: no location has this id");
          continue;
        }
        place = it->second;
      }
      std::optional<double> lat, lon;
      std::string code = map_.neighbourhood;
      if (place) {
        const json& l = *place->obj;
        if (auto t = text(l, place->src, sv.id, "location_type"); !skip && t && lower(*t) == "virtual") {
          unmapped(place->src.at("location_type"), sal.id, "a virtual location: no place to attend");
          continue;
        }
        lat = number(l, place->src, sv.id, "latitude");
        lon = number(l, place->src, sv.id, "longitude");
        if ((lat && (*lat < -90 || *lat > 90)) || (lon && (*lon < -180 || *lon > 180))) {
          error(place->src.at(lat && (*lat < -90 || *lat > 90) ? "latitude" : "longitude"), sv.id,
                "latitude must be in [-90, 90] and longitude in [-180, 180] degrees");
          continue;
        }
        if (skip) continue;
        if (auto et = text(l, place->src, sv.id, "external_identifier_type"); et && lower(*et) == "cbs_buurt")
          if (auto e = text(l, place->src, sv.id, "external_identifier")) {
            if (!valid_bu(*e)) {
              error(place->src.at("external_identifier"), sv.id, "a cbs_buurt identifier must be BU and 8 digits");
              continue;
            }
            code = *e;
          }
        for (const auto& lg : place->languages)
          if (auto c = language(lg, sv.id); c && std::find(langs.begin(), langs.end(), *c) == langs.end())
            langs.push_back(*c);
      } else if (skip) {
        continue;
      } else if (sal.area) {
        lat = sal.area->latitude;
        lon = sal.area->longitude;
        if (code.empty()) code = sal.area->neighbourhood;
        warn(sal.src.at("stadsdeel"), sal.id,
             "placed at the mapping's point for area " + sal.area_code + ": the real address is needed");
      } else if (!sal.area_code.empty()) {
        unmapped(sal.src.at("stadsdeel"), sal.id,
                 sal.area_code == "*" ? std::string("city-wide (stadsdeel *): no place to attend")
                                      : "area " + sal.area_code + " has no place in the mapping");
        continue;
      }
      if (!lat || !lon) {
        unmapped(place ? place->src : sal.src, sal.id, "the location has no latitude and longitude");
        continue;
      }
      if (*lat < 50.6 || *lat > 53.7 || *lon < 3.2 || *lon > 7.3) {
        unmapped(place ? place->src.at("latitude") : sal.src, sal.id,
                 "the location lies outside the Netherlands, where RD New does not apply");
        continue;
      }
      const Location rd = wgs84_to_rd(*lat, *lon);
      o.location = {std::round(rd.x_m * 100.0) / 100.0, std::round(rd.y_m * 100.0) / 100.0};
      if (code.empty()) {
        auto n = nearest(o.location);
        if (!n) {
          unmapped(place ? place->src : sal.src, sal.id,
                   "no CBS neighbourhood: no label point within " +
                       detail::format_number(map_.max_neighbourhood_distance_m) + " m and none in the mapping");
          continue;
        }
        code = *n;
      }
      o.neighbourhood = code;
      o.languages = langs;
      if (o.languages.empty()) {
        if (map_.default_languages.empty()) {
          unmapped(sv.src, sal.id, "no language given, and the mapping sets no default_languages");
          continue;
        }
        o.languages = map_.default_languages;
        warn(sv.src, sal.id, "no language given: the mapping's default_languages are used");
      }
      schedules(sal.schedules.empty() ? sv.schedules : sal.schedules, sal.id, o);
      if (!keys.insert(o.key).second) {
        error(sal.src.at("id"), sv.id, "duplicate service_at_location id");
        continue;
      }
      const bool warned = std::any_of(out_.warnings.begin(), out_.warnings.end(),
                                      [&](const ImportNote& w) { return w.record == sv.id || w.record == sal.id; });
      if (!warned) ++out_.clean_offers;
      out_.offers.push_back(std::move(o));
      offer_src_.push_back(sv.src);
    }
  }

  const HsdsMapping& map_;
  const HsdsImportOptions& opt_;
  HsdsImport out_;
  std::vector<ImportNote> errors_;
  std::vector<Service> services_;
  std::vector<std::unique_ptr<Place>> places_;
  std::unordered_map<std::string, const Place*> standalone_places_;
  std::map<std::string, std::vector<json>> tables_;
  std::map<std::string, std::string> csv_file_;
  std::vector<Capacity> orphan_capacities_;
  bool from_csv_ = false;
  std::vector<Src> offer_src_;  // the service each offer came from

 public:
  std::vector<std::unique_ptr<json>> docs;  // the documents records point into
};

json parse_file(const std::filesystem::path& p) {
  std::vector<Problem> problems;
  auto doc = detail::parse_checked(read_input(p, max_file_bytes), max_file_bytes, 64, problems);
  if (!doc) {
    for (auto& pr : problems) pr.pointer = p.filename().string() + "#" + pr.pointer;
    throw InputError(std::move(problems));
  }
  return std::move(*doc);
}

}  // namespace

HsdsImport import_hsds(const std::filesystem::path& path, const HsdsMapping& mapping,
                       const HsdsImportOptions& options) {
  Importer im(mapping, options);
  if (std::filesystem::is_directory(path)) {
    if (std::filesystem::exists(path / "services.csv")) {
      im.csv_tables(path);
    } else {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::directory_iterator(path))
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        im.docs.push_back(std::make_unique<json>(parse_file(f)));
        im.json_document(*im.docs.back(), {f.filename().string(), ""});
      }
    }
  } else {
    im.docs.push_back(std::make_unique<json>(parse_file(path)));
    im.json_document(*im.docs.back(), {path.filename().string(), ""});
  }
  return im.finish();
}

void merge_offers(Model& model, const std::vector<Offer>& offers) {
  Model merged = model;
  merged.rebuild_index();
  for (const auto& o : offers) {
    if (auto id = merged.find_offer(o.key)) {
      Offer& old = merged.offers[id->index()];
      Offer updated = o;
      updated.organiser = old.organiser;
      updated.volunteers = old.volunteers;
      updated.initiative = old.initiative;
      updated.hours_per_seat = old.hours_per_seat;
      old = std::move(updated);
    } else {
      merged.offers.push_back(o);
      merged.index_key(OfferId(static_cast<std::uint32_t>(merged.offers.size() - 1)));
    }
  }
  if (auto problems = merged.check(); !problems.empty()) throw InputError(std::move(problems));
  model = std::move(merged);
}

HsdsImport import_amsterdam(const std::filesystem::path& path, const HsdsMapping& mapping,
                            const HsdsImportOptions& options) {
  Importer im(mapping, options);
  im.docs.push_back(std::make_unique<json>(parse_file(path)));
  im.amsterdam(*im.docs.back(), path.filename().string());
  return im.finish();
}

}  // namespace wijkmatch
