// Result<T>: the one error vocabulary of hivesec (STYLE §1).
//
// A Result holds either a value or an Error (a code and a one-line message). Functions that can
// fail at a module boundary return Result<T>; callers must look at it ([[nodiscard]]).
// Exceptions never cross a public header.
#pragma once

#include <fmt/format.h>

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace hivesec {

// Stable error codes. The CLI maps every code to exit status 2 except kUsage (also 2) and
// kInternal (3).
enum class Errc {
  kInvalidArgument = 1,  // the user asked for something malformed
  kNotFound,             // a file, image, blob or key that is not there
  kIo,                   // an OS-level read/write failure
  kCorrupt,              // input that does not parse or whose digest does not match
  kUnsupported,          // a valid input we cannot handle (yet)
  kLimit,                // input exceeds a safety bound (size, count, depth, ratio)
  kNetwork,              // transport failure talking to a registry or engine
  kAuth,                 // authentication or authorization refused
  kInternal,             // a bug in hivesec
};

const char* errc_name(Errc code);

struct [[nodiscard]] Error {
  Errc code = Errc::kInternal;
  std::string message;

  // Prepends context: Error{kCorrupt, "bad header"}.wrap("layer sha256:ab") ->
  // "layer sha256:ab: bad header".
  Error wrap(std::string_view context) const& {
    return Error{code, fmt::format("{}: {}", context, message)};
  }
  Error wrap(std::string_view context) && {
    message = fmt::format("{}: {}", context, message);
    return std::move(*this);
  }
};

template <typename... Args>
Error make_error(Errc code, fmt::format_string<Args...> f, Args&&... args) {
  return Error{code, fmt::format(f, std::forward<Args>(args)...)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return err_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(err_);
  }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return Status(); }

}  // namespace hivesec

// Propagates an error: HIVESEC_TRY(auto x, f()); or HIVESEC_TRY_STATUS(g());
#define HIVESEC_CONCAT_INNER(a, b) a##b
#define HIVESEC_CONCAT(a, b) HIVESEC_CONCAT_INNER(a, b)
#define HIVESEC_TRY_IMPL(tmp, decl, expr)       \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define HIVESEC_TRY(decl, expr) HIVESEC_TRY_IMPL(HIVESEC_CONCAT(hivesec_try_, __LINE__), decl, expr)
#define HIVESEC_TRY_STATUS(expr)                                          \
  do {                                                                    \
    auto hivesec_status_ = (expr);                                        \
    if (!hivesec_status_.ok()) return std::move(hivesec_status_).error(); \
  } while (0)
