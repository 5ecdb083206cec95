// From a BootPlan to the files its QEMU needs on the libvirt host and the
// DomainSpec that names them: the part of the backend the golden files
// check, kept apart from the connection so it runs without a daemon.
//
//   GuestinfoLayout layout;                       // opt/guestinfo/<key>, one file a key
//   StagedFiles files = stage_plan(plan, stage, layout, {.emulator = e});
//   DomainSpec spec = domain_spec(plan, {.name = n, .metadata_xml = m}, files);
//   std::string xml = build_domain_xml(spec);
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "harness/vm/boot_plan.h"
#include "harness/vm/libvirt/domain_xml.h"
#include "harness/vm/libvirt/file_stage.h"

namespace rh {

// How guestinfo reaches the patched QEMU through fw_cfg: one file per key
// under `per_key_prefix` (what the emulator reads today), or, when `encode`
// is set, one file `blob_name` holding encode(guestinfo) (the single-file
// form; fw_cfg file slots are few).
struct GuestinfoLayout {
  std::string per_key_prefix = "opt/guestinfo/";
  std::string blob_name = "opt/romharness/guestinfo";
  std::function<std::string(const std::map<std::string, std::string>&)> encode;
};

// fw_cfg name -> exact bytes, in a stable order.
std::vector<std::pair<std::string, std::string>> guestinfo_files(
    const std::map<std::string, std::string>& guestinfo, const GuestinfoLayout& layout);

// What lives where QEMU runs.
struct HostFiles {
  std::filesystem::path emulator;    // already there (staged once per run, or the host's own)
  std::filesystem::path efi_loader;  // OVMF on that host
  bool outputs = true;               // the stage can bring a capture and GuestRPC log back
};

struct StagedFiles {
  std::filesystem::path emulator;
  std::filesystem::path efi_loader;
  std::filesystem::path rom;
  std::filesystem::path sercon_port;
  std::vector<FwCfgFile> guestinfo;
  std::filesystem::path kernel;
  std::filesystem::path initrd;
  std::filesystem::path capture;       // empty: not brought back
  std::filesystem::path guestrpc_log;  // empty: not brought back
};

// Stages the plan's ROM, SeaBIOS's sercon file, guestinfo and kernel.
// Throws SetupError (a file that cannot be read or staged).
StagedFiles stage_plan(const BootPlan& plan, FileStage& stage, const GuestinfoLayout& layout,
                       const HostFiles& host);

struct DomainIdentity {
  std::string name;
  std::string metadata_xml;
  std::string type = "qemu";  // "qemu" (TCG) or "kvm"
};

DomainSpec domain_spec(const BootPlan& plan, const DomainIdentity& id, const StagedFiles& files);

}  // namespace rh
