#include "harness/vm/fake/fake_backend.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/core/error.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// One real request to the boot server, as a guest would send it.
void http_get(const std::string& server, const std::string& method, const std::string& path) {
  namespace net = boost::asio;
  namespace http = boost::beast::http;
  const auto colon = server.rfind(':');
  if (colon == std::string::npos) return;
  net::io_context ioc;
  net::ip::tcp::resolver resolver(ioc);
  net::ip::tcp::socket socket(ioc);
  boost::system::error_code ec;
  net::connect(socket, resolver.resolve(server.substr(0, colon), server.substr(colon + 1), ec), ec);
  if (ec) return;  // like a guest, the fake does not care why
  http::request<http::empty_body> req(http::string_to_verb(method), path, 11);
  req.set(http::field::host, server);
  req.set(http::field::user_agent, "iPXE/fake");
  http::write(socket, req, ec);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res, ec);
}

class FakeSession : public VmSession {
 public:
  FakeSession(const BootPlan& plan, FakeScript script, const FakeOptions& options)
      : plan_(plan),
        origin_(Clock::now()),
        capture_(options.capture),
        sends_from_(!options.sends_from.empty() ? options.sends_from : plan.nic_mac()),
        no_guest_(options.no_guest) {
    fs::create_directories(plan.artifacts_dir);
    console_ = std::make_unique<ConsoleLog>(plan.artifacts_dir / "serial.log", origin_);
    if (capture_) std::ofstream(plan.artifacts_dir / "capture.pcap");  // written on stop
    guest_ = std::thread([this, steps = std::move(script.steps)] { run(steps); });
  }
  ~FakeSession() override { stop(); }

  Clock::time_point started_at() const override { return origin_; }
  ConsoleLog& console() override { return *console_; }

  std::vector<VmEvent> poll_events() override {
    std::lock_guard lock(mu_);
    return std::exchange(events_, {});
  }
  std::vector<GuestRpcCall> poll_guestrpc() override {
    std::lock_guard lock(mu_);
    return std::exchange(calls_, {});
  }
  std::optional<std::string> exited() override {
    std::lock_guard lock(mu_);
    return exited_;
  }

  std::string stop() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      if (!exited_) exited_ = "stopped";
    }
    cv_.notify_all();
    if (guest_.joinable()) guest_.join();
    console_->finish();
    if (capture_) write_capture();
    std::lock_guard lock(mu_);
    return *exited_;
  }

  void set_link(bool up) override {
    std::lock_guard lock(mu_);
    events_.push_back(
        {.at_ms = ms(), .kind = VmEvent::Kind::kPower, .name = up ? "link-up" : "link-down"});
  }
  std::string host() const override { return "fake"; }
  std::optional<fs::path> capture() const override {
    if (!capture_) return std::nullopt;
    return plan_.artifacts_dir / "capture.pcap";
  }
  std::string capture_missing() const override {
    return capture_ ? "" : "the fake backend was told to keep no capture";
  }
  std::optional<std::string> no_guest() const override {
    if (no_guest_.empty()) return std::nullopt;
    return no_guest_;
  }
  std::vector<Artifact> artifacts() const override {
    std::vector<Artifact> out{{"serial.log", plan_.artifacts_dir / "serial.log"}};
    if (capture_) out.push_back({"capture.pcap", plan_.artifacts_dir / "capture.pcap"});
    return out;
  }

 private:
  double ms() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - origin_).count();
  }

  // Waits `d` unless stopped; false when stopped.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [&] { return stopping_; });
  }

  void run(const std::vector<FakeStep>& steps) {
    for (const auto& step : steps) {
      if (!pause(step.delay)) return;
      perform(step);
      if (step.kind == FakeStep::Kind::kExit) return;
    }
  }

  void perform(const FakeStep& step) {
    switch (step.kind) {
      case FakeStep::Kind::kConsole:
        console_->append(step.text, Clock::now());
        return;
      case FakeStep::Kind::kHttp:
        http_get(plan_.boot_server, step.method, step.text);
        return;
      case FakeStep::Kind::kEvent: {
        std::lock_guard lock(mu_);
        VmEvent e = step.event;
        e.at_ms = ms();
        events_.push_back(std::move(e));
        return;
      }
      case FakeStep::Kind::kGuestRpc: {
        std::lock_guard lock(mu_);
        GuestRpcCall c = step.call;
        c.at_ms = ms();
        calls_.push_back(std::move(c));
        return;
      }
      case FakeStep::Kind::kExit: {
        console_->finish();
        std::lock_guard lock(mu_);
        exited_ = step.text;
        return;
      }
    }
  }

  // A valid pcap file with one ARP request from `sends_from_`: the guest
  // sent no DHCP, and the capture shows which MAC it used.
  void write_capture() const {
    const unsigned char header[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
                                      0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};
    std::string frame(6, '\xff');  // broadcast
    for (std::size_t i = 0; i < 6; ++i) {
      frame += static_cast<char>(std::stoi(sends_from_.substr(i * 3, 2), nullptr, 16));
    }
    frame += std::string("\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01", 10) + std::string(18, '\0');
    const auto n = static_cast<unsigned char>(frame.size());
    const unsigned char record[16] = {0, 0, 0, 0, 0, 0, 0, 0, n, 0, 0, 0, n, 0, 0, 0};
    std::ofstream out(plan_.artifacts_dir / "capture.pcap", std::ios::binary);
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    out.write(reinterpret_cast<const char*>(record), sizeof record);
    out << frame;
  }

  BootPlan plan_;
  Clock::time_point origin_;
  bool capture_;
  std::string sends_from_;  // "aa:bb:cc:dd:ee:ff"
  std::string no_guest_;
  std::unique_ptr<ConsoleLog> console_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::optional<std::string> exited_;
  std::vector<VmEvent> events_;
  std::vector<GuestRpcCall> calls_;
  std::thread guest_;
};

}  // namespace

