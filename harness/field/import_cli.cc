// import-vmx / import-tf: reading the input and writing the scenario.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "harness/core/error.h"
#include "harness/field/import.h"
#include "harness/field/terraform.h"
#include "harness/field/vmx.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

// Written to a temporary name and renamed, so a failed import leaves no half file.
void write_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError("cannot write '" + tmp + "'");
    out << text;
    if (!out.flush()) throw InputError("cannot write '" + tmp + "'");
  }
  fs::rename(tmp, path);
}

// Stubs are relative to the scenario's folder (or absolute); an existing file
// is the user's and stays.
void write_stubs(const ImportOptions& options, const ImportResult& result) {
  for (const auto& [written, content] : result.stub_files) {
    fs::path p(written);
    if (p.is_relative() && !options.output_dir.empty()) p = fs::path(options.output_dir) / p;
    if (fs::exists(p)) continue;
    fs::create_directories(p.parent_path());
    write_file(p.string(), content);
  }
}

int finish(const ImportCommandOptions& args, const ImportOptions& options,
           const ImportResult& result, const std::vector<std::string>& warnings, std::ostream& out,
           std::ostream& err) {
  for (const std::string& w : warnings) err << "warning: " << w << "\n";
  for (const std::string& n : result.notes) err << "note: " << n << "\n";
  write_stubs(options, result);
  if (args.output.empty()) {
    out << result.yaml;
    return 0;
  }
  write_file(args.output, result.yaml);
  out << "wrote " << args.output << " (" << result.guestinfo_keys << " guestinfo keys, "
      << result.unmapped_keys << " keys not mapped)\n";
  return 0;
}

// The repository's Linux boot script, found from the working directory, the
// input's or the output's folder (samples live inside the repository), or
// the romharness binary's (built inside it), so where the command runs from
// does not decide whether the scenario gets a script.
std::string linux_script_near(const std::string& input, const std::string& output_dir) {
  std::vector<fs::path> starts{".", fs::absolute(input).parent_path()};
  if (!output_dir.empty()) starts.emplace_back(output_dir);
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) starts.push_back(self.parent_path());
  for (const fs::path& start : starts) {
    if (std::string found = find_linux_script(start.string()); !found.empty()) return found;
  }
  return "";
}

ImportOptions options_for(const ImportCommandOptions& args) {
  std::string out_dir;
  if (!args.output.empty()) out_dir = fs::absolute(args.output).parent_path().string();
  return ImportOptions{.source = args.input,
                       .source_dir = fs::path(args.input).parent_path().string(),
                       .rom_dir = args.rom_dir,
                       .output_dir = out_dir,
                       .payload_script = linux_script_near(args.input, out_dir),
                       .serve_dir = args.serve_dir};
}

}  // namespace

std::vector<VmSetting> settings_from_vmx(const VmxFile& vmx) {
  std::vector<VmSetting> settings;
  for (const VmxEntry& e : vmx.entries()) {
    settings.push_back({e.key, e.value, e.key + " = \"" + e.raw_value + "\"", vmx.where(e)});
  }
  return settings;
}

int import_vmx_command(const ImportCommandOptions& options, std::ostream& out, std::ostream& err) {
  VmxFile vmx = VmxFile::load(options.input);
  const ImportOptions import = options_for(options);
  ImportResult result = scenario_from_settings(settings_from_vmx(vmx), import);
  return finish(options, import, result, vmx.warnings(), out, err);
}

int import_tf_command(const ImportCommandOptions& options, std::ostream& out, std::ostream& err) {
  TfVirtualMachine vm = load_tf_virtual_machine(options.input, options.resource);
  const ImportOptions import = options_for(options);
  ImportResult result = scenario_from_settings(vm.settings, import);
  return finish(options, import, result, vm.warnings, out, err);
}

}  // namespace rh
