// `romharness run` and `romharness list`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace rh {

int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int list_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
extern const char* const kRunHelp;
extern const char* const kListHelp;

}  // namespace rh
