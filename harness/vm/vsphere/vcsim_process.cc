#include "harness/vm/vsphere/vcsim_process.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rh::vsphere::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

}  // namespace

std::string Vcsim::binary() {
  if (const char* env = std::getenv("RH_VCSIM")) return env;
  return RH_VCSIM_BINARY;
}

Vcsim::Vcsim(Process process, VcsimOptions options, fs::path dir)
    : process_(std::move(process)),
      options_(std::move(options)),
      dir_(std::move(dir)),
      ca_file_(dir_ / "vcsim-ca.pem") {}

Vcsim::~Vcsim() { process_.stop(std::chrono::seconds(5)); }

std::unique_ptr<Vcsim> Vcsim::start(const VcsimOptions& options, const fs::path& dir) {
  fs::create_directories(dir);
  {
    std::ofstream pw(dir / "vcsim.pw");
    pw << options.password << "\n";
  }
  ProcessSpec spec{.argv = {binary(), "-listen", "127.0.0.1:0", "-username", options.username,
                            "-password-file", (dir / "vcsim.pw").string(), "-ca-out",
                            (dir / "vcsim-ca.pem").string(), "-fault", join(options.faults)},
                   .stdout_path = dir / "vcsim.stdout",
                   .stderr_path = dir / "vcsim.stderr"};
  std::unique_ptr<Vcsim> sim(new Vcsim(Process::start(spec), options, dir));
  // Wait for the line that says it answers, however long a loaded machine takes.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = read_file(dir / "vcsim.stdout");
    std::size_t at = out.find("RH_VCSIM_URL ");
    if (at != std::string::npos && out.find("RH_VCSIM_READY") != std::string::npos) {
      std::size_t end = out.find('\n', at);
      sim->url_ = out.substr(at + 13, end - at - 13);
      return sim;
    }
    if (!sim->process_.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("rh-vcsim did not come up: " + read_file(dir / "vcsim.stderr"));
}

LabConfig Vcsim::lab_config() const {
  LabConfig lab;
  lab.file = dir_ / "lab.yaml";
  lab.endpoint = url_;
  lab.username = options_.username;
  lab.password_file = dir_ / "vcsim.pw";
  lab.tls.ca_bundle = ca_file_;
  lab.datacenter = "DC0";
  lab.datastore = "LocalDS_0";
  lab.network = "VM Network";
  lab.cluster = "DC0_C0";
  lab.vm_prefix = "rhsim-";
  lab.boot_server_address = "127.0.0.1";
  lab.task_timeout = std::chrono::minutes(2);
  return lab;
}

std::string Vcsim::output() const {
  return read_file(dir_ / "vcsim.stdout") + read_file(dir_ / "vcsim.stderr");
}

}  // namespace rh::vsphere::testing
