// Partition of a country (partition.hpp), for wijkmatch.distributed: split and merge models
// by municipality, footprints as flat numpy arrays (small and picklable, so that Dask workers
// can send them to the driver), and the coupling of several footprints.
#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

template <class T>
using In = py::array_t<T, py::array::c_style | py::array::forcecast>;

py::dict footprint_dict(const Footprint& fp) {
  const auto& ns = fp.needs;
  const auto& os = fp.offers;
  using N = Footprint::NeedReach;
  using O = Footprint::OfferSite;
  py::dict out;
  out["municipalities"] = strings(fp.municipalities);
  out["need_municipality"] = column<std::int32_t>(ns, [](const N& n) { return n.municipality; });
  out["need_x"] = column<double>(ns, [](const N& n) { return n.home.x_m; });
  out["need_y"] = column<double>(ns, [](const N& n) { return n.home.y_m; });
  out["need_domain"] = column<std::uint8_t>(ns, [](const N& n) { return n.domain; });
  out["need_collective_radius"] = column<double>(ns, [](const N& n) { return n.collective_radius_m; });
  out["need_provision_radius"] = column<double>(ns, [](const N& n) { return n.provision_radius_m; });
  out["offer_municipality"] = column<std::int32_t>(os, [](const O& o) { return o.municipality; });
  out["offer_x"] = column<double>(os, [](const O& o) { return o.at.x_m; });
  out["offer_y"] = column<double>(os, [](const O& o) { return o.at.y_m; });
  out["offer_collective"] = column<bool>(os, [](const O& o) { return o.collective; });
  out["offer_domains"] = column<std::uint16_t>(os, [](const O& o) { return o.domains.bits; });
  out["link_a"] = column<std::int32_t>(fp.links, [](const auto& l) { return l.first; });
  out["link_b"] = column<std::int32_t>(fp.links, [](const auto& l) { return l.second; });
  return out;
}

/// The common length of the arrays of one kind of entity; raises ValueError if they differ.
template <class... T>
std::size_t same_length(const char* what, const In<T>&... arrays) {
  const std::size_t sizes[] = {static_cast<std::size_t>(arrays.size())...};
  for (std::size_t s : sizes)
    if (s != sizes[0]) throw py::value_error(std::string("footprint: the ") + what + " arrays differ in length");
  return sizes[0];
}

/// The inverse of footprint_dict; raises ValueError for arrays of different lengths and
/// domains out of range.
Footprint footprint_from(const py::handle& handle) {
  const py::dict d = py::reinterpret_borrow<py::dict>(handle);
  Footprint fp;
  fp.municipalities = d["municipalities"].cast<std::vector<std::string>>();
  const auto nm = d["need_municipality"].cast<In<std::int32_t>>();
  const auto nx = d["need_x"].cast<In<double>>(), ny = d["need_y"].cast<In<double>>();
  const auto nd = d["need_domain"].cast<In<std::uint8_t>>();
  const auto nc = d["need_collective_radius"].cast<In<double>>(), np = d["need_provision_radius"].cast<In<double>>();
  for (std::size_t i = 0, n = same_length("need", nm, nx, ny, nd, nc, np); i < n; ++i) {
    if (nd.at(i) >= life_domain_count) throw py::value_error("footprint: need_domain out of range");
    fp.needs.push_back({nm.at(i), {nx.at(i), ny.at(i)}, static_cast<LifeDomain>(nd.at(i)), nc.at(i), np.at(i)});
  }
  const auto om = d["offer_municipality"].cast<In<std::int32_t>>();
  const auto ox = d["offer_x"].cast<In<double>>(), oy = d["offer_y"].cast<In<double>>();
  const auto oc = d["offer_collective"].cast<In<bool>>();
  const auto od = d["offer_domains"].cast<In<std::uint16_t>>();
  for (std::size_t i = 0, n = same_length("offer", om, ox, oy, oc, od); i < n; ++i)
    fp.offers.push_back({om.at(i), {ox.at(i), oy.at(i)}, oc.at(i), DomainSet{od.at(i)}});
  const auto la = d["link_a"].cast<In<std::int32_t>>(), lb = d["link_b"].cast<In<std::int32_t>>();
  for (std::size_t i = 0, n = same_length("link", la, lb); i < n; ++i) fp.links.emplace_back(la.at(i), lb.at(i));
  return fp;
}

}  // namespace

void bind_partition(py::module_& m) {
  m.def(
      "split_model",
      [](const ModelPtr& model, const std::vector<std::vector<std::string>>& groups) {
        auto parts = run_interruptible([model, groups] { return split_model(*model, groups); });
        std::vector<ModelPtr> out;
        for (auto& p : parts) out.push_back(std::make_shared<Model>(std::move(p)));
        return out;
      },
      py::arg("model"), py::arg("groups"),
      "Splits `model` into one model per group of municipalities (lists of CBS GM codes), in one "
      "pass: each part holds the households, residents, needs and offers of its municipalities, "
      "the ties and attendance inside the part, and each professional in the group of the first "
      "work-area code that lies in a group. Entities outside every group are left out.");
  m.def(
      "merge_models",
      [](const std::vector<ModelPtr>& models) {
        return std::make_shared<Model>(run_interruptible([models] {
          std::vector<const Model*> parts;
          for (const auto& p : models) parts.push_back(p.get());
          return merge_models(std::span<const Model* const>(parts));
        }));
      },
      py::arg("models"), "One model holding every entity of `models`, in order; raises InputError on duplicate keys.");
  m.def(
      "footprint",
      [](const ModelPtr& model, const py::object& policy) {
        const Policy p = policy_from(policy);
        return footprint_dict(run_interruptible([model, p] { return footprint(*model, p); }));
      },
      py::arg("model"), py::arg("policy") = py::none(),
      "What coupling municipalities needs from `model` (wijkmatch::footprint), as a dict of flat arrays.");
  m.def(
      "couple",
      [](const py::list& footprints) {
        std::vector<Footprint> fps;
        for (const auto& f : footprints) fps.push_back(footprint_from(f));
        const Coupling c = run_interruptible([fps = std::move(fps)] { return couple(fps); });
        py::array_t<std::int64_t> links({static_cast<py::ssize_t>(c.links.size()), py::ssize_t{2}});
        auto* out = links.mutable_data();
        for (auto [a, b] : c.links) {
          *out++ = a;
          *out++ = b;
        }
        py::dict result;
        result["municipalities"] = strings(c.municipalities);
        result["links"] = links;
        result["of_footprint"] = c.of_footprint;
        return result;
      },
      py::arg("footprints"),
      "Joins footprints (dicts from footprint()) into {municipalities: codes, links: (k, 2) array of "
      "coupled municipalities (indices into the codes), of_footprint: the codes' indices per footprint}.");
}

}  // namespace wijkmatch::py_bindings
