// Ctrl-C and SIGTERM during a run: a dedicated thread waits for the signals
// (blocked everywhere else) and raises a flag the workers poll, so VMs are
// stopped and reports written instead of the process dying mid-write.
#pragma once

#include <atomic>
#include <thread>

namespace rh {

class InterruptWatch {
 public:
  InterruptWatch();  // call before starting any other thread
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;
  const std::atomic<bool>& flag() const { return interrupted_; }

 private:
  std::atomic<bool> interrupted_{false};
  std::thread waiter_;
};

}  // namespace rh
