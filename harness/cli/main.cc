// romharness: end-to-end tests for iPXE network-boot ROMs (see --help).
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "harness/bootserver/serve_command.h"
#include "harness/cli/repro_command.h"
#include "harness/cli/run_command.h"
#include "harness/core/error.h"
#include "harness/field/import.h"
#include "harness/field/ipxe_error.h"
#include "harness/report/gate.h"
#include "harness/rom/builder.h"
#include "harness/rom/inspect.h"

namespace {

using Command = int (*)(const std::vector<std::string>&, std::ostream&, std::ostream&);

struct Entry {
  Command run;
  const char* summary;
  const char* help;  // nullptr: the command prints its own with --help
};

const char* const kMainHelp = R"(usage: romharness COMMAND [options]

End-to-end tests for iPXE network-boot ROMs as VMware vSphere VMs load them:
scenario files -> ROMs -> boots in QEMU (with VMware's GuestInfo channel
emulated) -> a verdict per scenario and JUnit/JSON reports.

commands:
)";

const std::map<std::string, Entry>& commands() {
  static const std::map<std::string, Entry> kCommands{
      {"run", {rh::run_command, "boot scenarios and write reports", rh::kRunHelp}},
      {"list",
       {rh::list_command, "validate scenario files and list what they expand to", rh::kListHelp}},
      {"gate", {rh::gate_command, "fail when a run regressed against a baseline run", nullptr}},
      {"report", {rh::report_command, "compare runs side by side, list or import runs", nullptr}},
      {"inspect",
       {rh::inspect_command, "parse option ROM images: ids, types, sizes, checksums", nullptr}},
      {"build",
       {rh::build_command, "build ROM variants from an iPXE tree into the cache", nullptr}},
      {"import-vmx", {rh::import_vmx_command, "turn a VM's .vmx into a scenario", nullptr}},
      {"import-tf",
       {rh::import_tf_command, "turn a Terraform vsphere_virtual_machine into a scenario",
        nullptr}},
      {"ipxe-error",
       {rh::ipxe_error_command, "decode iPXE error codes (ipxe.org/XXXXXXXX)", nullptr}},
      {"repro",
       {rh::repro_command, "rerun one scenario; print commands to reproduce it by hand",
        rh::kReproHelp}},
      {"serve",
       {rh::serve_command, "serve a directory as the boot server does (for repro)", nullptr}},
  };
  return kCommands;
}

void print_help(std::ostream& out) {
  out << kMainHelp;
  for (const auto& [name, entry] : commands()) {
    out << "  " << name << std::string(13 - std::min<std::size_t>(name.size(), 12), ' ')
        << entry.summary << "\n";
  }
  out << "\nexamples:\n"
         "  romharness run                       # boot scenarios/smoke, reports in reports/\n"
         "  romharness run scenarios -j 2        # every scenario, two boots at a time\n"
         "  romharness list scenarios            # check files without booting\n"
         "  romharness COMMAND --help            # options of one command\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help(std::cout);
    return args.empty() ? 2 : 0;
  }
  const auto it = commands().find(args[0]);
  if (it == commands().end()) {
    std::cerr << "romharness: unknown command '" << args[0] << "' (see romharness --help)\n";
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const bool wants_help = !rest.empty() && (rest[0] == "--help" || rest[0] == "-h");
  if (wants_help && it->second.help != nullptr) {
    std::cout << it->second.help;
    return 0;
  }
  try {
    return it->second.run(rest, std::cout, std::cerr);
  } catch (const rh::InputError& e) {
    std::cerr << "romharness: " << e.what() << "\n";
    return 2;
  } catch (const rh::SetupError& e) {
    std::cerr << "romharness: set-up: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "romharness: internal error: " << e.what() << "\n";
    return 2;
  }
}
