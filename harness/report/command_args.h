// Options of the gate and report subcommands: "--name value" or
// "--name=value", taken one by one; whatever is left over is an error that
// names it. Errors are InputError (exit 2).
//
//   CommandArgs a("gate", {"--baseline", "latest-pass", "--max-rom-growth=512"});
//   a.take_value("--baseline");               // "latest-pass"
//   a.take_integer("--max-rom-growth", 0);    // 512
//   a.expect_done();
#pragma once

#include <string>
#include <vector>

namespace rh {

class CommandArgs {
 public:
  CommandArgs(std::string command, std::vector<std::string> args);

  bool take_flag(const std::string& name);
  std::string take_value(const std::string& name, const std::string& fallback = "");
  // The option's value and the `count - 1` words after it ("--compare A B").
  std::vector<std::string> take_values(const std::string& name, size_t count);
  long long take_integer(const std::string& name, long long fallback);
  double take_number(const std::string& name, double fallback);
  std::vector<std::string> take_positionals();  // words not starting with "--"
  void expect_done() const;                     // InputError naming the first leftover

 private:
  std::string command_;
  std::vector<std::string> args_;
};

}  // namespace rh
