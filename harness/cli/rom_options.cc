// `romharness inspect` and `romharness build` on the command line.
#include "harness/cli/commands.h"

namespace rh {
namespace {

const char* const kInspectText =
    "Lists the PCI expansion ROM images in each FILE: offset, length, PCI id, class,\n"
    "code type (x86 BIOS / EFI), last-image flag, checksum, EFI machine/subsystem/\n"
    "compression, and the .mrom layout.";

const char* const kInspectExamples =
    "examples:\n"
    "  romharness inspect /usr/lib/ipxe/qemu/efi-e1000.rom\n"
    "  romharness inspect bin/15ad07b0.rom bin/8086100f.mrom --json\n\n"
    "exit status: 0 all well formed, 1 a ROM is malformed, 2 usage or unreadable file.";

const char* const kBuildText =
    "Builds ROM variants (feature sets from rom-builds/*.yaml) for their NIC targets and\n"
    "platforms with iPXE's make in private copies of the tree, into the ROM cache.\n"
    "The iPXE tree is never modified.";

const char* const kBuildExamples =
    "examples:\n"
    "  romharness build vmware-min --ipxe-src ~/src/ipxe -j2\n"
    "  romharness build --ipxe-src https://github.com/ipxe/ipxe@v1.21.1 --nic vmxnet3 "
    "--feature-cost\n\n"
    "exit status: 0 all built within budget, 1 a build failed or a ROM is over budget,\n"
    "2 usage, variant file or source error.";

void add_inspect_command(CLI::App& app, CliOptions& o) {
  CLI::App* inspect =
      add_command(app, "inspect", "parse option ROM images: ids, types, sizes, checksums",
                  kInspectText, kInspectExamples);
  inspect->add_option("files", o.inspect.files, "option ROM files")->type_name("FILE")->required();
  inspect->add_flag("--json", o.inspect.json,
                    R"(print {"schema_version": 1, "files": [...]} instead of tables)");
  inspect->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream& err) {
      return inspect_command(o.inspect, out, err);
    };
  });
}

void add_build_command(CLI::App& app, CliOptions& o) {
  BuildOptions& b = o.build;
  CLI::App* build = add_command(app, "build", "build ROM variants from an iPXE tree into the cache",
                                kBuildText, kBuildExamples);
  build->add_option("variants", b.sets, "feature set names (default: every set)")
      ->type_name("VARIANT");
  build
      ->add_option("--ipxe-src", b.context.ipxe_src,
                   "iPXE tree (top directory or src/) or git URL, optionally @REF "
                   "(default $ROMHARNESS_IPXE_SRC)")
      ->type_name("SRC");
  build->add_option("--variants", b.context.variants, "variant file or directory")
      ->type_name("PATH")
      ->default_str(b.context.variants.string());
  build->add_option("--nic", b.nics, "only this NIC (repeatable): vmxnet3, e1000, ...")
      ->type_name("NIC")
      ->allow_extra_args(false);
  build->add_option("--platform", b.platforms, "only this platform (repeatable): bios, efi")
      ->type_name("P")
      ->allow_extra_args(false);
  build->add_option("-j,--jobs", b.context.jobs, "make jobs in total, over concurrent builds")
      ->type_name("N")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  build->add_flag("--feature-cost", b.feature_cost,
                  "also build each set without each feature; print bytes per feature");
  build
      ->add_option("--cache", b.context.cache_dir,
                   "cache directory (default: $ROMHARNESS_CACHE, else "
                   "$XDG_CACHE_HOME/romharness, else ~/.cache/romharness)")
      ->type_name("DIR");
  build->add_flag("--json", b.json, "print the result as JSON");
  build->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream& err) {
      return build_command(o.build, out, err);
    };
  });
}

}  // namespace

void add_rom_commands(CLI::App& app, CliOptions& o) {
  add_inspect_command(app, o);
  add_build_command(app, o);
}

}  // namespace rh
