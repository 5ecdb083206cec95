// `romharness run`, `list` and `repro` on the command line. `run` and
// `repro` share one set of options (add_run_options), so every run option
// also works when reproducing one scenario.
#include <cstdlib>

#include "harness/cli/commands.h"
#include "harness/cli/repro_command.h"
#include "harness/core/cache_root.h"
#include "harness/core/duration.h"
#include "harness/core/error.h"
#include "harness/runner/shard_selection.h"

namespace rh {
namespace {
namespace fs = std::filesystem;

const char* const kRunText =
    "Boots every scenario found in FILES and DIRS (default: scenarios/smoke) and\n"
    "writes reports to REPORT_DIR/<run-id>/: junit.xml, results.json and, per\n"
    "scenario, serial.log, qemu.argv, qemu.stderr, http.log, capture.pcap; an\n"
    "index.html with waterfalls and trends; and records the run in the history\n"
    "that `romharness gate` and `romharness report` read.";

const char* const kRunExamples =
    "examples:\n"
    "  romharness run                                   # the smoke scenarios\n"
    "  romharness run scenarios/ -j 2                   # everything, two at a time\n"
    "  romharness run scenarios/smoke --filter '*e1000*' --accel tcg\n"
    "  romharness run scenarios --shard 2/3 --retries 1 # CI machine 2 of 3\n\n"
    "exit status: 0 every scenario as expected (PASS, XFAIL, UNSUPPORTED),\n"
    "1 a scenario failed, 2 bad input or set-up, 130 interrupted.";

const char* const kReproText =
    "Reruns one scenario (a file that expands to one scenario, or --filter to pick\n"
    "one row of its matrix) exactly as `romharness run` would, keeping every\n"
    "artifact, then prints two commands that reproduce the boot by hand, without\n"
    "romharness in the loop: the boot server (romharness serve) and a bare QEMU\n"
    "command line with the serial console on the terminal. Both are also written\n"
    "to repro.sh in the scenario's report directory. Takes every option of run.";

const char* const kReproExamples =
    "examples:\n"
    "  romharness repro scenarios/field/kernel-404.yaml\n"
    "  romharness repro scenarios/smoke/dhcp-linux-bios.yaml --filter '*e1000e*' --accel tcg";

const char* const kListText =
    "Validates scenario files and prints every scenario they expand to, without\n"
    "booting anything. Exit 2 with file:line:column on the first error.";

const char* const kListExamples =
    "examples:\n"
    "  romharness list scenarios\n"
    "  romharness list scenarios/smoke --filter '*vmxnet3*'";

std::vector<std::string> backend_choices() {
  std::vector<std::string> names;
  for (const auto& e : backend_registry()) names.emplace_back(e.name);
  return names;
}

// --rom VARIANT[/NIC]=FILE: the file must exist; stored absolute.
void add_rom_file(const std::string& spec, RunOptions& o) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    throw InputError("--rom needs VARIANT[/NIC]=FILE, got '" + spec + "'");
  }
  const fs::path file = spec.substr(eq + 1);
  if (!fs::is_regular_file(file)) {
    throw InputError("--rom '" + spec + "': file '" + file.string() + "' not found");
  }
  o.rom_files[spec.substr(0, eq)] = fs::absolute(file);
}

void add_selection_options(CLI::App& c, RunOptions& o) {
  c.add_option("-j,--jobs", o.jobs, "boot N scenarios at once (2 suits 2 cores)")
      ->type_name("N")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  c.add_option("--repeat", o.repeat,
               "boot each scenario N times: phase medians and p95 in the reports; "
               "attempts that disagree make it FLAKY (a failure)")
      ->type_name("N")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  c.add_option("--retries", o.retries,
               "boot again after an infrastructure failure, at most N times "
               "(a test failure is never retried)")
      ->type_name("N")
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
  c.add_flag("--allow-flaky", o.allow_flaky, "FLAKY does not fail the run");
  c.add_option_function<std::string>(
       "--run-timeout",
       [&o](const std::string& text) {
         try {
           o.run_timeout = parse_duration(text);
         } catch (const std::invalid_argument& e) {
           throw CLI::ValidationError("--run-timeout", e.what());
         }
       },
       "end the whole run after this long (e.g. 45m): boots still going and scenarios not "
       "started are TIMEOUT; a scenario whose own timeout is longer is an error at load")
      ->type_name("DURATION");
  c.add_option("--filter", o.filter, "only scenarios whose name matches, e.g. 'smoke/*/vmxnet3-*'")
      ->type_name("GLOB");
  c.add_option_function<std::string>(
       "--shard", [&o](const std::string& text) { o.shard = parse_shard(text); },
       "run slice I of N of the scenarios (1 <= I <= N)")
      ->type_name("I/N");
  c.add_option("--run-id", o.run_id,
               "name the run (default: a new timestamped id); the shards of one run share it "
               "so `report --merge` joins them")
      ->type_name("ID");
}

