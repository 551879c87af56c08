// The field table of the rule engine: every Falco field name hivesec can extract from an Event
// (evt.*, proc.*, fd.*, user.*, group.*, container.*, k8s.*), its type, the argument it takes
// (`proc.aname[2]`, `container.label[app]`, `evt.arg.name`) and a function pointer that extracts
// it. The compiler resolves names here once; the evaluator calls the function pointers. The same
// table generates the field reference in docs/commands/rules.md (`hivesec rules fields`).
//
// Thread-safety: the table is immutable after first use; extractors are pure functions of the
// Event and write only into the caller's FieldScratch.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/event.h"

namespace hivesec::runtime::rules {

// How a field's values compare (Falco compares by the field's type, not the constant's).
enum class FieldType : uint8_t {
  kString,  // CHARBUF: string operators
  kInt,     // numbers (pids, uids, ports, times): numeric comparisons
  kBool,    // true/false
  kIp,      // an IP address: `=`/`in` against addresses and CIDR networks
};
std::string_view field_type_name(FieldType t);

enum class ArgKind : uint8_t {
  kNone,    // no argument allowed
  kIndex,   // `[N]`, optional: without it the field has several values (any of them matches)
  kKey,     // `[key]` required (`container.label[app]`)
  kEvtArg,  // `evt.arg.NAME`, `evt.arg[N]` (resolved against the syscall argument names)
};

// A field's argument after compilation (no strings looked up on the hot path except map keys).
struct FieldArg {
  int index = -1;   // kIndex: N, -1 = none; kEvtArg: the resolved argument id
  std::string key;  // kKey
};

// One extracted value. `str` may point into the Event or into the FieldScratch.
struct FieldValue {
  std::string_view str;
  int64_t num = 0;
};

// Per-thread buffer for values that are computed (joined command lines, formatted times).
// Keeps its capacity, so steady-state extraction does not allocate.
struct FieldScratch {
  std::string buf;
};

// Extracts instance `instance` (0 unless the field is multi-valued) of the field. Returns false
// when the value is missing (Falco's <NA>).
using ExtractFn = bool (*)(const Event& ev, const FieldArg& arg, int instance, FieldScratch& s,
                           FieldValue& out);
// Number of values of a multi-valued field (ancestors without an index, fd.net for either end).
using CountFn = int (*)(const Event& ev, const FieldArg& arg);

struct FieldDef {
  std::string_view name;
  FieldType type;
  ArgKind arg_kind;
  std::string_view description;
  ExtractFn extract;
  CountFn count = nullptr;         // non-null: multi-valued when the argument is absent
  bool hivesec_extension = false;  // not a Falco field (documented as such)
};

// All fields, in documentation order.
std::span<const FieldDef> field_table();

// A parsed reference such as "proc.aname[2]" or "evt.arg.flags".
struct ResolvedField {
  const FieldDef* def = nullptr;
  FieldArg arg;
  bool multi = false;  // evaluate every instance (count) and match when any does
};

// Resolves a field name and its optional bracket argument. Errors: kNotFound for an unknown
// field (message "unknown field 'x'"), kInvalidArgument for a bad or missing argument.
Result<ResolvedField> resolve_field(std::string_view name, const std::string* bracket_arg);

// True when `name` looks like a field of a known class (evt., proc., fd., ...), used to tell
// an unknown field from an undefined macro.
bool has_field_class(std::string_view name);

// Extracts instance `instance` of a resolved field (0 for single-valued fields). Returns false
// when the value is missing.
bool extract_field(const ResolvedField& f, const Event& ev, int instance, FieldScratch& s,
                   FieldValue& out);

// Extracts a value for output formatting; appends its text (or "<NA>") to `out`. For
// multi-valued fields the first instance is used. Returns false when the value is missing.
bool append_field_text(const ResolvedField& f, const Event& ev, FieldScratch& s, std::string& out);

// The syscall names evt.type knows; index = type id. Names not in the table get kOtherTypeId.
std::span<const std::string_view> known_event_types();
constexpr int kOtherTypeId = 63;
int event_type_id(std::string_view syscall);

}  // namespace hivesec::runtime::rules
