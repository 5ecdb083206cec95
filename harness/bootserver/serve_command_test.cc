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

std::string parse_error(const std::vector<std::string>& args) {
  try {
    parse_serve_args(args);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ParseServeArgs, ReadsEveryOption) {
  const ServeOptions o = parse_serve_args({"root", "--port", "8080", "--var", "server=h:1",
                                           "--file", "/vmlinuz=/c/vmlinuz", "--template", "/m.cfg",
                                           "--fault-file", "f.yaml", "--log", "http.log"});
  EXPECT_EQ(o.config.root, "root");
  EXPECT_EQ(o.config.port, 8080);
  EXPECT_EQ(o.config.variables.at("server"), "h:1");
  EXPECT_EQ(o.config.files.at("/vmlinuz"), "/c/vmlinuz");
  EXPECT_TRUE(o.config.templates.contains("/m.cfg"));
  EXPECT_EQ(o.fault_file, "f.yaml");
  EXPECT_EQ(o.config.log_file, "http.log");
}

TEST(ParseServeArgs, ErrorsQuoteTheArgument) {
  EXPECT_EQ(parse_error({}), "serve needs a directory to serve");
  EXPECT_EQ(parse_error({"a", "b"}), "serve takes one directory, got a second: 'b'");
  EXPECT_EQ(parse_error({"a", "--port", "http"}),
            "--port expects a number from 0 to 65535, got 'http'");
  EXPECT_EQ(parse_error({"a", "--port", "70000"}),
            "--port expects a number from 0 to 65535, got '70000'");
  EXPECT_EQ(parse_error({"a", "--var", "server"}), "--var expects NAME=VALUE, got 'server'");
  EXPECT_EQ(parse_error({"a", "--fault-file"}), "--fault-file needs a value");
  EXPECT_EQ(parse_error({"a", "--verbose"}), "unknown option '--verbose' for serve");
}

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
    rc = serve_command({(tmp.path() / "root").string(), "--var", "server=10.0.2.2:{port}",
                        "--fault-file", (tmp.path() / "faults.yaml").string()},
                       out, err);
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
  pthread_kill(serve.native_handle(), SIGTERM);
  serve.join();
  EXPECT_EQ(rc, 0) << err.str();
  text = out_buf.text();
  EXPECT_NE(text.find(" GET /boot.ipxe 200 "), std::string::npos) << text;
  EXPECT_NE(text.find(" GET /missing-on-purpose 503 "), std::string::npos) << text;
  EXPECT_NE(text.find("stopped by signal 15"), std::string::npos) << text;
}

TEST(ServeCommand, BadInputExitsTwo) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(serve_command({"/nonexistent/rh-root"}, out, err), 2);
  EXPECT_EQ(err.str(),
            "romharness serve: boot server root '/nonexistent/rh-root' is not a directory\n");
  std::ostringstream err2;
  EXPECT_EQ(serve_command({"--bogus"}, out, err2), 2);
  EXPECT_EQ(err2.str(), "romharness serve: unknown option '--bogus' for serve\n");
}

}  // namespace
}  // namespace rh
