#include "harness/vm/vsphere/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "harness/core/error.h"

namespace rh::vsphere {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  const std::string prefix = "set-cookie:";
  if (line.size() > prefix.size()) {
    std::string head = line.substr(0, prefix.size());
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == prefix) {
      std::string value = line.substr(prefix.size());
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      static_cast<HttpResponse*>(out)->set_cookies.push_back(value);
    }
  }
  return size * count;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

Slist header_list(const HttpRequest& req) {
  curl_slist* list = nullptr;
  for (const std::string& h : req.headers) list = curl_slist_append(list, h.c_str());
  if (req.range_from) {
    list =
        curl_slist_append(list, ("Range: bytes=" + std::to_string(*req.range_from) + "-").c_str());
  }
  // No "Expect: 100-continue" round trip before a PUT.
  list = curl_slist_append(list, "Expect:");
  return Slist(list);
}

std::string encode(const std::string& text, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

struct HttpClient::Impl {
  TlsOptions tls;
  std::chrono::seconds stall_timeout;
  CURL* curl = nullptr;
};

HttpClient::HttpClient(TlsOptions tls, std::chrono::seconds stall_timeout)
    : impl_(std::make_unique<Impl>()) {
  global_init_once();
  impl_->tls = std::move(tls);
  impl_->stall_timeout = stall_timeout;
  impl_->curl = curl_easy_init();
  if (impl_->curl == nullptr) throw SetupError("libcurl: curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(impl_->curl); }

HttpResponse HttpClient::request(const HttpRequest& req) {
  CURL* c = impl_->curl;
  curl_easy_reset(c);
  HttpResponse res;
  Slist headers = header_list(req);
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &res);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(impl_->stall_timeout.count()));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, impl_->tls.insecure ? 0L : 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, impl_->tls.insecure ? 0L : 2L);
  if (!impl_->tls.ca_bundle.empty()) {
    curl_easy_setopt(c, CURLOPT_CAINFO, impl_->tls.ca_bundle.c_str());
  }
  if (req.method == "POST" || req.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    if (req.method == "PUT") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string why = error[0] != '\0' ? error : curl_easy_strerror(rc);
    throw SetupError(req.method + " " + url_for_messages(req.url) + " failed: " + why);
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
  return res;
}

std::string url_encode_path(const std::string& text) { return encode(text, true); }
std::string url_encode_query(const std::string& text) { return encode(text, false); }

std::string url_for_messages(const std::string& url) {
  std::string out = url.substr(0, url.find('?'));
  std::size_t scheme = out.find("://");
  std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  std::size_t at = out.find('@', start);
  std::size_t slash = out.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    out.erase(start, at + 1 - start);
  }
  return out;
}

}  // namespace rh::vsphere
