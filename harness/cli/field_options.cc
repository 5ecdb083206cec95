// `romharness import-vmx`, `import-tf` and `ipxe-error` on the command line.
#include "harness/cli/commands.h"
#include "harness/field/ipxe_error.h"

namespace rh {
namespace {

const char* const kImportVmxText =
    "Turns a VM's .vmx file (NIC, firmware, memory, option ROM, guestinfo.ipxe.*)\n"
    "into a scenario that boots the same way in QEMU; keys with no place in a\n"
    "scenario are kept as `# not mapped:` comments.";

const char* const kImportVmxExamples =
    "examples:\n"
    "  romharness import-vmx vm.vmx -o scenarios/local/vm.yaml --rom-dir roms/\n"
    "  romharness import-vmx fixtures/vmx/seed-vmxnet3.vmx";

const char* const kImportTfText =
    "Turns a Terraform vsphere_virtual_machine resource into a scenario, as\n"
    "import-vmx does for a .vmx (extra_config carries the guestinfo keys).";

const char* const kImportTfExamples =
    "examples:\n"
    "  romharness import-tf main.tf --resource pxe_vm -o scenarios/local/pxe.yaml";

const char* const kIpxeErrorText =
    "Decodes iPXE error numbers as iPXE prints them (https://ipxe.org/XXXXXXXX):\n"
    "the POSIX-like error, the source file that raised it, the disambiguator and\n"
    "the platform status.";

const char* const kIpxeErrorExamples =
    "examples:\n"
    "  romharness ipxe-error 2d0c613b\n"
    "  romharness ipxe-error https://ipxe.org/3c092003 0x2e008081";

void add_import_options(CLI::App& c, ImportCommandOptions& i, const std::string& input_help) {
  c.add_option("input", i.input, input_help)->type_name("FILE")->required();
  c.add_option("-o,--output", i.output, "write the scenario here (default: stdout)")
      ->type_name("SCENARIO.yaml");
  c.add_option("--rom-dir", i.rom_dir, "look ROM file names up here first")->type_name("DIR");
  c.add_option("--serve-dir", i.serve_dir,
               "serve the paths of host-name URLs in guestinfo from here (default: stubs "
               "written beside the scenario, with a note)")
      ->type_name("DIR");
}

}  // namespace

void add_field_commands(CLI::App& app, CliOptions& o) {
  CLI::App* vmx = add_command(app, "import-vmx", "turn a VM's .vmx into a scenario", kImportVmxText,
                              kImportVmxExamples);
  add_import_options(*vmx, o.import_vmx, "the VM's .vmx file");
  vmx->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream& err) {
      return import_vmx_command(o.import_vmx, out, err);
    };
  });

  CLI::App* tf =
      add_command(app, "import-tf", "turn a Terraform vsphere_virtual_machine into a scenario",
                  kImportTfText, kImportTfExamples);
  add_import_options(*tf, o.import_tf, "the Terraform file");
  tf->add_option("--resource", o.import_tf.resource,
                 "which vsphere_virtual_machine (needed when the file has several)")
      ->type_name("NAME");
  tf->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream& err) {
      return import_tf_command(o.import_tf, out, err);
    };
  });

  CLI::App* error = add_command(app, "ipxe-error", "decode iPXE error codes (ipxe.org/XXXXXXXX)",
                                kIpxeErrorText, kIpxeErrorExamples);
  error->add_option("codes", o.ipxe_error_codes, "8 hex digits, 0x..., or an ipxe.org URL")
      ->type_name("CODE")
      ->required();
  error->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream& err) {
      return ipxe_error_command(o.ipxe_error_codes, out, err);
    };
  });
}

}  // namespace rh
