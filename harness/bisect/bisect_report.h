// A finished bisection for people and tools: bisect.json (schema version 1)
// in the output directory, and a plain-text step table with the answer.
//
//   write_bisect_json(result, "reports/bisect-1");   // reports/bisect-1/bisect.json
//   print_bisect_table(result, std::cout);
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "harness/bisect/bisect.h"

namespace rh {

nlohmann::json bisect_json(const BisectResult& result);
// Atomically; SetupError when it cannot be written.
void write_bisect_json(const BisectResult& result, const std::filesystem::path& dir);
void print_bisect_table(const BisectResult& result, std::ostream& out);

}  // namespace rh
