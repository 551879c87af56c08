// A small HTTP client over libcurl for the registry and engine sources and the engine API
// client (src/engine). GET, plus POST/DELETE with a small body for engine actions. Bodies are
// streamed through a bounded buffer filled by a transfer thread, so a multi-gigabyte blob never
// sits in memory or on disk.
//
// Thread-safety: the free functions are thread-safe; each returned stream has one reader.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "image/stream.h"

namespace hivesec::image {

struct HttpRequest {
  std::string url;                   // http:// or https:// (other schemes are refused)
  std::string method = "GET";        // GET, POST or DELETE (others are refused)
  std::string body;                  // request body (POST); sent as is
  std::vector<std::string> headers;  // "Name: value"
  std::string unix_socket;           // non-empty: connect through this unix socket
  bool insecure_tls = false;         // skip certificate and host name verification
  bool follow_redirects = true;      // up to 5; custom Authorization headers are not sent to
                                     // another host (libcurl behaviour since 7.58)
  long connect_timeout_s = 10;
  long low_speed_time_s = 60;     // abort when below 1 byte/s for this long (not when the
                                  // reader is slow: a full buffer pauses the transfer)
  long total_timeout_s = 0;       // 0: none
  size_t buffer_bytes = 4 << 20;  // bound of the in-memory stream buffer
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // of the final response; names lowercased
  std::string body;                    // http_get: the body; http_open: the (bounded) error body
  std::unique_ptr<ByteStream> stream;  // http_open with status 200: the body, read once
};

// Starts the request and returns once the final status is known. For status 200 `stream` yields the
// body (a transfer failure midway is a kNetwork read error); for any other status the body
// (first 64 KiB) is in `body`. kNetwork on connection/TLS/timeout failures.
Result<HttpResponse> http_open(const HttpRequest& req);

// Like http_open but reads a 200 body fully into `body`; kLimit beyond `max_body` bytes.
Result<HttpResponse> http_get(const HttpRequest& req, size_t max_body);

// Percent-encodes everything outside RFC 3986 unreserved characters (plus `keep`).
std::string url_escape(std::string_view s, std::string_view keep = "");

}  // namespace hivesec::image
