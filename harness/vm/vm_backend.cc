#include "harness/vm/vm_backend.h"

#include "harness/core/error.h"

namespace rh {

bool BootEndpoints::bind_is_loopback() const { return server_bind.starts_with("127."); }

void VmSession::set_link(bool) {
  throw SetupError("this backend cannot set the NIC's link (" +
                   std::string(capability_info(Capability::kLinkControl).name) + ")");
}

}  // namespace rh
