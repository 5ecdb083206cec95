// Temporary definitions the seam's .cc files will provide (see README.md).
#include "harness/core/error.h"
#include "harness/vm/vm_backend.h"

namespace rh {

void VmSession::set_link(bool /*up*/) { throw SetupError("this backend cannot set the link"); }

bool BootEndpoints::bind_is_loopback() const {
  return server_bind == "127.0.0.1" || server_bind == "::1" || server_bind == "localhost";
}

}  // namespace rh
