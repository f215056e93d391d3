// wijkmatch: matches residents' requests for help to what their neighbourhood offers,
// collective first. This umbrella header includes the whole public API.
#pragma once
#include "wijkmatch/allocation.hpp"
#include "wijkmatch/area.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/domain.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/graph.hpp"
#include "wijkmatch/ids.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/min_cost_flow.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/plan.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/ranking.hpp"
#include "wijkmatch/stable_matching.hpp"
#include "wijkmatch/summary.hpp"
