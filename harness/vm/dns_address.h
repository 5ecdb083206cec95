// Loopback addresses for the DNS responders of scenarios with dns_names.
// Each VM gets one of its own (port 53 is fixed: QEMU's user network sends
// the guest's queries to the first nameserver of the resolv.conf it sees,
// on port 53), so concurrent scenarios answer their own names, and so do
// concurrent romharness processes: each takes its block of 127.64.0.0/10
// from its pid.
//
//   std::string bind = next_dns_responder_address();  // "127.80.57.2", "127.80.57.3", ...
#pragma once

#include <string>

namespace rh {

// 127.<64 + pid bits 8-13>.<pid bits 0-7>.<2..251>, cycling through the
// block's 250 addresses (a scenario's responder lives only while it boots,
// so a reuse meets none still bound unless 250 boots run at once). Two
// processes share a block only when their pids are equal modulo 16384.
std::string dns_responder_address(unsigned pid, unsigned sequence);
// The calling process's next one; thread-safe.
std::string next_dns_responder_address();
// The resolv.conf a scenario's QEMU is given, so that its user network
// forwards the guest's queries to the scenario's responder.
std::string resolv_conf_text(const std::string& scenario, const std::string& dns_server);

}  // namespace rh
