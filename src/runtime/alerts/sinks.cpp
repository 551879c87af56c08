// The stdout, file and syslog sinks and the built-in sink registry.
#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "runtime/alerts/sink.h"

namespace hivesec::runtime::alerts {

namespace {

// Writes whole buffers, retrying short writes and EINTR.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// One alert per line on a file descriptor (stdout or an append-only file).
class FdSink final : public AlertSink {
 public:
  FdSink(std::string kind, int fd, bool owned, std::string where)
      : kind_(std::move(kind)), fd_(fd), owned_(owned), where_(std::move(where)) {}
  ~FdSink() override {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  std::string_view kind() const override { return kind_; }
  Status write(const AlertRecord& alert) override {
    line_.assign(alert.line);
    line_ += '\n';
    if (!write_all(fd_, line_)) {
      ++failed_;
      return make_error(Errc::kIo, "{}: cannot write alert: {}", where_, std::strerror(errno));
    }
    ++written_;
    return ok_status();
  }
  SinkStats stats() const override { return {written_.load(), failed_.load(), 0}; }

 private:
  std::string kind_;
  int fd_;
  bool owned_;
  std::string where_;
  std::string line_;
  std::atomic<uint64_t> written_{0}, failed_{0};
};

class SyslogSink final : public AlertSink {
 public:
  SyslogSink() { ::openlog("hivesec-agent", LOG_PID | LOG_NDELAY, LOG_DAEMON); }
  ~SyslogSink() override { ::closelog(); }
  std::string_view kind() const override { return "syslog"; }
  Status write(const AlertRecord& alert) override {
    // syslog(3) reports no errors; a line too long for the transport is cut by it.
    ::syslog(static_cast<int>(alert.priority), "%.*s", static_cast<int>(alert.line.size()),
             alert.line.data());
    ++written_;
    return ok_status();
  }
  SinkStats stats() const override { return {written_.load(), 0, 0}; }

 private:
  std::atomic<uint64_t> written_{0};
};

Result<std::unique_ptr<AlertSink>> open_file_sink(const std::string& path) {
  if (path.empty()) return make_error(Errc::kInvalidArgument, "file sink needs a path (file:PATH)");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0640);
  if (fd < 0) return make_error(Errc::kIo, "cannot open alert file {}: {}", path, std::strerror(errno));
  return std::unique_ptr<AlertSink>(std::make_unique<FdSink>("file", fd, true, path));
}

}  // namespace

Status SinkRegistry::add(std::string kind, std::string help, Factory factory) {
  for (const auto& e : entries_) {
    if (e.kind == kind) return make_error(Errc::kInvalidArgument, "sink {} registered twice", kind);
  }
  entries_.push_back({std::move(kind), std::move(help), std::move(factory)});
  return ok_status();
}

Result<std::unique_ptr<AlertSink>> SinkRegistry::create(const std::string& spec) const {
  size_t colon = spec.find(':');
  std::string kind = spec.substr(0, colon);
  std::string target = colon == std::string::npos ? "" : spec.substr(colon + 1);
  for (const auto& e : entries_) {
    if (e.kind == kind) return e.factory(target);
  }
  std::string known;
  for (const auto& e : entries_) known += (known.empty() ? "" : ", ") + e.kind;
  return make_error(Errc::kInvalidArgument, "unknown alert output '{}' (known: {})", spec, known);
}

std::vector<std::pair<std::string, std::string>> SinkRegistry::kinds() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : entries_) out.emplace_back(e.kind, e.help);
  return out;
}

Status register_builtin_sinks(SinkRegistry& registry) {
  HIVESEC_TRY_STATUS(registry.add("stdout", "one JSON alert per line on standard output",
                                  [](const std::string&) -> Result<std::unique_ptr<AlertSink>> {
                                    return std::unique_ptr<AlertSink>(
                                        std::make_unique<FdSink>("stdout", 1, false, "stdout"));
                                  }));
  HIVESEC_TRY_STATUS(registry.add("file", "file:PATH - appended, one JSON alert per line",
                                  open_file_sink));
  HIVESEC_TRY_STATUS(registry.add("syslog", "the local syslog (facility daemon, alert priority)",
                                  [](const std::string&) -> Result<std::unique_ptr<AlertSink>> {
                                    return std::unique_ptr<AlertSink>(
                                        std::make_unique<SyslogSink>());
                                  }));
  HIVESEC_TRY_STATUS(registry.add(
      "webhook", "webhook:URL - each alert POSTed as JSON (queued, retried)",
      [](const std::string& url) { return make_webhook_sink(WebhookOptions{url}); }));
  return ok_status();
}

}  // namespace hivesec::runtime::alerts
