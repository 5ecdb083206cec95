// `romharness run`, `list` and `repro`: what they were asked (filled by
// run_options.cc from the command line) and the functions that do it.
//
//   RunOptions o;
//   o.paths = {"scenarios/smoke"};
//   o.jobs = 2;
//   int status = run_command(o, std::cout, std::cerr);  // 0 pass, 1 failures, 130 interrupted
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/runner/shard_selection.h"
#include "harness/vm/registry.h"

namespace rh {

struct RunOptions {
  std::vector<std::filesystem::path> paths;  // default: scenarios/smoke
  int jobs = 1;
  int repeat = 1;
  int retries = 0;  // RunSettings::retries: boots again after infrastructure failures
  bool allow_flaky = false;
  bool feature_cost = false;
  std::filesystem::path report_root = "reports";
  std::string filter;
  std::string backend = "qemu";
  // accel, qemu, connect, hosts_file, lab_file, server_bind, server_advertise;
  // work_dir and run_id are filled in when the run starts.
  BackendOptions backend_options;
  std::filesystem::path payload;
  std::filesystem::path ipxe_src;
  std::filesystem::path history;                           // default: REPORT_DIR/history.sqlite
  std::map<std::string, std::filesystem::path> rom_files;  // --rom VARIANT[/NIC]=FILE
  // --shard I/N; unset: the CI system's (CI_NODE_*, GTEST_*), else the whole run.
  std::optional<ShardNumber> shard;
  // --run-timeout: the whole run's limit (RunSettings::run_timeout); also
  // checked against every scenario's timeout when the files load.
  std::optional<std::chrono::milliseconds> run_timeout;
  std::string run_id;                     // --run-id: shards of one run share it; empty: a new one
  std::vector<std::string> command_line;  // recorded in the history
};

struct ListOptions {
  std::vector<std::filesystem::path> paths;  // default: scenarios/smoke
  std::string filter;
};

// Exit 0 every scenario as expected, 1 a scenario failed, 130 interrupted;
// InputError/SetupError for bad scenarios or set-up (exit 2).
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);
int list_command(const ListOptions& options, std::ostream& out);

}  // namespace rh
