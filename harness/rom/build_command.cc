// `romharness build`: argument parsing, the result table and the feature-cost table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>

#include "harness/core/error.h"
#include "harness/rom/builder.h"

namespace rh {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct BuildOptions {
  bool help = false;
  bool json = false;
  bool feature_cost = false;
  BuildContext context;
  std::vector<std::string> sets, nics, platforms;
};

// Flags that take a value, as "--flag VALUE" or "--flag=VALUE".
std::optional<std::string> take_value(const std::vector<std::string>& args, std::size_t& i,
                                      const std::string& flag) {
  const std::string& arg = args[i];
  if (arg == flag) {
    if (i + 1 >= args.size()) throw InputError("option '" + flag + "' needs a value");
    return args[++i];
  }
  if (arg.starts_with(flag + "=")) return arg.substr(flag.size() + 1);
  return std::nullopt;
}

int parse_jobs(const std::string& text) {
  std::size_t used = 0;
  int jobs = 0;
  try {
    jobs = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || jobs < 1 || jobs > 256) {
    throw InputError("-j needs a number of jobs from 1 to 256, got '" + text + "'");
  }
  return jobs;
}

// Applies "--flag VALUE" / "--flag=VALUE"; false when args[i] is not a value flag.
bool apply_value_flag(const std::vector<std::string>& args, std::size_t& i, BuildOptions& o) {
  const std::vector<std::pair<std::string, std::function<void(const std::string&)>>> flags = {
      {"--ipxe-src", [&](const std::string& v) { o.context.ipxe_src = v; }},
      {"--variants", [&](const std::string& v) { o.context.variants = v; }},
      {"--cache", [&](const std::string& v) { o.context.cache_dir = v; }},
      {"--nic", [&](const std::string& v) { o.nics.push_back(v); }},
      {"--platform", [&](const std::string& v) { o.platforms.push_back(v); }},
      {"-j", [&](const std::string& v) { o.context.jobs = parse_jobs(v); }}};
  for (const auto& [flag, apply] : flags) {
    if (auto value = take_value(args, i, flag)) {
      apply(*value);
      return true;
    }
  }
  return false;
}

BuildOptions parse_args(const std::vector<std::string>& args) {
  BuildOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      o.help = true;
    } else if (arg == "--json") {
      o.json = true;
    } else if (arg == "--feature-cost") {
      o.feature_cost = true;
    } else if (apply_value_flag(args, i, o)) {
      continue;
    } else if (arg.starts_with("-j") && arg.size() > 2) {
      o.context.jobs = parse_jobs(arg.substr(2));
    } else if (arg.starts_with("-")) {
      throw InputError("unknown option '" + arg + "'");
    } else {
      o.sets.push_back(arg);
    }
  }
  return o;
}

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

int run(const BuildOptions& options, std::ostream& out, std::ostream& err) {
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

}  // namespace

std::string build_usage() {
  return "usage: romharness build [VARIANT...] --ipxe-src PATH|GIT_URL[@REF] [options]\n"
         "  Builds ROM variants (feature sets from rom-builds/*.yaml) for their NIC targets and\n"
         "  platforms with iPXE's make in private copies of the tree, into the ROM cache.\n"
         "  VARIANT            feature set name (default: every set in the variant files)\n"
         "  --ipxe-src SRC     iPXE tree (top directory or src/) or git URL, optionally @REF;\n"
         "                     default $ROMHARNESS_IPXE_SRC. The tree is never modified.\n"
         "  --variants PATH    variant file or directory (default: rom-builds)\n"
         "  --nic NIC          only this NIC (repeatable): vmxnet3, e1000, e1000-82545em, e1000e\n"
         "  --platform P       only this platform (repeatable): bios, efi\n"
         "  -j N               make jobs in total, spread over concurrent builds (default 1)\n"
         "  --feature-cost     also build each set without each feature; print bytes per feature\n"
         "  --cache DIR        cache directory (default: $ROMHARNESS_CACHE, else\n"
         "                     $XDG_CACHE_HOME/romharness, else ~/.cache/romharness)\n"
         "  --json             print the result as JSON\n"
         "exit status: 0 all built within budget, 1 a build failed or a ROM is over budget,\n"
         "             2 usage, variant file or source error\n";
}

int build_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    const BuildOptions options = parse_args(args);
    if (options.help) {
      out << build_usage();
      return kExitOk;
    }
    return run(options, out, err);
  } catch (const InputError& e) {
    err << "romharness build: " << e.what() << "\n";
    if (std::string(e.what()).find("option") != std::string::npos) err << build_usage();
    return kExitUsage;
  } catch (const SetupError& e) {
    err << "romharness build: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace rh
