// URLs in guestinfo values (an iPXE scriptlet's `chain http://boot.example/x`),
// so an imported scenario can answer the host names from its own DNS and serve
// the paths from local files.
//
//   for (const GuestinfoUrl& u : urls_in("chain http://boot.ipxe.org/demo/boot.php"))
//     u.host;  // "boot.ipxe.org", u.path "/demo/boot.php", u.port ""
//   with_boot_server_port("chain http://boot.ipxe.org/x")
//     // "chain http://boot.ipxe.org:{{port}}/x"
#pragma once

#include <string>
#include <vector>

namespace rh {

struct GuestinfoUrl {
  std::string scheme;         // "http", "https", "tftp", "ftp"
  std::string host;           // a name or an IPv4 address, as written
  std::string port;           // as written after ':', e.g. "8080" or "{{port}}"; empty: none
  std::string path;           // "/demo/boot.php", without query or fragment; may be empty
  bool host_is_name() const;  // not an IPv4 literal
};

std::vector<GuestinfoUrl> urls_in(const std::string& value);

// Every http URL whose host is a name and has no port gets ":{{port}}": the
// harness's boot server listens on a port of its own, not on 80.
std::string with_boot_server_port(const std::string& value);

}  // namespace rh
