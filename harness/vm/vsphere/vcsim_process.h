// Test support: rh-vcsim (ci/vcsim, govmomi's vCenter simulator) started by
// the test itself on 127.0.0.1 with TLS and its own certificate, stopped by
// the destructor.
//
//   std::unique_ptr<Vcsim> sim = Vcsim::start({.faults = {"poweron-task"}}, tmp.path());
//   LabConfig lab = sim->lab_config();   // DC0, LocalDS_0, "VM Network", DC0_C0
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/core/process.h"
#include "harness/vm/vsphere/lab_file.h"

namespace rh::vsphere::testing {

struct VcsimOptions {
  std::vector<std::string> faults;  // see ci/vcsim/main.go
  std::string username = "rh-user";
  std::string password = "Sim-pa55word/with&odd<chars";
};

class Vcsim {
 public:
  // The binary: $RH_VCSIM, else the one the build made; "" when neither.
  static std::string binary();
  // Throws std::runtime_error when it does not come up.
  static std::unique_ptr<Vcsim> start(const VcsimOptions& options,
                                      const std::filesystem::path& dir);
  ~Vcsim();

  const std::string& url() const { return url_; }
  const std::filesystem::path& ca_file() const { return ca_file_; }
  const VcsimOptions& options() const { return options_; }
  // A lab file's worth for this simulator; the password in `password_file`.
  LabConfig lab_config() const;
  std::string output() const;  // what it printed (stdout and stderr)

 private:
  Vcsim(Process process, VcsimOptions options, std::filesystem::path dir);
  Process process_;
  VcsimOptions options_;
  std::filesystem::path dir_;
  std::filesystem::path ca_file_;
  std::string url_;
};

}  // namespace rh::vsphere::testing
