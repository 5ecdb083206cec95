// Parsing a command line the way romharness does, without running it.
//
//   auto p = parse({"run", "scenarios", "-j2"});
//   EXPECT_EQ(p->options.run.jobs, 2);
//   CliRun r = cli({"run", "--acel"});   // run_cli: exit status, out, err
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/app.h"

namespace rh::testing {

// The App refers into the options, so both stay together and in place.
struct Parsed {
  CliOptions options;
  std::unique_ptr<CLI::App> app = build_app(options);
};

inline std::unique_ptr<Parsed> parse(const std::vector<std::string>& args) {
  auto p = std::make_unique<Parsed>();
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  p->app->parse(reversed);
  return p;
}

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

inline CliRun cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace rh::testing
