// The transfer runs on the curl multi interface in a worker thread. When the buffer is full the
// write callback pauses the transfer (paused transfers are exempt from libcurl's low-speed
// check, so a slow reader does not abort the download); the reader wakes the worker with
// curl_multi_wakeup once it has made room.
#include "image/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

namespace hivesec::image {
namespace {

constexpr size_t kMaxErrorBody = 64 << 10;
constexpr size_t kMaxHeaders = 200;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// State shared by the worker thread and the reader.
struct Transfer {
  std::mutex mu;
  std::condition_variable cv;
  std::string buf;  // unread bytes are buf[head..]
  size_t head = 0;
  size_t cap = 0;
  bool paused = false;
  bool started = false;  // a 200 body has begun (or the transfer ended)
  bool done = false;
  bool cancelled = false;
  long status = 0;
  CURLcode result = CURLE_OK;
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::map<std::string, std::string> headers;
  std::string error_body;
  std::string url;

  CURL* easy = nullptr;
  CURLM* multi = nullptr;
  curl_slist* header_list = nullptr;
  std::thread worker;

  ~Transfer() {
    if (multi && easy) curl_multi_remove_handle(multi, easy);
    if (easy) curl_easy_cleanup(easy);
    if (multi) curl_multi_cleanup(multi);
    if (header_list) curl_slist_free_all(header_list);
  }

  size_t available() const { return buf.size() - head; }

  static size_t on_header(char* data, size_t size, size_t n, void* self_ptr) {
    auto* self = static_cast<Transfer*>(self_ptr);
    std::string_view line(data, size * n);
    std::lock_guard lock(self->mu);
    if (line.substr(0, 5) == "HTTP/") {
      self->headers.clear();  // a new response (redirect or 100-continue) begins
      return size * n;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || self->headers.size() >= kMaxHeaders) return size * n;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    self->headers[name] = trim(line.substr(colon + 1));
    return size * n;
  }

  static size_t on_write(char* data, size_t size, size_t n, void* self_ptr) {
    auto* self = static_cast<Transfer*>(self_ptr);
    size_t len = size * n;
    long code = 0;
    curl_easy_getinfo(self->easy, CURLINFO_RESPONSE_CODE, &code);
    std::lock_guard lock(self->mu);
    if (self->cancelled) return 0;  // aborts the transfer
    if (code != 200) {
      size_t room = kMaxErrorBody - std::min(kMaxErrorBody, self->error_body.size());
      self->error_body.append(data, std::min(room, len));
      return len;
    }
    if (self->available() >= self->cap) {
      self->paused = true;
      return CURL_WRITEFUNC_PAUSE;
    }
    if (self->head > 0 && self->head >= self->buf.size() / 2) {
      self->buf.erase(0, self->head);
      self->head = 0;
    }
    self->buf.append(data, len);
    if (!self->started) self->status = code;
    self->started = true;
    self->cv.notify_all();
    return len;
  }

  void run() {
    while (true) {
      bool unpause = false;
      {
        std::lock_guard lock(mu);
        if (cancelled) break;
        if (paused && available() < cap) {
          paused = false;
          unpause = true;
        }
      }
      if (unpause) curl_easy_pause(easy, CURLPAUSE_CONT);
      int running = 0;
      CURLMcode mc = curl_multi_perform(multi, &running);
      if (mc != CURLM_OK) {
        std::lock_guard lock(mu);
        result = CURLE_FAILED_INIT;
        snprintf(errbuf, sizeof(errbuf), "%s", curl_multi_strerror(mc));
        break;
      }
      if (running == 0) {
        int left = 0;
        while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
          if (m->msg == CURLMSG_DONE) {
            std::lock_guard lock(mu);
            result = m->data.result;
          }
        }
        break;
      }
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    std::lock_guard lock(mu);
    status = code;
    done = true;
    started = true;
    cv.notify_all();
  }

