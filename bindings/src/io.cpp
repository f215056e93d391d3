// Reading and checking model files (io.hpp): load, loads, validate, validate_text.
#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

LoadOptions load_options(std::size_t max_problems, std::size_t max_bytes, int max_depth) {
  LoadOptions o;
  o.max_problems = max_problems;
  o.max_bytes = max_bytes;
  o.max_depth = max_depth;
  return o;
}

}  // namespace

void bind_io(py::module_& m) {
  m.attr("model_format_version") = model_format_version;
  m.def(
      "load",
      [](const py::object& path, std::size_t max_problems, std::size_t max_bytes, int max_depth) {
        const std::string p = fspath(path);
        const LoadOptions o = load_options(max_problems, max_bytes, max_depth);
        return std::make_shared<Model>(run_interruptible([p, o] { return load_any(p, o); }));
      },
      py::arg("path"), py::arg("max_problems") = 100, py::arg("max_bytes") = wijkmatch::default_max_input_bytes,
      py::arg("max_depth") = 32,
      "Reads a model file (format v1 JSON, or binary .wjm); raises InputError listing every problem found.");
  m.def(
      "loads",
      [](const std::string& text, std::size_t max_problems, int max_depth) {
        LoadOptions o = load_options(max_problems, std::size_t{1} << 30, max_depth);
        o.max_bytes = std::max(o.max_bytes, text.size());
        return std::make_shared<Model>(run_interruptible([text, o] { return parse_model(text, o); }));
      },
      py::arg("text"), py::arg("max_problems") = 100, py::arg("max_depth") = 32,
      "Parses a format v1 JSON document; raises InputError listing every problem found.");
  m.def(
      "validate_text",
      [](const std::string& text, std::size_t max_problems) {
        std::vector<Problem> problems;
        {
          py::gil_scoped_release nogil;
          LoadOptions o;
          o.max_problems = max_problems;
          o.max_bytes = std::max(o.max_bytes, text.size());
          problems = validate_model(text, o);
        }
        return problem_list(problems);
      },
      py::arg("text"), py::arg("max_problems") = 100,
      "Every problem of a format v1 JSON document as a list of Problem(pointer, reason); empty when valid.");
  m.def(
      "validate",
      [](const py::object& path, std::size_t max_problems) {
        const std::string p = fspath(path);
        LoadOptions o;
        o.max_problems = max_problems;
        std::vector<Problem> problems;
        try {
          if (is_binary_path(p)) {
            run_interruptible([p, o] { return load_model_binary(p, o); });
          } else {
            py::gil_scoped_release nogil;
            problems = validate_model(read_input(p, o.max_bytes), o);
          }
        } catch (const InputError& e) {
          problems = e.problems();
        }
        return problem_list(problems);
      },
      py::arg("path"), py::arg("max_problems") = 100,
      "Every problem of a model file (JSON, or binary .wjm) as a list of Problem(pointer, reason); empty when "
      "valid. Unreadable files give one problem with an empty pointer.");
}

}  // namespace wijkmatch::py_bindings
