#include "harness/vm/vsphere/lab_file.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/yaml_input.h"

namespace rh::vsphere {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kTopKeys = {
    "endpoint",      "username",    "password_env", "password_file", "tls",
    "datacenter",    "datastore",   "network",      "cluster",       "host",
    "resource_pool", "folder",      "concurrency",  "vm_prefix",     "guest_id",
    "boot_server",   "efi_rom_key", "task_timeout", "password"};

// "vc.example" -> "https://vc.example/sdk"; an http:// endpoint is refused.
std::string normalise_endpoint(const YamlFile& f, const YAML::Node& root) {
  std::string url = f.string_at(root, "endpoint");
  const YAML::Node node = root["endpoint"];
  if (url.starts_with("http://")) {
    f.fail(node, "endpoint '" + url + "' must use https (the lab's password travels on it)");
  }
  if (!url.starts_with("https://")) url = "https://" + url;
  std::size_t path = url.find('/', 8);
  if (path == std::string::npos) return url + "/sdk";
  return url;
}

fs::path relative_to(const fs::path& base, const std::string& text) {
  fs::path p(text);
  return p.is_absolute() || base.empty() ? p : base / p;
}

std::string optional_string(const YamlFile& f, const YAML::Node& map, const std::string& key,
                            LabConfig& lab, const std::string& fallback = "") {
  if (map[key]) lab.where[key] = f.where(map[key]);
  return f.string_or(map, key, fallback);
}

void read_tls(const YamlFile& f, const YAML::Node& root, LabConfig& lab, const fs::path& base_dir) {
  const YAML::Node tls = root["tls"];
  if (!tls) return;
  f.require_map(tls, "tls");
  f.check_keys(tls, {"ca_bundle", "insecure"}, "tls");
  if (tls["ca_bundle"]) {
    lab.tls.ca_bundle = relative_to(base_dir, f.string_at(tls, "ca_bundle"));
    lab.where["tls.ca_bundle"] = f.where(tls["ca_bundle"]);
  }
  if (tls["insecure"]) {
    lab.tls.insecure = f.bool_at(tls["insecure"], "tls.insecure");
    lab.where["tls.insecure"] = f.where(tls["insecure"]);
  }
}

void read_boot_server(const YamlFile& f, const YAML::Node& root, LabConfig& lab) {
  const YAML::Node bs = root["boot_server"];
  if (!bs) return;
  f.require_map(bs, "boot_server");
  f.check_keys(bs, {"address", "bind"}, "boot_server");
  lab.boot_server_address = f.string_at(bs, "address");
  lab.where["boot_server.address"] = f.where(bs["address"]);
  if (bs["bind"]) {
    lab.boot_server_bind = f.string_at(bs, "bind");
    lab.where["boot_server.bind"] = f.where(bs["bind"]);
  }
}

void read_password_source(const YamlFile& f, const YAML::Node& root, LabConfig& lab,
                          const fs::path& base_dir) {
  if (root["password"]) {
    // The value is not repeated: it may be the real password.
    f.fail(root["password"],
           "a lab file must not hold the password: name the variable "
           "(password_env) or the file (password_file) that does");
  }
  lab.password_env = optional_string(f, root, "password_env", lab);
  if (root["password_file"]) {
    lab.password_file = relative_to(base_dir, f.string_at(root, "password_file"));
    lab.where["password_file"] = f.where(root["password_file"]);
  }
  if (lab.password_env.empty() == lab.password_file.empty()) {
    f.fail(root, "name exactly one of password_env or password_file");
  }
}

void read_compute(const YamlFile& f, const YAML::Node& root, LabConfig& lab) {
  lab.cluster = optional_string(f, root, "cluster", lab);
  lab.host = optional_string(f, root, "host", lab);
  if (lab.cluster.empty() && lab.host.empty()) {
    f.fail(root, "name the cluster or the host the VMs run on ('cluster' or 'host')");
  }
  lab.resource_pool = optional_string(f, root, "resource_pool", lab);
  lab.folder = optional_string(f, root, "folder", lab);
}

void read_limits(const YamlFile& f, const YAML::Node& root, LabConfig& lab) {
  if (root["concurrency"]) {
    long long n = f.int_at(root["concurrency"], "concurrency");
    if (n < 1 || n > 64) {
      f.fail(root["concurrency"], "concurrency must be 1..64, got " + std::to_string(n));
    }
    lab.concurrency = static_cast<int>(n);
  }
  if (root["task_timeout"]) lab.task_timeout = f.duration_at(root["task_timeout"], "task_timeout");
  lab.vm_prefix = optional_string(f, root, "vm_prefix", lab, lab.vm_prefix);
  if (lab.vm_prefix.empty() ||
      lab.vm_prefix.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789-_") != std::string::npos) {
    f.fail(root["vm_prefix"], "vm_prefix '" + lab.vm_prefix +
                                  "' must be letters, digits, '-' or '_' (it names VMs and "
                                  "datastore folders)");
  }
  lab.guest_id = optional_string(f, root, "guest_id", lab, lab.guest_id);
  lab.efi_rom_key = optional_string(f, root, "efi_rom_key", lab);
}

LabConfig read(const YamlFile& f, const fs::path& base_dir) {
  const YAML::Node& root = f.root();
  f.require_map(root, "lab file");
  f.check_keys(root, kTopKeys, "lab file");
  LabConfig lab;
  lab.endpoint = normalise_endpoint(f, root);
  lab.where["endpoint"] = f.where(root["endpoint"]);
  lab.username = f.string_at(root, "username");
  read_password_source(f, root, lab, base_dir);
  read_tls(f, root, lab, base_dir);
  lab.datacenter = f.string_at(root, "datacenter");
  lab.datastore = f.string_at(root, "datastore");
  lab.network = f.string_at(root, "network");
  for (const char* key : {"datacenter", "datastore", "network"})
    lab.where[key] = f.where(root[key]);
  read_compute(f, root, lab);
  read_limits(f, root, lab);
  read_boot_server(f, root, lab);
  return lab;
}

}  // namespace

LabConfig parse_lab_file(const std::string& text, const std::string& display_name,
                         const fs::path& base_dir) {
  YamlFile f = YamlFile::parse(text, display_name);
  LabConfig lab = read(f, base_dir);
  lab.file = display_name;
  return lab;
}

LabConfig load_lab_file(const fs::path& path) {
  YamlFile f = YamlFile::load(path.string());
  LabConfig lab = read(f, fs::absolute(path).parent_path());
  lab.file = path;
  return lab;
}

namespace {

std::string first_line(std::string text) {
  std::size_t end = text.find_first_of("\r\n");
  if (end != std::string::npos) text.resize(end);
  return text;
}

}  // namespace

Credentials read_credentials(const LabConfig& lab) {
  Credentials c{.username = lab.username, .password = Secret()};
  std::string source;
  std::string value;
  if (!lab.password_env.empty()) {
    source = "environment variable '" + lab.password_env + "'";
    const char* env = std::getenv(lab.password_env.c_str());
    if (env == nullptr) throw SetupError("the lab's password: " + source + " is not set");
    value = first_line(env);
  } else {
    source = "password file '" + lab.password_file.string() + "'";
    std::ifstream in(lab.password_file, std::ios::binary);
    if (!in) throw SetupError("the lab's password: cannot read " + source);
    std::stringstream text;
    text << in.rdbuf();
    value = first_line(text.str());
  }
  if (value.empty()) throw SetupError("the lab's password: " + source + " is empty");
  c.password = Secret(std::move(value));
  return c;
}

}  // namespace rh::vsphere
