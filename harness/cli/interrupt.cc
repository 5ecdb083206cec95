#include "harness/cli/interrupt.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>

namespace rh {
namespace {

sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // our own "stop watching"
  return set;
}

}  // namespace

InterruptWatch::InterruptWatch() {
  const sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  waiter_ = std::thread([this] {
    const sigset_t s = watched();
    for (;;) {
      int sig = 0;
      if (sigwait(&s, &sig) != 0 || sig == SIGUSR2) return;
      if (interrupted_.exchange(true)) {
        std::fputs("romharness: second interrupt, exiting now\n", stderr);
        std::_Exit(130);
      }
      std::fputs(
          "\nromharness: interrupted; stopping VMs and writing reports "
          "(interrupt again to exit at once)\n",
          stderr);
    }
  });
}

InterruptWatch::~InterruptWatch() {
  pthread_kill(waiter_.native_handle(), SIGUSR2);
  waiter_.join();
}

}  // namespace rh
