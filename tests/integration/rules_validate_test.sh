#!/usr/bin/env bash
# rules_validate_test.sh — `hivesec rules validate`: the default runtime rules validate clean;
# a Falco-format file plus a local override file validate (one skip warning) and show per-file
# counts; a broken file exits 1 listing every error as FILE:LINE with its code; a local file
# overriding the built-in rules validates with --with-defaults and fails without it; `rules
# fields` prints the field table the docs are generated from.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
TD="$HIVESEC_SRC/src/runtime/rules/testdata"

out="$("$HIVESEC" rules validate "$HIVESEC_SRC"/rules/runtime/*.yaml 2>&1)"; rc=$?
if [ $rc -eq 0 ] && grep -q '0 errors, 0 warnings' <<<"$out" &&
   grep -Eq '^.*/rules/runtime/files.yaml: [0-9]+ lists, [0-9]+ macros, [0-9]+ rules$' <<<"$out"; then
  pass "default runtime rules validate clean"
else
  fail "default rules: rc=$rc $out"
fi

out="$("$HIVESEC" rules validate "$TD/falco_interop.yaml" "$TD/falco_interop_local.yaml" 2>&1)"; rc=$?
if [ $rc -eq 0 ] && grep -q 'falco_interop.yaml: 7 lists, 4 macros, 6 rules' <<<"$out" &&
   grep -q 'falco_interop_local.yaml: 2 lists, 1 macros, 4 rules' <<<"$out" &&
   grep -Eq 'falco_interop.yaml:[0-9]+: warning\[unknown-field-skipped\]' <<<"$out"; then
  pass "Falco interop files validate with per-file counts and the skip warning"
else
  fail "interop: rc=$rc $out"
fi

cat >"$T/bad.yaml" <<'YAML'
- list: shells
  items: [bash]
- macro: a
  condition: b
- macro: b
  condition: a and evt.type = open
- rule: cycle
  desc: d
  condition: a
  output: o
  priority: warning
- rule: unknown field
  desc: d
  condition: evt.type = open and proc.nosuch = 1
  output: o
  priority: warning
- rule: syntax
  desc: d
  condition: evt.type = open and (proc.name in (shells)
  output: o
  priority: warning
YAML
printf -- '- rule: x\n  desc: [oops\n' >"$T/yaml.yaml"
out="$("$HIVESEC" rules validate "$T/bad.yaml" "$T/yaml.yaml" 2>&1)"; rc=$?
if [ $rc -eq 1 ] &&
   grep -q "bad.yaml:9: error\[macro-cycle\]: rule 'cycle': macro cycle: a -> b -> a" <<<"$out" &&
   grep -q "bad.yaml:14: error\[unknown-field\]: rule 'unknown field': unknown field 'proc.nosuch'" <<<"$out" &&
   grep -q "bad.yaml:19: error\[condition-syntax\]: rule 'syntax'" <<<"$out" &&
   grep -Eq "yaml.yaml:[0-9]+: error\[yaml-parse\]" <<<"$out" &&
   grep -q '4 errors' <<<"$out"; then
  pass "broken files: exit 1, every error with file:line and code"
else
  fail "broken files: rc=$rc $out"
fi

cat >"$T/local.yaml" <<'YAML'
- list: shell_binaries
  override:
    items: append
  items: [nu]
- rule: Terminal shell in container
  enabled: false
YAML
out="$("$HIVESEC" rules validate --with-defaults "$T/local.yaml" 2>&1)"; rc=$?
out2="$("$HIVESEC" rules validate "$T/local.yaml" 2>&1)"; rc2=$?
if [ $rc -eq 0 ] && [ $rc2 -eq 1 ] && grep -q 'no-previous-definition' <<<"$out2"; then
  pass "overrides of the built-in rules validate with --with-defaults only"
else
  fail "overrides: rc=$rc ($out) rc2=$rc2 ($out2)"
fi

"$HIVESEC" rules validate "$T/missing.yaml" >"$T/o" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q 'error\[io\]' "$T/o"; then pass "missing file is an io error"; else fail "missing: rc=$rc $(cat "$T/o")"; fi

# rules replay: one Falco JSON alert per positive case, none for the benign workloads.
want="$(grep -c '^# match:' "$TD/default_rules.jsonl")"
"$HIVESEC" rules replay "$TD/default_rules.jsonl" --hostname n1 >"$T/alerts" 2>"$T/err"; rc=$?
got="$(wc -l <"$T/alerts")"
if [ $rc -eq 0 ] && [ "$got" -eq "$want" ] &&
   python3 -c 'import json,sys
for l in open(sys.argv[1]):
    a = json.loads(l)
    assert set(a) == {"time","rule","priority","output","output_fields","tags","source","hostname"}, a.keys()
    assert a["hostname"] == "n1" and a["source"] == "syscall"
    for k in ("container.id", "container.name", "container.image.repository"):
        assert k in a["output_fields"], k
' "$T/alerts"; then
  pass "rules replay prints $got Falco-format alerts for $want positive cases"
else
  fail "replay: rc=$rc got=$got want=$want $(head -c 400 "$T/err")"
fi
quiet="$("$HIVESEC" rules replay "$TD/benign_webserver.jsonl"; "$HIVESEC" rules replay "$TD/benign_compile.jsonl")"
if [ -z "$quiet" ]; then pass "benign workloads raise no alert"; else fail "benign alerts: $quiet"; fi
printf '{"syscall":"execve"}\n{"syscall":\n' >"$T/broken.jsonl"
"$HIVESEC" rules replay "$T/broken.jsonl" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && grep -q 'broken.jsonl:2:' "$T/err" && [ "$(wc -l <"$T/err")" -eq 1 ]; then
  pass "malformed record: exit 2, one line naming FILE:LINE"
else
  fail "malformed record: rc=$rc $(cat "$T/err")"
fi

out="$("$HIVESEC" rules fields 2>&1)"; rc=$?
if [ $rc -eq 0 ] && grep -q '^| `proc.aname` | string | `\[N\]` optional |' <<<"$out" &&
   grep -q '^| `fd.net` | ip |' <<<"$out"; then
  pass "rules fields prints the field table"
else
  fail "fields: rc=$rc"
fi
# The field table in docs/commands/rules.md is the output of `rules fields`.
doc_table="$(sed -n '/^<!-- generated by `hivesec rules fields`/,/^## Default rules/p' "$HIVESEC_SRC/docs/commands/rules.md" | grep '^|')"
if [ -n "$doc_table" ] && [ "$doc_table" = "$(grep '^|' <<<"$out")" ]; then
  pass "docs field table matches 'rules fields'"
else
  fail "docs/commands/rules.md field table is stale: regenerate it with 'hivesec rules fields'"
fi
finish
