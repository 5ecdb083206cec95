// `romharness build`: builds ROM variants into the cache and prints a table
// (or JSON) of sizes against budgets; the options are read by
// harness/cli/rom_options.cc.
//
//   BuildOptions o;
//   o.context.ipxe_src = "~/src/ipxe";
//   o.sets = {"vmware-min"};
//   int status = build_command(o, std::cout, std::cerr);  // 0 ok, 1 failed or over budget
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "harness/rom/builder.h"

namespace rh {

struct BuildOptions {
  bool json = false;
  bool feature_cost = false;
  BuildContext context;
  std::vector<std::string> sets, nics, platforms;
};

// Exit 0 all built within budget, 1 a build failed or a ROM is over budget.
// InputError/SetupError for a bad source, variant file or filter.
int build_command(const BuildOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rh
