// Errors that reach the user. Each carries a complete, greppable message with
// the offending values quoted; the CLI maps the type to an exit code:
//   InputError -> 2 (bad scenario, bad flag, missing file: nothing was booted)
//   SetupError -> 2 (the machine lacks something: QEMU, firmware, a cache)
#pragma once

#include <stdexcept>
#include <string>

namespace rh {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rh
