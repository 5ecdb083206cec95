// `romharness serve`: the boot server on its own, for reproducing a boot by
// hand (`romharness repro` prints such a command line).
//
//   romharness serve DIR [--port N] [--var NAME=VALUE]... [--file URL=PATH]...
//                        [--template URL]... [--fault-file F] [--log FILE]
//
//   romharness serve reports/r1/dhcp/http --port 8080 --var server=10.0.2.2:{port}
//       --file /vmlinuz=.cache/payload/vmlinuz --fault-file faults.yaml   (one line)
//
// Prints "serving DIR at http://127.0.0.1:PORT/", then one request-log line
// per request, until SIGINT or SIGTERM. `{port}` in a --var value is replaced
// by the bound port. Exit status: 0 after a signal, 2 on bad input or set-up.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "harness/bootserver/boot_server.h"

namespace rh {

struct ServeOptions {
  BootServerConfig config;
  std::string fault_file;
  bool help = false;
};

// Throws InputError with the offending argument quoted.
ServeOptions parse_serve_args(const std::vector<std::string>& args);

extern const char* const kServeUsage;

// `args` are the arguments after "serve".
int serve_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace rh
