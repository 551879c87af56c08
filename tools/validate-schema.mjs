#!/usr/bin/env node
// Validates JSON documents against the official schemas hivesec's reports claim to follow.
//
//   node tools/validate-schema.mjs <kind> <file.json>...
//
// kind: cyclonedx-1.6 | cyclonedx-1.5 | spdx-2.3 | hivesec
// Schemas are read from $HIVESEC_SCHEMAS (default: the `shared/schemas` folder found next to the
// repository or one of its parents); the hivesec schema is docs/hivesec-report.schema.json.
//
// Exit status: 0 every file is valid, 1 some file is invalid (errors on stderr), 2 usage or setup
// error (missing schema, unreadable file, not JSON).
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");

function fail(code, msg) {
  process.stderr.write(`validate-schema: ${msg}\n`);
  process.exit(code);
}

function schemasDir() {
  if (process.env.HIVESEC_SCHEMAS) return resolve(process.env.HIVESEC_SCHEMAS);
  // The repository's sibling `shared` folder; worktrees sit deeper, so walk up.
  for (let d = resolve(repo, ".."); ; d = dirname(d)) {
    const c = join(d, "shared", "schemas");
    if (existsSync(c)) return c;
    if (dirname(d) === d) break;
  }
  return resolve(repo, "..", "shared", "schemas");
}

function readJson(path, what) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    fail(2, `cannot read ${what} ${path}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(2, `${what} ${path} is not JSON: ${e.message}`);
  }
}

const kinds = {
  "cyclonedx-1.6": { main: "cyclonedx/bom-1.6.schema.json",
                     refs: ["cyclonedx/spdx.schema.json", "cyclonedx/jsf-0.82.schema.json"] },
  "cyclonedx-1.5": { main: "cyclonedx/bom-1.5.schema.json",
                     refs: ["cyclonedx/spdx.schema.json", "cyclonedx/jsf-0.82.schema.json"] },
  "spdx-2.3": { main: "spdx/spdx-2.3-schema.json", refs: [] },
  hivesec: { main: null, refs: [] },
};

const [kind, ...files] = process.argv.slice(2);
if (!kind || !(kind in kinds) || files.length === 0) {
  fail(2, `usage: validate-schema.mjs <${Object.keys(kinds).join("|")}> <file.json>...`);
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
// Formats used by the CycloneDX schemas that ajv-formats does not define. An IRI is a URI that
// may also hold non-ASCII characters; reject what no IRI may contain (spaces, controls, <>"{}|\^`).
const iriRef = /^[^\u0000-\u0020<>"{}|\\^`\u007f-\u009f]*$/u;
ajv.addFormat("iri-reference", iriRef);
ajv.addFormat("iri", { validate: (s) => iriRef.test(s) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) });
ajv.addFormat("idn-email", /^[^\s@]+@[^\s@]+$/u);
ajv.addFormat("idn-hostname", /^[^\s/@:]+$/u);

const spec = kinds[kind];
const dir = schemasDir();
const mainPath = spec.main ? join(dir, spec.main) : join(repo, "docs", "hivesec-report.schema.json");
for (const r of spec.refs) ajv.addSchema(readJson(join(dir, r), "schema"));
let validate;
try {
  validate = ajv.compile(readJson(mainPath, "schema"));
} catch (e) {
  fail(2, `cannot compile schema ${mainPath}: ${e.message}`);
}

let bad = 0;
for (const f of files) {
  const doc = readJson(f, "document");
  if (validate(doc)) continue;
  bad++;
  for (const e of validate.errors.slice(0, 50)) {
    process.stderr.write(`${f}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}\n`);
  }
}
process.exit(bad ? 1 : 0);
