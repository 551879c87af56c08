#include "match/affected.h"

#include <algorithm>

namespace hivesec::match {

namespace {

using vulndb::Event;
using vulndb::EventKind;

// Order of events at the same version: a range that opens and closes at one version is empty.
int kind_rank(EventKind k) {
  switch (k) {
    case EventKind::kIntroduced:
      return 0;
    case EventKind::kLastAffected:
      return 1;
    case EventKind::kFixed:
      return 2;
    case EventKind::kLimit:
      return 3;
  }
  return 4;
}

bool is_zero(const Event& e) { return e.kind == EventKind::kIntroduced && e.value == "0"; }

struct RangeVerdict {
  bool affected = false;
  std::string fixed;  // the fixed event closing the interval that holds the version
  bool open = false;  // affected with no fix after it
};

// One event with its order relative to the installed version, computed once.
struct OrderedEvent {
  const Event* event;
  bool zero;         // introduced "0": below every version
  int vs_installed;  // compare(installed, event version); 1 for a zero event
};

// Walks one range's events. Returns false (with `why`) when an event version is invalid.
// Each event version is parsed for validation, once against the installed version and, when
// the range is not already in order, for sorting.
bool walk_range(const vulndb::Range& range, std::string_view v, const versions::Scheme& scheme,
                RangeVerdict& out, std::string& why) {
  std::vector<OrderedEvent> events;
  events.reserve(range.events.size());
  for (const Event& e : range.events) {
    bool zero = is_zero(e);
    if (!zero) {
      if (auto st = scheme.validate(e.value); !st.ok()) {
        why = "event version \"" + e.value + "\": " + st.error().message;
        return false;
      }
    }
    events.push_back({&e, zero, zero ? 1 : scheme.compare(v, e.value)});
  }
  auto before = [&](const OrderedEvent& a, const OrderedEvent& b) {
    if (a.zero != b.zero) return a.zero;
    if (!a.zero) {
      int c = scheme.compare(a.event->value, b.event->value);
      if (c != 0) return c < 0;
    }
    return kind_rank(a.event->kind) < kind_rank(b.event->kind);
  };
  if (!std::is_sorted(events.begin(), events.end(), before)) {
    std::stable_sort(events.begin(), events.end(), before);
  }
  for (const OrderedEvent& e : events) {
    if (e.event->kind == EventKind::kLimit && e.vs_installed >= 0) return true;  // above
  }
  bool affected = false;
  for (const OrderedEvent& e : events) {
    switch (e.event->kind) {
      case EventKind::kIntroduced:
        if (e.vs_installed >= 0) affected = true;
        break;
      case EventKind::kFixed:
        if (e.vs_installed >= 0) affected = false;
        break;
      case EventKind::kLastAffected:
        if (e.vs_installed > 0) affected = false;
        break;
      case EventKind::kLimit:
        break;
    }
  }
  if (!affected) return true;
  out.affected = true;
  // The first fixed/last_affected event above the version closes its interval.
  for (const OrderedEvent& e : events) {
    if (e.event->kind == EventKind::kFixed && e.vs_installed < 0) {
      out.fixed = e.event->value;
      return true;
    }
    if (e.event->kind == EventKind::kLastAffected && e.vs_installed <= 0) break;
  }
  out.open = true;
  return true;
}

}  // namespace

AffectedResult evaluate_affected(const vulndb::Affected& affected, std::string_view version,
                                 const versions::Scheme& scheme, const versions::Scheme& semver) {
  AffectedResult out;
  out.affected = scheme.equals_any(version, affected.versions);
  bool listed_only = out.affected;
  for (const vulndb::Range& range : affected.ranges) {
    const versions::Scheme* s = nullptr;
    if (range.type == "ECOSYSTEM") {
      s = &scheme;
    } else if (range.type == "SEMVER") {
      s = &semver;
      if (!semver.validate(version).ok()) {
        ++out.invalid_ranges;
        if (out.invalid_reason.empty()) out.invalid_reason = "installed version is not semver";
        continue;
      }
    } else {
      ++out.git_ranges_skipped;
      continue;
    }
    RangeVerdict verdict;
    std::string why;
    if (!walk_range(range, version, *s, verdict, why)) {
      ++out.invalid_ranges;
      if (out.invalid_reason.empty()) out.invalid_reason = why;
      continue;
    }
    if (!verdict.affected) continue;
    out.affected = true;
    listed_only = false;
    if (!verdict.fixed.empty()) {
      if (std::find(out.fixed.begin(), out.fixed.end(), verdict.fixed) == out.fixed.end()) {
        out.fixed.push_back(verdict.fixed);
      }
    } else {
      out.unfixed_range = true;
    }
  }
  // Listed explicitly with no range saying more: no known fix.
  if (listed_only) out.unfixed_range = true;
  return out;
}

}  // namespace hivesec::match
