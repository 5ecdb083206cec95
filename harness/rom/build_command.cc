// `romharness build`: the builds, the result table and the feature-cost table.
#include "harness/rom/build_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

#include "harness/core/error.h"

namespace rh {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;

std::string budget_text(const BuiltRom& rom) {
  if (!rom.budget) return "-";
  return std::to_string(*rom.budget);
}

std::string budget_status(const BuiltRom& rom) {
  if (!rom.budget || rom.size <= *rom.budget) return "ok";
  return "OVER +" + std::to_string(rom.size - *rom.budget);
}

void sort_roms(std::vector<BuiltRom>& roms) {
  std::sort(roms.begin(), roms.end(), [](const BuiltRom& a, const BuiltRom& b) {
    return std::tie(a.variant, a.without, a.platform, a.nic) <
           std::tie(b.variant, b.without, b.platform, b.nic);
  });
}

void print_roms(const std::vector<BuiltRom>& roms, std::ostream& out) {
  char line[512];
  std::snprintf(line, sizeof line, "%-36s %-14s %-8s %8s %8s %-10s %-6s %s\n", "variant", "nic",
                "platform", "size", "budget", "status", "cache", "path");
  out << line;
  for (const auto& rom : roms) {
    const std::string name = rom.variant + (rom.without.empty() ? "" : " -" + rom.without);
    std::snprintf(line, sizeof line, "%-36s %-14s %-8s %8zu %8s %-10s %-6s %s\n", name.c_str(),
                  rom.nic.c_str(), rom.platform.c_str(), rom.size, budget_text(rom).c_str(),
                  budget_status(rom).c_str(), rom.cache_hit ? "hit" : "built",
                  rom.path.string().c_str());
    out << line;
  }
}

void print_costs(const std::vector<FeatureCost>& costs, std::ostream& out) {
  out << "\nfeature cost: bytes the ROM grows by with the feature (negative: it shrinks)\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-14s %-16s %-8s %-14s %8s %8s %8s\n", "variant", "feature",
                "platform", "nic", "with", "without", "cost");
  out << line;
  for (const auto& c : costs) {
    std::snprintf(line, sizeof line, "%-14s %-16s %-8s %-14s %8zu %8zu %+8lld\n", c.variant.c_str(),
                  c.feature.c_str(), c.platform.c_str(), c.nic.c_str(), c.with_bytes,
                  c.without_bytes, c.cost());
    out << line;
  }
}

json rom_json(const BuiltRom& rom) {
  return {{"variant", rom.variant},
          {"without", rom.without},
          {"nic", rom.nic},
          {"platform", rom.platform},
          {"target", rom.target},
          {"path", rom.path.string()},
          {"size", rom.size},
          {"sha256", rom.sha256},
          {"budget", rom.budget ? json(*rom.budget) : json(nullptr)},
          {"over_budget", rom.budget && rom.size > *rom.budget},
          {"cache_hit", rom.cache_hit},
          {"provenance", rom.provenance}};
}

json result_json(const BuildResult& result, const std::vector<FeatureCost>& costs,
                 const RomBuilder& builder, double seconds) {
  json roms = json::array(), failures = json::array(), cost_rows = json::array();
  for (const auto& rom : result.roms) roms.push_back(rom_json(rom));
  for (const auto& f : result.failures) {
    failures.push_back({{"label", f.label}, {"message", f.message}, {"log", f.log.string()}});
  }
  for (const auto& c : costs) {
    cost_rows.push_back({{"variant", c.variant},
                         {"feature", c.feature},
                         {"nic", c.nic},
                         {"platform", c.platform},
                         {"with", c.with_bytes},
                         {"without", c.without_bytes},
                         {"cost", c.cost()}});
  }
  return {{"schema_version", 1},
          {"ipxe_source", builder.source().spec},
          {"ipxe_commit", builder.source().provenance()},
          {"seconds", seconds},
          {"roms", roms},
          {"failures", failures},
          {"feature_costs", cost_rows}};
}

}  // namespace

int build_command(const BuildOptions& options, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  BuildContext context = options.context;
  if (!options.json) context.progress = &err;
  RomBuilder builder(context);
  const auto requests =
      builder.requests(options.sets, options.nics, options.platforms, options.feature_cost);
  if (requests.empty()) throw InputError("nothing to build: no target matches the filters given");
  BuildResult result = builder.build(requests);
  sort_roms(result.roms);
  const auto costs = feature_costs(result.roms);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bool over = false;
  for (const auto& rom : result.roms) over = over || budget_status(rom) != "ok";
  if (options.json) {
    out << result_json(result, costs, builder, seconds).dump(2) << "\n";
  } else {
    out << "iPXE " << builder.source().spec << " at " << builder.source().provenance() << "\n";
    print_roms(result.roms, out);
    if (options.feature_cost) print_costs(costs, out);
    std::size_t hits = 0;
    for (const auto& rom : result.roms) hits += rom.cache_hit ? 1 : 0;
    char summary[160];
    std::snprintf(summary, sizeof summary,
                  "%zu ROMs: %zu from cache, %zu built, %zu failed in %.2f s\n", result.roms.size(),
                  hits, result.roms.size() - hits, result.failures.size(), seconds);
    out << summary;
  }
  for (const auto& f : result.failures) err << f.message << "\n";
  for (const auto& rom : result.roms) {
    if (budget_status(rom) != "ok") {
      err << "ROM '" << rom.path.string() << "' (" << rom.label << " " << rom.nic << ") is "
          << rom.size << " bytes, " << rom.size - *rom.budget << " over budget " << *rom.budget
          << "\n";
    }
  }
  return result.ok() && !over ? kExitOk : kExitFailed;
}

}  // namespace rh
