#!/usr/bin/env bash
# Applies .clang-format to every C++ file git tracks; `--check` only reports (exit 1 on a diff).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=(-i)
if [[ "${1:-}" == "--check" ]]; then mode=(--dry-run --Werror); fi
git ls-files -z '*.cpp' '*.hpp' '*.h' | xargs -0 clang-format-14 "${mode[@]}"
