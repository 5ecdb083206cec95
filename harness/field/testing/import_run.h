// Test support for the import commands: one run of `import-vmx` or
// `import-tf` with its exit code and output, errors shown as the command
// line shows them (harness/cli/exit_codes.cc).
//
//   ImportRun r = run_import(import_vmx_command, {kVmxDir + "seed-vmxnet3.vmx"});
//   ASSERT_EQ(r.code, 0) << r.err;
#pragma once

#include <filesystem>
#include <sstream>
#include <string>

#include "harness/core/error.h"
#include "harness/field/import.h"

namespace rh::testing {

inline const std::string kVmxDir = RH_SOURCE_DIR "/fixtures/vmx/";

struct ImportRun {
  int code;
  std::string out;
  std::string err;
};

// The working directory for one scope: imports must not depend on it, and
// one that prints its scenario writes its stubs there.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const std::filesystem::path& to)
      : before_(std::filesystem::current_path()) {
    std::filesystem::current_path(to);
  }
  ~WorkingDirectory() { std::filesystem::current_path(before_); }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  std::filesystem::path before_;
};

template <typename Command>
ImportRun run_import(Command command, const ImportCommandOptions& options) {
  std::ostringstream out, err;
  int code = 2;
  try {
    code = command(options, out, err);
  } catch (const InputError& e) {
    err << "romharness: " << e.what() << "\n";
  }
  return {code, out.str(), err.str()};
}

}  // namespace rh::testing