FakeScript FakeScript::replay(const fs::path& recording_prefix, double scale) {
  struct Timed {
    double at_ms;
    FakeStep step;
  };
  std::vector<Timed> all;
  std::ifstream serial(recording_prefix.string() + ".serial.tsv", std::ios::binary);
  if (!serial) throw SetupError("cannot read '" + recording_prefix.string() + ".serial.tsv'");
  for (std::string line; std::getline(serial, line);) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    all.push_back({std::strtod(line.c_str(), nullptr),
                   {.kind = FakeStep::Kind::kConsole, .text = line.substr(tab + 1) + "\r\n"}});
  }
  std::ifstream http(recording_prefix.string() + ".http.tsv");
  for (std::string line; std::getline(http, line);) {
    std::istringstream f(line);
    double start = 0;
    double end = 0;
    std::string method;
    std::string path;
    if (f >> start >> end >> method >> path) {
      all.push_back({start, {.kind = FakeStep::Kind::kHttp, .text = path, .method = method}});
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Timed& a, const Timed& b) { return a.at_ms < b.at_ms; });
  FakeScript script;
  double previous = 0;
  for (auto& t : all) {
    script.wait(std::chrono::milliseconds(static_cast<long long>((t.at_ms - previous) * scale)));
    script.add(std::move(t.step));
    previous = t.at_ms;
  }
  return script;
}

FakeScript& FakeScript::add(FakeStep step) {
  step.delay = std::exchange(pending_, std::chrono::milliseconds(0));
  steps.push_back(std::move(step));
  return *this;
}

FakeScript& FakeScript::wait(std::chrono::milliseconds d) {
  pending_ += d;
  return *this;
}

FakeScript& FakeScript::console(std::string bytes) {
  return add({.kind = FakeStep::Kind::kConsole, .text = std::move(bytes)});
}

FakeScript& FakeScript::http(std::string method, std::string path) {
  return add({.kind = FakeStep::Kind::kHttp, .text = std::move(path), .method = std::move(method)});
}

FakeScript& FakeScript::event(VmEvent e) {
  return add({.kind = FakeStep::Kind::kEvent, .event = std::move(e)});
}

FakeScript& FakeScript::guestrpc(std::string kind, std::string text) {
  return add({.kind = FakeStep::Kind::kGuestRpc,
              .call = {.kind = std::move(kind), .text = std::move(text)}});
}

FakeScript& FakeScript::exit(std::string how) {
  return add({.kind = FakeStep::Kind::kExit, .text = std::move(how)});
}

FakeBackend::FakeBackend(Scripter scripter, FakeOptions options)
    : scripter_(std::move(scripter)), options_(std::move(options)) {}

std::optional<std::string> FakeBackend::lacks(Capability cap) const {
  if (auto it = options_.lacking.find(cap); it != options_.lacking.end()) return it->second;
  if (cap == Capability::kLab || cap == Capability::kKvm) return std::string("a fake has none");
  if (cap == Capability::kDnsNames) return std::string("fake guests resolve no names");
  return std::nullopt;
}

std::optional<std::string> FakeBackend::check(const BootPlan&) const {
  if (options_.check_error.empty()) return std::nullopt;
  return options_.check_error;
}

BootEndpoints FakeBackend::endpoints(const BootPlan& plan) {
  (void)plan;
  return {.guest_host = "127.0.0.1"};  // the fake guest runs on this machine
}

std::unique_ptr<VmSession> FakeBackend::start(const BootPlan& plan, const BootEndpoints&) {
  {
    std::lock_guard lock(mu_);
    const bool fail = !options_.start_error.empty() && (options_.start_error_times < 0 ||
                                                        start_errors_ < options_.start_error_times);
    if (fail) {
      ++start_errors_;
      throw SetupError(options_.start_error);
    }
    started_.push_back(plan);
  }
  return std::make_unique<FakeSession>(plan, scripter_(plan), options_);
}

std::vector<BootPlan> FakeBackend::started_plans() const {
  std::lock_guard lock(mu_);
  return started_;
}

}  // namespace rh
