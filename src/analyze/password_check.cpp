// Common-password checks with libxcrypt's crypt_rn, fair across accounts, bounded by a budget.
#include "analyze/password_check.h"

#include <crypt.h>

#include <memory>
#include <queue>
#include <unordered_set>

namespace hivesec::analyze {

namespace {

// Per-thread scratch for crypt_rn (about 32 KiB; allocated once per thread).
crypt_data& scratch() {
  thread_local std::unique_ptr<crypt_data> data = std::make_unique<crypt_data>();
  return *data;
}

}  // namespace

bool crypt_matches(std::string_view password, const std::string& hash) {
  if (password.size() >= CRYPT_MAX_PASSPHRASE_SIZE || hash.size() >= CRYPT_OUTPUT_SIZE) {
    return false;
  }
  std::string phrase(password);
  crypt_data& data = scratch();
  data.initialized = 0;
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), &data, sizeof data);
  if (!out || out[0] == '*') return false;  // failure tokens start with '*'
  std::string_view got(out);
  if (got.size() != hash.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < got.size(); ++i) diff |= static_cast<unsigned char>(got[i] ^ hash[i]);
  return diff == 0;
}

std::vector<std::string> candidates_for(std::string_view account,
                                        const std::vector<std::string>& common) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string c) {
    if (seen.insert(c).second) out.push_back(std::move(c));
  };
  if (!account.empty() && account.size() < 64) {
    std::string name(account);
    add(name);
    add(name + "123");
    add(name + "1");
  }
  for (const auto& c : common) add(c);
  return out;
}

std::vector<CrackResult> crack(const std::vector<CrackTarget>& targets,
                               const std::vector<std::string>& common, PasswordBudget& budget) {
  std::vector<CrackResult> results(targets.size());
  std::vector<std::vector<std::string>> lists(targets.size());
  // Least time spent first (ties: the earlier account).
  using Item = std::pair<int64_t, size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> next;
  for (size_t i = 0; i < targets.size(); ++i) {
    lists[i] = candidates_for(targets[i].account, common);
    results[i].total = lists[i].size();
    if (!lists[i].empty()) next.emplace(0, i);
  }
  while (!next.empty() && !budget.exhausted()) {
    auto [spent, i] = next.top();
    next.pop();
    CrackResult& r = results[i];
    const std::string& candidate = lists[i][r.tried];
    auto t0 = std::chrono::steady_clock::now();
    bool hit = crypt_matches(candidate, targets[i].hash);
    int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - t0)
                     .count();
    budget.charge(ns);
    r.spent_ns += ns;
    ++r.tried;
    if (hit) {
      r.password = candidate;
    } else if (r.tried < r.total) {
      next.emplace(r.spent_ns, i);
    }
  }
  return results;
}

}  // namespace hivesec::analyze
