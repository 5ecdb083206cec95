// `romharness lab sweep --lab FILE`: removes what crashed runs left on a
// vSphere lab (harness/vm/vsphere/sweep.h) and lists what it kept and why.
#include "harness/cli/commands.h"
#include "harness/vm/vsphere/sweep.h"

namespace rh {
namespace {

const char* const kSweepText =
    "Removes VMs named with the lab's prefix whose romharness.owner ran on this\n"
    "host and is gone. VMs of running processes, of other hosts, and VMs without\n"
    "the tag are kept and listed with the reason.";

const char* const kSweepExamples =
    "example:\n"
    "  romharness lab sweep --lab lab.yaml";

int lab_sweep_command(const LabSweepOptions& options, std::ostream& out) {
  const auto report = vsphere::sweep_lab_leftovers(vsphere::load_lab_file(options.lab_file));
  for (const auto& name : report.removed) out << "removed " << name << "\n";
  for (const auto& why : report.kept) out << "kept " << why << "\n";
  out << report.removed.size() << " removed, " << report.kept.size() << " kept\n";
  return 0;
}

}  // namespace

void add_lab_commands(CLI::App& app, CliOptions& o) {
  CLI::App* lab = app.add_subcommand("lab", "vSphere lab housekeeping (lab sweep)");
  lab->footer("example:\n  romharness lab sweep --lab lab.yaml");
  lab->require_subcommand(1);
  CLI::App* sweep = add_command(*lab, "sweep", "remove VMs that crashed runs left on the lab",
                                kSweepText, kSweepExamples);
  sweep->add_option("--lab", o.lab_sweep.lab_file, "the lab file")->type_name("FILE")->required();
  sweep->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream&) {
      return lab_sweep_command(o.lab_sweep, out);
    };
  });
}

}  // namespace rh
