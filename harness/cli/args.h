// A small argument reader for subcommands: flags with values (`-j 2`,
// `--report-dir=DIR`), boolean flags, and positionals, with errors that name
// the flag and value (exit code 2 through InputError).
//
//   Args a(args);
//   int jobs = a.int_flag({"-j", "--jobs"}, 1);
//   std::vector<std::string> files = a.positionals();   // after all flags are read
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace rh {

class Args {
 public:
  explicit Args(std::vector<std::string> args) : args_(std::move(args)) {}
  std::optional<std::string> value_flag(std::initializer_list<const char*> names);
  // For repeatable flags: every value, in order.
  std::vector<std::string> values_flag(std::initializer_list<const char*> names);
  std::string string_flag(std::initializer_list<const char*> names, const std::string& fallback);
  int int_flag(std::initializer_list<const char*> names, int fallback, int lo, int hi);
  bool bool_flag(std::initializer_list<const char*> names);
  // What is left; an unread "-x" is an error naming it.
  std::vector<std::string> positionals() const;

 private:
  std::vector<std::string> args_;
};

}  // namespace rh
