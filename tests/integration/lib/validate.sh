# Schema validation for integration tests. Source it, then:
#   validate_schema cyclonedx-1.6 out.json    # or cyclonedx-1.5, spdx-2.3, sarif-2.1.0, hivesec
# Returns the validator's status (0 valid, 1 invalid, 2 setup error) with errors on stderr.
# validate_schema_available returns non-zero when node or tools/node_modules is missing, so a
# test can skip (exit 77) instead of failing.
#
# HIVESEC_SRC: the repository (default: two levels above this file).
# HIVESEC_SCHEMAS: the official schemas (default: the repository's sibling shared/schemas).

_hivesec_validate_src=${HIVESEC_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}

validate_schema_available() {
  command -v node >/dev/null 2>&1 && [ -f "$_hivesec_validate_src/tools/node_modules/ajv/package.json" ]
}

validate_schema() {
  local kind=$1
  shift
  HIVESEC_SCHEMAS=${HIVESEC_SCHEMAS:-} node "$_hivesec_validate_src/tools/validate-schema.mjs" \
    "$kind" "$@"
}
