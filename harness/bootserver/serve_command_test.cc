#include "harness/bootserver/serve_command.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>

#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "harness/bootserver/test_client.h"
#include "harness/core/error.h"

namespace rh {
namespace {

using std::chrono::milliseconds;

// An ostream the test can read while serve_command writes from its threads.
class SharedText : public std::streambuf {
 public:
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  int overflow(int c) override {
    std::lock_guard lock(mutex_);
    if (c != EOF) text_ += static_cast<char>(c);
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    text_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::mutex mutex_;
  std::string text_;
};

TEST(ServeCommand, ServesUntilSignalled) {
  testing::TempDir tmp;
  tmp.write("root/boot.ipxe", "chain http://{{server}}/next\n");
  tmp.write("faults.yaml", "- {path: /missing-on-purpose, status: 503}\n");
  SharedText out_buf;
  std::ostream out(&out_buf);
  std::ostringstream err;
  int rc = -1;
  std::thread serve([&] {
    ServeOptions options;
    options.config.root = tmp.path() / "root";
    options.config.variables["server"] = "10.0.2.2:{port}";
    options.fault_file = (tmp.path() / "faults.yaml").string();
    try {
      rc = serve_command(options, out);
    } catch (const std::exception& e) {
      err << e.what();
    }
  });
  std::smatch m;
  const std::regex serving("serving .* at http://127\\.0\\.0\\.1:([0-9]+)/\n");
  std::string text;
  for (int i = 0; i < 500 && !std::regex_search(text, m, serving); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    text = out_buf.text();
  }
  ASSERT_TRUE(std::regex_search(text, m, serving)) << text << err.str();
  const auto port = static_cast<std::uint16_t>(std::stoi(m[1]));
  EXPECT_EQ(testing::http_request(port, "GET", "/boot.ipxe").body(),
            "chain http://10.0.2.2:" + std::to_string(port) + "/next\n");
  EXPECT_EQ(testing::http_request(port, "GET", "/missing-on-purpose").result_int(), 503);
  // The command waits for SIGTERM (as from a service manager); its signal thread takes it.
  pthread_kill(serve.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  serve.join();
  EXPECT_EQ(rc, 0) << err.str();
  text = out_buf.text();
  EXPECT_NE(text.find(" GET /boot.ipxe 200 "), std::string::npos) << text;
  EXPECT_NE(text.find(" GET /missing-on-purpose 503 "), std::string::npos) << text;
  EXPECT_NE(text.find("stopped by signal 15"), std::string::npos) << text;
}

TEST(ServeCommand, BadRootIsSetupError) {
  std::ostringstream out;
  ServeOptions options;
  options.config.root = "/nonexistent/rh-root";
  try {
    serve_command(options, out);
    FAIL() << "served a missing root";
  } catch (const SetupError& e) {
    EXPECT_STREQ(e.what(), "boot server root '/nonexistent/rh-root' is not a directory");
  }
}

}  // namespace
}  // namespace rh
