// The process the sweep tests SIGKILL: it stages a file under the stage root
// and one in a storage pool, starts an idle domain owned by itself, prints
// the domain's name, and waits to be killed.
//
//   libvirt_owner_child <pool> <stage root> <autodestroy 0|1>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "harness/vm/libvirt/domain_owner.h"
#include "harness/vm/libvirt/file_stage.h"
#include "harness/vm/libvirt/libvirt_domain.h"
#include "harness/vm/libvirt/live_test_support.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: libvirt_owner_child <pool> <stage root> <autodestroy 0|1>\n";
    return 2;
  }
  try {
    const rh::DomainOwner me = rh::DomainOwner::self("sweep-test", "sweep/child");
    const std::string name = rh::domain_name(me, 1, "sweep/child");
    auto conn = rh::LibvirtConnection::open(rh::testing::kSystemUri);
    auto stage = rh::LocalStage::create(argv[2], name, rh::qemu_user(conn->get(), "qemu"));
    const auto sercon = stage->put_bytes(std::string("\xf8\x03", 2), "sercon-port");
    rh::PoolStage pool(conn->get(), argv[1], name);
    pool.put_bytes("left behind", "marker");
    auto dom = rh::LibvirtDomain::start(
        std::move(conn), {.name = name,
                          .xml = rh::testing::idle_domain_xml(name, rh::owner_metadata(me), sercon),
                          .autodestroy = std::string(argv[3]) == "1"});
    std::cout << name << std::endl;  // the test waits for this line
    for (;;) ::pause();
  } catch (const std::exception& e) {
    std::cerr << "libvirt_owner_child: " << e.what() << "\n";
    return 1;
  }
}
