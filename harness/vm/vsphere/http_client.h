// HTTPS requests for the vSphere backend, on libcurl: SOAP POSTs to /sdk and
// datastore file transfers under /folder/. TLS verification is on unless
// TlsOptions::insecure says otherwise. A transport failure throws SetupError
// naming the URL (never a cookie or a request body).
//
//   HttpClient http({.ca_bundle = "lab-ca.pem"});
//   HttpResponse r = http.request({.method = "GET", .url = url, .range_from = 4096});
//   r.status;  // 206, with bytes 4096.. of the file in r.body
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rh::vsphere {

struct TlsOptions {
  std::filesystem::path ca_bundle;  // empty: the system's trust store
  bool insecure = false;            // no certificate or host name check at all
};

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT
  std::string url;
  std::vector<std::string> headers;     // "Name: value"
  std::string body;                     // POST/PUT
  std::optional<long long> range_from;  // GET: "Range: bytes=N-"
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::vector<std::string> set_cookies;  // values of Set-Cookie headers
};

class HttpClient {
 public:
  explicit HttpClient(TlsOptions tls,
                      std::chrono::seconds stall_timeout = std::chrono::seconds(120));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request on this client's connection (not thread-safe: one client per
  // thread). Throws SetupError when no HTTP answer came back.
  HttpResponse request(const HttpRequest& req);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "https://h:1/folder/a%20b?x=1": `text` percent-encoded for a URL path
// (slashes kept) or a query value (slashes encoded).
std::string url_encode_path(const std::string& text);
std::string url_encode_query(const std::string& text);
// The URL without its query string or any user info, for messages.
std::string url_for_messages(const std::string& url);

}  // namespace rh::vsphere