  std::string error_text() const {
    if (errbuf[0] != '\0') return errbuf;
    return curl_easy_strerror(result);
  }
};

class HttpBodyStream final : public ByteStream {
 public:
  explicit HttpBodyStream(std::shared_ptr<Transfer> t) : t_(std::move(t)) {}
  ~HttpBodyStream() override {
    {
      std::lock_guard lock(t_->mu);
      t_->cancelled = true;
    }
    curl_multi_wakeup(t_->multi);
    if (t_->worker.joinable()) t_->worker.join();
  }

  Result<size_t> read(char* out, size_t n) override {
    std::unique_lock lock(t_->mu);
    t_->cv.wait(lock, [&] { return t_->available() > 0 || t_->done; });
    if (t_->available() > 0) {
      size_t k = std::min(n, t_->available());
      std::memcpy(out, t_->buf.data() + t_->head, k);
      t_->head += k;
      if (t_->head == t_->buf.size()) {
        t_->buf.clear();
        t_->head = 0;
      }
      bool wake = t_->paused;
      lock.unlock();
      if (wake) curl_multi_wakeup(t_->multi);
      return k;
    }
    if (t_->result != CURLE_OK) {
      return make_error(Errc::kNetwork, "transfer of {} failed: {}", t_->url, t_->error_text());
    }
    return size_t{0};
  }

 private:
  std::shared_ptr<Transfer> t_;
};

}  // namespace

std::string url_escape(std::string_view s, std::string_view keep) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<HttpResponse> http_open(const HttpRequest& req) {
  global_init();
  if (req.url.rfind("http://", 0) != 0 && req.url.rfind("https://", 0) != 0) {
    return make_error(Errc::kInvalidArgument, "unsupported URL scheme in {}", req.url);
  }
  if (req.method != "GET" && req.method != "POST" && req.method != "DELETE") {
    return make_error(Errc::kInvalidArgument, "unsupported HTTP method {}", req.method);
  }
  auto t = std::make_shared<Transfer>();
  t->cap = std::max<size_t>(req.buffer_bytes, 64 << 10);
  t->url = req.url;
  t->easy = curl_easy_init();
  t->multi = curl_multi_init();
  if (!t->easy || !t->multi) return make_error(Errc::kInternal, "curl initialisation failed");
  for (const auto& h : req.headers) t->header_list = curl_slist_append(t->header_list, h.c_str());
  CURL* e = t->easy;
  curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, req.connect_timeout_s);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, req.low_speed_time_s);
  if (req.total_timeout_s > 0) curl_easy_setopt(e, CURLOPT_TIMEOUT, req.total_timeout_s);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "hivesec/" HIVESEC_VERSION);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, nullptr);  // blobs must arrive byte-exact
  if (req.method == "POST") {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req.body.c_str());
  } else if (req.method == "DELETE") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
  }
  if (!req.unix_socket.empty()) {
    curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, req.unix_socket.c_str());
  }
  if (req.insecure_tls) {
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_multi_add_handle(t->multi, e);
  auto stream = std::make_unique<HttpBodyStream>(t);  // joins the worker on every exit path
  t->worker = std::thread([t_raw = t.get()] { t_raw->run(); });

  HttpResponse resp;
  std::unique_lock lock(t->mu);
  t->cv.wait(lock, [&] { return t->started; });
  if (t->done && t->result != CURLE_OK && t->status == 0) {
    return make_error(Errc::kNetwork, "{}: {}", req.url, t->error_text());
  }
  resp.status = t->status;
  resp.headers = t->headers;
  if (resp.status != 200) {
    // Non-200: wait for the (bounded) error body; the transfer is finished or failing.
    t->cv.wait(lock, [&] { return t->done; });
    resp.status = t->status;
    resp.headers = t->headers;
    resp.body = t->error_body;
    return resp;
  }
  lock.unlock();
  resp.stream = std::move(stream);
  return resp;
}

Result<HttpResponse> http_get(const HttpRequest& req, size_t max_body) {
  HIVESEC_TRY(HttpResponse resp, http_open(req));
  if (resp.status != 200 || !resp.stream) return resp;
  auto body = read_all(*resp.stream, max_body);
  if (!body.ok()) return std::move(body).error().wrap(req.url);
  resp.body = std::move(*body);
  resp.stream.reset();
  return resp;
}

}  // namespace hivesec::image
