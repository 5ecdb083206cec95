// Boot-server fault injection as data: the `faults: {http: [...]}` section
// of a scenario (or a `romharness serve --fault-file`). The boot server's
// FaultTable (harness/bootserver/fault_table.h) applies them.
//
//   faults:
//     http:
//       - {path: /vmlinuz, status: 404}                    # every request
//       - {path: /initrd.img, truncate: 1048576, times: 1}  # first request only
//       - {path: "/*.img", delay_first_byte: 200ms, rate: 2000000, after: 1}
//       - {path: /boot.ipxe, reset_after: 10, name: cut-script}
//
//   std::vector<HttpFault> rules = parse_http_faults(file, file.root()["faults"]["http"]);
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/yaml_input.h"

namespace rh {

struct HttpFault {
  std::string name;           // for logs; derived from the effects when not given
  std::string path;           // exact URL path, or a glob (* ? [..]); '*' crosses '/'
  std::optional<int> status;  // answer this status with a short body instead
  std::chrono::milliseconds delay_first_byte{0};  // wait before the status line
  std::uint64_t rate = 0;                         // bytes per second for the body; 0 = unthrottled
  std::optional<std::uint64_t> reset_after;       // send this many body bytes, then RST
  std::optional<std::uint64_t> truncate;  // full Content-Length, this many bytes, then close
  std::uint64_t after = 0;                // skip the first `after` matching requests
  std::optional<std::uint64_t> times;     // then apply to this many; unset = all

  bool matches_path(const std::string& url_path) const;
  std::string describe() const;  // "status=404", "delay=200ms+rate=2000000", ...
};

// Reads a YAML list of fault maps; errors name file:line:column, the key and
// the value (InputError). A null/absent node gives no faults.
std::vector<HttpFault> parse_http_faults(const YamlFile& file, const YAML::Node& list);

// Reads a fault file for `romharness serve --fault-file`: a list of rules, a
// map with `http: [...]`, or a whole scenario with `faults: {http: [...]}`.
std::vector<HttpFault> load_http_fault_file(const std::string& path);

}  // namespace rh