void add_input_options(CLI::App& c, RunOptions& o) {
  c.add_option("--report-dir", o.report_root, "where runs are written")
      ->type_name("DIR")
      ->default_str(o.report_root.string());
  o.payload = cache_root() / "payload" / "current";
  c.add_option("--payload", o.payload,
               "Linux payload (vmlinuz, initrd.img; default: the cache's payload/current, "
               "built by fixtures/payload/build-payload)")
      ->type_name("DIR");
  const char* env_src = std::getenv("ROMHARNESS_IPXE_SRC");
  if (env_src != nullptr) o.ipxe_src = env_src;
  c.add_option("--ipxe-src", o.ipxe_src,
               "iPXE tree or git URL[@REF] to build the ROM variants scenarios name "
               "(default: $ROMHARNESS_IPXE_SRC)")
      ->type_name("PATH|URL");
  c.add_option_function<std::vector<std::string>>(
       "--rom",
       [&o](const std::vector<std::string>& specs) {
         for (const auto& spec : specs) add_rom_file(spec, o);
       },
       "use FILE for scenarios naming that ROM variant (repeatable), "
       "e.g. --rom vmware-min/vmxnet3=ipxe/src/bin/15ad07b0.rom")
      ->type_name("VARIANT[/NIC]=FILE")
      ->allow_extra_args(false);
  c.add_flag("--feature-cost", o.feature_cost,
             "with --ipxe-src: also build each variant without each of its features and put "
             "what each costs in bytes in index.html");
  c.add_option("--history", o.history, "SQLite run history (default: REPORT_DIR/history.sqlite)")
      ->type_name("PATH");
}

// Defaults that depend on other options.
void finish_run_options(RunOptions& o) {
  if (o.paths.empty()) o.paths.emplace_back("scenarios/smoke");
  if (o.history.empty()) o.history = o.report_root / "history.sqlite";
}

}  // namespace

void add_backend_options(CLI::App& c, std::string& backend, BackendOptions& b) {
  c.add_option("--backend", backend, "where VMs run (" + backend_names() + ")")
      ->type_name("NAME")
      ->check(CLI::IsMember(backend_choices()))
      ->capture_default_str();
  c.add_option("--accel", b.accel, "auto (a functional probe), tcg or kvm")
      ->type_name("MODE")
      ->check(CLI::IsMember({"auto", "tcg", "kvm"}))
      ->capture_default_str();
  c.add_option("--qemu", b.qemu,
               "QEMU binary (default: the patched build in the cache, else "
               "/usr/bin/qemu-system-x86_64)")
      ->type_name("PATH");
  c.add_option("--connect", b.connect, "libvirt URI (default qemu:///system)")->type_name("URI");
  c.add_option("--hosts", b.hosts_file, "libvirt pool: URIs with slots")->type_name("FILE");
  c.add_option("--lab", b.lab_file, "vSphere lab file (--backend vsphere)")->type_name("FILE");
  c.add_option("--server-bind", b.server_bind, "address the boot server binds (override)")
      ->type_name("ADDR");
  c.add_option("--server-advertise", b.server_advertise,
               "address guests use to reach the boot server")
      ->type_name("ADDR");
}

void add_run_options(CLI::App& c, RunOptions& o) {
  c.add_option("paths", o.paths, "scenario files and directories")->type_name("FILES|DIRS");
  add_selection_options(c, o);
  add_backend_options(c, o.backend, o.backend_options);
  add_input_options(c, o);
}

void add_run_commands(CLI::App& app, CliOptions& o) {
  CLI::App* run =
      add_command(app, "run", "boot scenarios and write reports", kRunText, kRunExamples);
  add_run_options(*run, o.run);
  run->final_callback([&o] {
    finish_run_options(o.run);
    o.command = [&o](std::ostream& out, std::ostream& err) { return run_command(o.run, out, err); };
  });

  CLI::App* list = add_command(app, "list", "validate scenario files and list what they expand to",
                               kListText, kListExamples);
  list->add_option("paths", o.list.paths, "scenario files and directories")
      ->type_name("FILES|DIRS");
  list->add_option("--filter", o.list.filter, "only scenarios whose name matches")
      ->type_name("GLOB");
  list->final_callback([&o] {
    if (o.list.paths.empty()) o.list.paths.emplace_back("scenarios/smoke");
    o.command = [&o](std::ostream& out, std::ostream&) { return list_command(o.list, out); };
  });

  CLI::App* repro =
      add_command(app, "repro", "rerun one scenario; print commands to reproduce it by hand",
                  kReproText, kReproExamples);
  add_run_options(*repro, o.repro);
  repro->get_option("paths")->required();
  repro->final_callback([&o] {
    finish_run_options(o.repro);
    o.command = [&o](std::ostream& out, std::ostream& err) {
      return repro_command(o.repro, out, err);
    };
  });
}

}  // namespace rh
