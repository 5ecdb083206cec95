// `romharness serve` on the command line.
#include <cstdint>

#include "harness/cli/commands.h"
#include "harness/core/error.h"

namespace rh {
namespace {

const char* const kServeText =
    "Serves DIR over HTTP on 127.0.0.1 until Ctrl-C, as the boot server of a run\n"
    "does. Files ending in .ipxe (and each --template URL) have {{NAME}} filled\n"
    "from --var; {port} in a value is the bound port. One request-log line per\n"
    "request. `romharness repro` prints such a command line.";

const char* const kServeExamples =
    "example:\n"
    "  romharness serve http-root --var server=10.0.2.2:{port} \\\n"
    "      --file /vmlinuz=cache/vmlinuz --fault-file faults.yaml";

std::pair<std::string, std::string> split_pair(const std::string& flag, const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(flag + " expects NAME=VALUE, got '" + text + "'");
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

// "--var a=1 --var b=2": one value per flag, so DIR is never taken for a value.
template <typename Value>
CLI::Option* add_pairs(CLI::App& c, const std::string& flag, std::map<std::string, Value>& to,
                       const std::string& help) {
  return c
      .add_option_function<std::vector<std::string>>(
          flag,
          [&to, flag](const std::vector<std::string>& values) {
            for (const auto& v : values) {
              auto [name, value] = split_pair(flag, v);
              to.emplace(std::move(name), Value(std::move(value)));
            }
          },
          help)
      ->allow_extra_args(false);
}

}  // namespace

void add_serve_command(CLI::App& app, CliOptions& o) {
  BootServerConfig& config = o.serve.config;
  CLI::App* serve =
      add_command(app, "serve", "serve a directory as the boot server does (for repro)", kServeText,
                  kServeExamples);
  serve->add_option("dir", config.root, "the directory to serve")->type_name("DIR")->required();
  serve
      ->add_option_function<int>(
          "--port", [&config](int port) { config.port = static_cast<std::uint16_t>(port); },
          "port on 127.0.0.1 (default 0: any free port)")
      ->type_name("N")
      ->check(CLI::Range(0, 65535));
  add_pairs(*serve, "--var", config.variables, "template variable")->type_name("NAME=VALUE");
  add_pairs(*serve, "--file", config.files, "serve PATH at URL")->type_name("URL=PATH");
  serve
      ->add_option_function<std::vector<std::string>>(
          "--template",
          [&config](const std::vector<std::string>& urls) {
            config.templates.insert(urls.begin(), urls.end());
          },
          "fill {{NAME}} in this URL's file too")
      ->type_name("URL")
      ->allow_extra_args(false);
  serve->add_option("--fault-file", o.serve.fault_file, "HTTP faults (a scenario's faults: list)")
      ->type_name("F");
  serve->add_option("--log", config.log_file, "also write the request log here")->type_name("FILE");
  serve->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream&) { return serve_command(o.serve, out); };
  });
}

}  // namespace rh
