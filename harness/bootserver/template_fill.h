// `{{name}}` substitution for iPXE script templates served by the boot server.
//
//   fill_template("chain http://{{server}}/vmlinuz", {{"server", "10.0.2.2:8080"}})
//   // -> "chain http://10.0.2.2:8080/vmlinuz"
//
// Spaces inside the braces are allowed ("{{ server }}"). An unknown name is
// left as written so a typo shows up in the served script (iPXE's own
// `${var}` syntax is never touched).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace rh {

std::string fill_template(std::string_view text, const std::map<std::string, std::string>& vars);

}  // namespace rh
