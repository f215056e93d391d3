"""Builds the wijkmatch Python package: the compiled module wijkmatch._core with CMake (the
target wijkmatch_python of bindings/CMakeLists.txt), plus the pure-Python files of
bindings/wijkmatch. Metadata is in pyproject.toml; the version comes from CMakeLists.txt.

    /usr/bin/python3 -m pip install --no-build-isolation .     # offline, Debian's setuptools
    /usr/bin/python3 setup.py build_ext --inplace               # module into bindings/wijkmatch

Environment: CMAKE (the cmake program), CMAKE_BUILD_PARALLEL_LEVEL (jobs, default 2),
WIJKMATCH_CMAKE_ARGS (extra configure arguments).
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*wijkmatch\s+VERSION\s+([0-9][0-9.]*)", text)
    if not match:
        raise RuntimeError("no project(wijkmatch VERSION ...) in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension module built by CMake rather than by setuptools."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    """Configures and builds the CMake target, then copies the module where setuptools wants it."""

    def build_extension(self, ext: Extension) -> None:
        if not isinstance(ext, CMakeExtension):
            super().build_extension(ext)
            return
        cmake = os.environ.get("CMAKE", "cmake")
        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            cmake, "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DWIJKMATCH_BUILD_PYTHON=ON",
            "-DWIJKMATCH_BUILD_TESTS=OFF",
            "-DWIJKMATCH_BUILD_BENCHMARKS=OFF",
            "-DWIJKMATCH_BUILD_EXAMPLES=OFF",
            "-DWIJKMATCH_INSTALL=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
        ] + shlex.split(os.environ.get("WIJKMATCH_CMAKE_ARGS", ""))
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(configure)
        subprocess.check_call([cmake, "--build", str(build_dir), "--target", ext.target, "-j", jobs])
        built = sorted((build_dir / "bindings" / "wijkmatch").glob("_core*.so")) + sorted(
            (build_dir / "bindings" / "wijkmatch").glob("_core*.pyd"))
        if not built:
            raise RuntimeError(f"CMake built no wijkmatch._core module in {build_dir}")
        destination = Path(self.get_ext_fullpath(ext.name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], destination)


setup(
    version=project_version(),
    packages=["wijkmatch"],
    package_dir={"": "bindings"},
    package_data={"wijkmatch": ["*.pyi", "py.typed"]},
    ext_modules=[CMakeExtension("wijkmatch._core", target="wijkmatch_python")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
    # setuptools' own build tree inside CMake's ignored build/ directory, apart from it.
    options={"build": {"build_base": "build/setuptools"}},
)
