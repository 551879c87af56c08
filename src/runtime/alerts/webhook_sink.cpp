// The webhook sink: alerts are queued (bounded) and POSTed one per request, as Falco's HTTP
// output does, by a delivery thread, so a slow or dead receiver never stalls detection. Network
// errors and 5xx answers are retried; 4xx answers are not (the receiver refuses the alert).
#include <curl/curl.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "runtime/alerts/sink.h"

namespace hivesec::runtime::alerts {

namespace {

size_t discard_body(char*, size_t size, size_t n, void*) { return size * n; }

class WebhookSink final : public AlertSink {
 public:
  explicit WebhookSink(WebhookOptions o) : o_(std::move(o)) {
    thread_ = std::thread([this] { run(); });
  }
  ~WebhookSink() override {
    flush(o_.timeout_ms);
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  std::string_view kind() const override { return "webhook"; }

  Status write(const AlertRecord& alert) override {
    {
      std::lock_guard lock(mu_);
      if (queue_.size() >= o_.max_queue) {
        ++dropped_;
        return make_error(Errc::kLimit, "webhook {}: queue full ({} alerts), alert dropped", o_.url,
                          o_.max_queue);
      }
      queue_.emplace_back(alert.line);
    }
    cv_.notify_one();
    return ok_status();
  }

  void flush(int timeout_ms) override {
    std::unique_lock lock(mu_);
    idle_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return queue_.empty() && !busy_; });
  }

  SinkStats stats() const override { return {written_.load(), failed_.load(), dropped_.load()}; }

 private:
  // One POST; true when delivered, `retry` set when another attempt may succeed.
  bool post(CURL* curl, const std::string& body, bool* retry) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
      *retry = true;
      return false;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    *retry = status >= 500;
    return status >= 200 && status < 300;
  }

  void run() {
    CURL* curl = curl_easy_init();
    struct curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const auto& h : o_.headers) headers = curl_slist_append(headers, h.c_str());
    if (curl) {
      curl_easy_setopt(curl, CURLOPT_URL, o_.url.c_str());
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout_ms));
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
      curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    }
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stop_ with nothing left
      std::string body = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      bool delivered = false;
      for (int attempt = 0; curl && attempt <= o_.retries && !delivered; ++attempt) {
        bool retry = false;
        delivered = post(curl, body, &retry);
        if (!retry) break;
        if (!delivered && attempt < o_.retries) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
        }
      }
      (delivered ? written_ : failed_)++;
      lock.lock();
      busy_ = false;
      idle_cv_.notify_all();
    }
    if (curl) curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
  }

  WebhookOptions o_;
  std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::deque<std::string> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::atomic<uint64_t> written_{0}, failed_{0}, dropped_{0};
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<AlertSink>> make_webhook_sink(WebhookOptions options) {
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
    return make_error(Errc::kInvalidArgument,
                      "webhook URL must start with http:// or https:// (got '{}')", options.url);
  }
  if (options.max_queue == 0) options.max_queue = 1;
  return std::unique_ptr<AlertSink>(std::make_unique<WebhookSink>(std::move(options)));
}

}  // namespace hivesec::runtime::alerts
