#!/usr/bin/env bash
# Sets everything up, builds the `wijkmatch` program and runs the main job on the bundled
# example neighbourhood (three neighbourhoods of Utrecht Overvecht).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target wijkmatch_exe
example=examples/data/neighbourhood.json
echo; echo "\$ wijkmatch validate $example"; build/wijkmatch validate "$example"
echo; echo "\$ wijkmatch summary $example"; build/wijkmatch summary "$example"
echo; echo "\$ wijkmatch rank $example --need N004 --need N024 --need N031"
build/wijkmatch rank "$example" --need N004 --need N024 --need N031
echo "\$ wijkmatch plan $example --household H002"
build/wijkmatch plan "$example" --household H002
echo "\$ wijkmatch allocate $example"
build/wijkmatch allocate "$example"
echo "\$ wijkmatch plan-start-meetings $example --weeks 4 --capacity 8"
build/wijkmatch plan-start-meetings "$example" --weeks 4 --capacity 8
journal=$(mktemp -d)/front_desk_day.journal
echo "\$ wijkmatch apply $example examples/data/front_desk_day.jsonl --journal $journal"
build/wijkmatch apply "$example" examples/data/front_desk_day.jsonl --journal "$journal"
echo "\$ wijkmatch audit $example --journal $journal --need N028"
build/wijkmatch audit "$example" --journal "$journal" --need N028
