// Turning a field VM's configuration into a romharness scenario, so a boot
// failure seen on vSphere can be replayed in QEMU with one command.
//
//   romharness import-vmx vm.vmx -o scenarios/local/vm.yaml --rom-dir roms/
//   romharness import-tf main.tf --resource pxe_vm
//
// Both readers reduce their input to VMware configuration keys (VmSetting,
// .vmx key names: `memsize`, `ethernet0.virtualDev`, `guestinfo.*`, ...);
// scenario_from_settings() maps those and leaves a `# not mapped:` comment
// for every key it has no place for.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace rh {

class VmxFile;

struct VmSetting {
  std::string key;    // .vmx key, e.g. "ethernet0.opromsize"
  std::string value;  // unescaped
  std::string shown;  // how the comment for an unmapped key shows it, one line
  std::string where;  // "vm.vmx:7"
};

struct ImportOptions {
  std::string source;      // file the settings came from, for the header comment
  std::string source_dir;  // relative ROM paths are looked up here (VMware: the VM's folder)
  std::string rom_dir;     // --rom-dir: ROM file names are looked up here first
  // Scenario files resolve paths relative to themselves: local files are
  // written relative to this folder (the output's), or absolute when empty.
  std::string output_dir;
  std::string payload_script;  // iPXE script served as /boot.ipxe; empty: not found
  // --serve-dir: the files that guestinfo URLs name by host
  // (http://boot.example/demo/boot.php -> DIR/demo/boot.php), served by the
  // boot server at the same path. Empty, or a file missing there: a stub is
  // written for it (ImportResult::stub_files) and a note says what to put there.
  std::string serve_dir;
};

// fixtures/scripts/linux.ipxe in `start` or a parent of it; empty if none.
std::string find_linux_script(const std::string& start);

struct ImportResult {
  std::string yaml;                // the scenario, comments included
  std::vector<std::string> notes;  // also in the YAML as comments; for stderr
  // Files to write with the scenario: stand-ins for URLs that no --serve-dir
  // file answers, path (as written in the scenario, relative to output_dir
  // or absolute) -> content. An existing file is used, never replaced.
  std::map<std::string, std::string> stub_files;
  int guestinfo_keys = 0;
  int unmapped_keys = 0;
};

// Throws InputError for values that cannot be mapped at all (an unsupported
// NIC type, a non-numeric memsize) with the location and the value.
ImportResult scenario_from_settings(const std::vector<VmSetting>& settings,
                                    const ImportOptions& options);

// One setting per .vmx entry; unmapped ones are shown as `key = "raw value"`.
std::vector<VmSetting> settings_from_vmx(const VmxFile& vmx);

// What `romharness import-vmx` / `import-tf` were asked (read by
// harness/cli/field_options.cc).
struct ImportCommandOptions {
  std::string input;
  std::string output;     // -o; empty: stdout
  std::string rom_dir;    // --rom-dir
  std::string resource;   // --resource (import-tf)
  std::string serve_dir;  // --serve-dir: files for host-name URLs in guestinfo
};

// Writes the scenario (to `out` or -o), warnings and notes on `err`; returns
// 0. InputError (or filesystem_error) for input that cannot be imported.
int import_vmx_command(const ImportCommandOptions& options, std::ostream& out, std::ostream& err);
int import_tf_command(const ImportCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rh
