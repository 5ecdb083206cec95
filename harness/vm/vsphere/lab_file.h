// The lab file: which vCenter/ESXi to use and where its VMs go, read with
// file:line errors (core/yaml_input.h). Credentials are never in it: it names
// the environment variable or the file that holds the password.
//
//   # lab.yaml
//   endpoint: https://vcenter.lab.example/sdk
//   username: romharness@vsphere.local
//   password_env: RH_LAB_PASSWORD        # or password_file: lab.pw (relative to this file)
//   tls:
//     ca_bundle: lab-ca.pem              # default: the system's trust store
//     # insecure: true                   # no verification; only when asked, and reported
//   datacenter: DC0
//   datastore: LocalDS_0
//   network: VM Network
//   cluster: DC0_C0                      # or host: DC0_H0
//   resource_pool: romharness            # default: the cluster's or host's root pool
//   folder: romharness                   # under the datacenter's VM folder; default: that folder
//   concurrency: 2                       # VMs at once
//   vm_prefix: rh-
//   guest_id: otherGuest64
//   boot_server:
//     address: 192.0.2.10                # the boot server as the lab's VMs reach it
//     bind: 192.0.2.10                   # what it binds; default 127.0.0.1 (e.g. a tunnel)
//   efi_rom_key: ""                      # the .vmx key for an EFI NIC ROM, if the lab has one
//   task_timeout: 10m
//
//   LabConfig lab = load_lab_file("lab.yaml");   // InputError "lab.yaml:3:1: ..."
//   Credentials c = read_credentials(lab);       // SetupError naming the variable/file
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "harness/vm/vsphere/http_client.h"
#include "harness/vm/vsphere/secret.h"

namespace rh::vsphere {

struct LabConfig {
  std::filesystem::path file;  // where it was read from ("" for text)
  std::string endpoint;        // normalised: https://host[:port]/sdk
  std::string username;
  std::string password_env;
  std::filesystem::path password_file;  // absolute
  TlsOptions tls;
  std::string datacenter;  // an inventory path: "DC0" or "Lab/DC0"
  std::string datastore;
  std::string network;
  std::string cluster;
  std::string host;
  std::string resource_pool;
  std::string folder;  // relative to the datacenter's VM folder
  int concurrency = 1;
  std::string vm_prefix = "rh-";
  std::string guest_id = "otherGuest64";
  std::string boot_server_address;
  std::string boot_server_bind;  // empty: loopback
  std::string efi_rom_key;
  std::chrono::milliseconds task_timeout = std::chrono::minutes(10);
  std::map<std::string, std::string> where;  // key -> "file:line:col", for messages
};

LabConfig load_lab_file(const std::filesystem::path& path);
LabConfig parse_lab_file(const std::string& text, const std::string& display_name,
                         const std::filesystem::path& base_dir);

struct Credentials {
  std::string username;
  Secret password;
};

// The password from lab.password_env or lab.password_file (first line).
// SetupError naming the variable or file when it is unset, unreadable or empty.
Credentials read_credentials(const LabConfig& lab);

}  // namespace rh::vsphere
