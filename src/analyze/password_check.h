// Verifying account hashes against candidate passwords with the real crypt (libxcrypt), under a
// time budget shared by every file of one image.
//
// Slow hashes are slow on purpose (yescrypt and bcrypt take tens to hundreds of milliseconds per
// try), so the work is bounded: a PasswordBudget is the total time the image may spend in crypt,
// charged by every thread that checks a hash (layers are analyzed in parallel). Within one file
// the accounts share the budget fairly: the account that has used the least time goes next, so
// fast hashes finish their whole list and slow ones get an equal share.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hivesec::analyze {

// The time one image may spend in crypt, in total over all threads. Thread-safe.
class PasswordBudget {
 public:
  explicit PasswordBudget(std::chrono::milliseconds total)
      : left_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(total).count()) {}
  bool exhausted() const { return left_ns_.load(std::memory_order_relaxed) <= 0; }
  void charge(int64_t ns) { left_ns_.fetch_sub(ns, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> left_ns_;
};

// True when `password` hashes to `hash` (crypt_rn with the hash as setting; constant-length
// compare). False for malformed hashes and methods libxcrypt lacks. Thread-safe.
bool crypt_matches(std::string_view password, const std::string& hash);

struct CrackTarget {
  std::string account;
  std::string hash;  // checkable (hash_method(hash).checkable)
};

struct CrackResult {
  std::optional<std::string> password;  // the candidate that matched
  size_t tried = 0;                     // candidates tried
  size_t total = 0;                     // candidates there were
  int64_t spent_ns = 0;
  bool out_of_budget() const { return !password && tried < total; }
};

// The candidates tried for an account, most likely first: variants of the account name, then
// `common` in its order, each once.
std::vector<std::string> candidates_for(std::string_view account,
                                        const std::vector<std::string>& common);

// Tries the candidates of every target until one matches, the list ends or the budget runs out.
// results[i] belongs to targets[i]. Thread-safe (the budget is shared; nothing else is).
std::vector<CrackResult> crack(const std::vector<CrackTarget>& targets,
                               const std::vector<std::string>& common, PasswordBudget& budget);

}  // namespace hivesec::analyze
