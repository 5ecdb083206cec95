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
// by the bound port. The options are read by harness/cli/serve_options.cc.
#pragma once

#include <iosfwd>
#include <string>

#include "harness/bootserver/boot_server.h"

namespace rh {

struct ServeOptions {
  BootServerConfig config;
  std::string fault_file;
};

// Serves until SIGINT or SIGTERM, then returns 0. InputError/SetupError for a
// bad root, fault file or port (the command line maps them to exit 2).
int serve_command(ServeOptions options, std::ostream& out);

}  // namespace rh
