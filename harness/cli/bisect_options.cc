// `romharness bisect`: the iPXE commit that broke a scenario's boot or blew
// its ROM's size budget (harness/bisect/).
#include <cstdlib>

#include "harness/bisect/bisect_report.h"
#include "harness/cli/commands.h"
#include "harness/cli/interrupt.h"
#include "harness/core/cache_root.h"
#include "harness/runner/run.h"

namespace rh {
namespace {

const char* const kBisectText =
    "Finds the first iPXE commit between --good and --bad at which the scenario's ROM\n"
    "variant stops booting (its verdict turns FAIL or TIMEOUT), or, with --budget,\n"
    "grows past BYTES. Each step builds that commit through the ROM cache, in a\n"
    "private copy (your tree is only read; no commit is built twice), and boots the\n"
    "scenario on it. A failed build or an infrastructure failure skips the commit,\n"
    "as `git bisect skip` does. Prints the step table and writes bisect.json.";

const char* const kBisectExamples =
    "examples:\n"
    "  romharness bisect scenarios/guestinfo/static-scriptlet.yaml --ipxe-src ~/src/ipxe \\\n"
    "      --good v1.21.1 --bad master --variant vmware-min/vmxnet3/bios\n"
    "  romharness bisect --ipxe-src ~/src/ipxe --good v1.21.1 --bad v2.0.0 \\\n"
    "      --variant vmware-min/vmxnet3/bios --budget 58880\n\n"
    "exit status: 0 the first bad commit was found, 1 not found (the reason is printed),\n"
    "2 bad input or set-up, 130 interrupted.";

int bisect_command(BisectOptions options, const std::filesystem::path& report_root,
                   std::ostream& out, std::ostream& err) {
  InterruptWatch interrupt;
  options.interrupted = &interrupt.flag();
  if (options.ipxe_src.empty()) {
    const char* env = std::getenv("ROMHARNESS_IPXE_SRC");
    if (env != nullptr) options.ipxe_src = env;
  }
  options.output_dir = report_root / ("bisect-" + new_run_id());
  const BisectResult result = run_bisect(options, err);
  print_bisect_table(result, out);
  write_bisect_json(result, options.output_dir);
  out << "bisect.json and step artifacts: " << options.output_dir.string() << "/\n";
  return bisect_exit_code(result);
}

}  // namespace

void add_bisect_command(CLI::App& app, CliOptions& o) {
  BisectOptions& b = o.bisect;
  CLI::App* c =
      add_command(app, "bisect", "find the iPXE commit that broke a boot or a size budget",
                  kBisectText, kBisectExamples);
  c->add_option("scenario", b.scenario, "scenario file (optional with --budget)")
      ->type_name("SCENARIO");
  c->add_option("--ipxe-src", b.ipxe_src,
                "iPXE git tree or git URL (default: $ROMHARNESS_IPXE_SRC)")
      ->type_name("PATH|URL");
  c->add_option("--good", b.good, "a revision that boots (or fits)")->type_name("REV")->required();
  c->add_option("--bad", b.bad, "a later revision that does not")->type_name("REV")->required();
  c->add_option("--variant", b.variant,
                "SET[/NIC[/PLATFORM]] (rom-builds/); also picks the scenario's matrix row")
      ->type_name("SET/NIC/PLATFORM");
  c->add_option("--budget", b.budget_bytes, "bisect on ROM size: bad when larger than BYTES")
      ->type_name("BYTES");
  c->add_option("--repeat", b.run.repeat, "boots per commit (bad if any fails)")
      ->type_name("N")
      ->check(CLI::Range(1, 100));
  c->add_option("--retries", b.run.retries, "boot again after an infrastructure failure")
      ->type_name("N")
      ->check(CLI::Range(0, 10));
  c->add_option("-j,--jobs", b.build_jobs, "make jobs per build")->type_name("N");
  c->add_option("--variants", b.variants, "variant file or directory")->type_name("PATH");
  c->add_option("--payload", b.payload_dir, "Linux payload directory")->type_name("DIR");
  c->add_option("--report-dir", o.bisect_report_root, "bisect-<id>/ goes here")->type_name("DIR");
  add_backend_options(*c, b.backend, b.backend_options);
  c->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream& err) {
      return bisect_command(o.bisect, o.bisect_report_root, out, err);
    };
  });
}

}  // namespace rh
