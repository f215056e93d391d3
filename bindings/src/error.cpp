// Errors (error.hpp): wijkmatch::InputError becomes wijkmatch.InputError (a ValueError) with
// its problems, a refused event (engine.hpp's EventError) wijkmatch.EventError, an InputError
// with the event's id and the pointer, InvalidArgument a ValueError, OutOfRange an IndexError, every other
// wijkmatch::Error becomes wijkmatch.Error. Both Python classes
// live in wijkmatch/_errors.py so that they pickle and subclass like plain Python.
#include "common.hpp"
#include "wijkmatch/engine.hpp"

namespace wijkmatch::py_bindings {
namespace {

void translate_errors(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const EventError& e) {
    py::object type = py::module_::import("wijkmatch._errors").attr("EventError");
    PyErr_SetObject(type.ptr(), type(py::str(e.what()), problem_list(e.problems()), e.event_id()).ptr());
  } catch (const InputError& e) {
    py::object type = py::module_::import("wijkmatch._errors").attr("InputError");
    PyErr_SetObject(type.ptr(), type(py::str(e.what()), problem_list(e.problems())).ptr());
  } catch (const OutOfRange& e) {
    PyErr_SetString(PyExc_IndexError, e.what());
  } catch (const InvalidArgument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const Error& e) {
    py::object type = py::module_::import("wijkmatch._errors").attr("Error");
    PyErr_SetObject(type.ptr(), type(py::str(e.what())).ptr());
  }
}

}  // namespace

void bind_error(py::module_&) { py::register_exception_translator(&translate_errors); }

}  // namespace wijkmatch::py_bindings
