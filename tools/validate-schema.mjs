#!/usr/bin/env node
// Validates JSON documents against the official schemas hivesec's reports claim to follow.
//
//   node tools/validate-schema.mjs <kind> <file.json>...
//
// kind: cyclonedx-1.6 | cyclonedx-1.5 | spdx-2.3 | sarif-2.1.0 | hivesec
// Schemas are read from $HIVESEC_SCHEMAS (default: the `shared/schemas` folder found next to the
// repository or one of its parents); the hivesec schema is docs/hivesec-report.schema.json.
//
// Exit status: 0 every file is valid, 1 some file is invalid (errors on stderr), 2 usage or setup
// error (missing schema, unreadable file, not JSON).
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import AjvDraft04 from "ajv-draft-04";
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
  // The SARIF schema is JSON Schema draft-04, which ajv 8 reads only through ajv-draft-04.
  "sarif-2.1.0": { main: "sarif/sarif-schema-2.1.0.json", refs: [], draft04: true },
  hivesec: { main: null, refs: [] },
};

const [kind, ...files] = process.argv.slice(2);
if (!kind || !(kind in kinds) || files.length === 0) {
  fail(2, `usage: validate-schema.mjs <${Object.keys(kinds).join("|")}> <file.json>...`);
}

const spec = kinds[kind];
const ajv = spec.draft04
  ? new AjvDraft04({ strict: false, allErrors: true, validateFormats: true })
  : new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
// Formats used by the CycloneDX schemas that ajv-formats does not define. An IRI is a URI that
// may also hold non-ASCII characters; reject what no IRI may contain (spaces, controls, <>"{}|\^`).
const iriRef = /^[^\u0000-\u0020<>"{}|\\^`\u007f-\u009f]*$/u;
ajv.addFormat("iri-reference", iriRef);
ajv.addFormat("iri", { validate: (s) => iriRef.test(s) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) });
ajv.addFormat("idn-email", /^[^\s@]+@[^\s@]+$/u);
ajv.addFormat("idn-hostname", /^[^\s/@:]+$/u);

const dir = schemasDir();
const mainPath = spec.main ? join(dir, spec.main) : join(repo, "docs", "hivesec-report.schema.json");
for (const r of spec.refs) ajv.addSchema(readJson(join(dir, r), "schema"));
let validate;
try {
  validate = ajv.compile(readJson(mainPath, "schema"));
} catch (e) {
  fail(2, `cannot compile schema ${mainPath}: ${e.message}`);
}

// SPDX license expression check (SPDX 2.3 Annex D) against the SPDX license list that CycloneDX
// ships (spdx.schema.json): list ids (optionally with "+"), LicenseRef-..., WITH <exception>.
let spdxIds = null;
function licenseExpressionError(expr) {
  if (!spdxIds) spdxIds = new Set(readJson(join(dir, "cyclonedx/spdx.schema.json"), "schema").enum);
  const toks = expr.match(/\(|\)|[^\s()]+/g) || [];
  let i = 0;
  const isRef = (t) => /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(t);
  const isId = (t) => spdxIds.has(t) || (t.endsWith("+") && spdxIds.has(t.slice(0, -1)));
  function term(depth) {
    if (depth > 64) throw new Error("too deep");
    const t = toks[i++];
    if (t === "(") {
      orExpr(depth + 1);
      if (toks[i++] !== ")") throw new Error("missing )");
      return;
    }
    if (t === undefined || !(isRef(t) || isId(t))) throw new Error(`unknown license term "${t}"`);
    if (toks[i] === "WITH") {
      i++;
      if (!spdxIds.has(toks[i++])) throw new Error(`unknown exception "${toks[i - 1]}"`);
    }
  }
  function andExpr(depth) {
    term(depth);
    while (toks[i] === "AND") { i++; term(depth); }
  }
  function orExpr(depth) {
    andExpr(depth);
    while (toks[i] === "OR") { i++; andExpr(depth); }
  }
  try {
    orExpr(0);
    if (i !== toks.length) throw new Error(`unexpected "${toks[i]}"`);
  } catch (e) {
    return e.message;
  }
  return null;
}

// What the schemas cannot say but consumers rely on: unique ids and references that resolve.
function semanticErrors(doc) {
  const errs = [];
  if (kind.startsWith("cyclonedx")) {
    const refs = new Set();
    const visit = (c) => {
      if (!c || !c["bom-ref"]) return;
      if (refs.has(c["bom-ref"])) errs.push(`duplicate bom-ref ${c["bom-ref"]}`);
      refs.add(c["bom-ref"]);
      (c.components || []).forEach(visit);
    };
    visit(doc.metadata && doc.metadata.component);
    (doc.components || []).forEach(visit);
    const checkLicenses = (c) => {
      for (const l of (c && c.licenses) || []) {
        const why = l.expression !== undefined ? licenseExpressionError(l.expression) : null;
        if (why) errs.push(`${c["bom-ref"]} expression "${l.expression}": ${why}`);
      }
      ((c && c.components) || []).forEach(checkLicenses);
    };
    (doc.components || []).forEach(checkLicenses);
    for (const d of doc.dependencies || []) {
      if (!refs.has(d.ref)) errs.push(`dependency ref ${d.ref} names no component`);
      for (const r of d.dependsOn || []) {
        if (!refs.has(r)) errs.push(`dependsOn ${r} names no component`);
      }
    }
    for (const v of doc.vulnerabilities || []) {
      for (const a of v.affects || []) {
        if (!refs.has(a.ref)) errs.push(`vulnerability ${v.id} affects ${a.ref}: names no component`);
      }
    }
  } else if (kind === "sarif-2.1.0") {
    // Results must name a rule of the driver, and ruleIndex must point at that same rule.
    for (const run of doc.runs || []) {
      const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
      const ids = new Map(rules.map((r, i) => [r.id, i]));
      if (ids.size !== rules.length) errs.push("duplicate rule ids in tool.driver.rules");
      for (const r of rules) {
        const s = r.properties && r.properties["security-severity"];
        if (s !== undefined && !(typeof s === "string" && /^\d+(\.\d+)?$/.test(s) && +s <= 10)) {
          errs.push(`rule ${r.id}: security-severity ${JSON.stringify(s)} is not a score string`);
        }
      }
      (run.results || []).forEach((res, n) => {
        if (!ids.has(res.ruleId)) errs.push(`result ${n}: ruleId ${res.ruleId} names no rule`);
        else if (res.ruleIndex !== undefined && res.ruleIndex !== ids.get(res.ruleId)) {
          errs.push(`result ${n}: ruleIndex ${res.ruleIndex} is not rule ${res.ruleId}`);
        }
      });
    }
  } else if (kind === "spdx-2.3") {
    const idRe = /^SPDXRef-[A-Za-z0-9.-]+$/;
    const ids = new Set(["SPDXRef-DOCUMENT"]);
    for (const p of [...(doc.packages || []), ...(doc.files || [])]) {
      if (!idRe.test(p.SPDXID)) errs.push(`bad SPDXID ${p.SPDXID}`);
      if (ids.has(p.SPDXID)) errs.push(`duplicate SPDXID ${p.SPDXID}`);
      ids.add(p.SPDXID);
    }
    for (const r of doc.relationships || []) {
      for (const k of ["spdxElementId", "relatedSpdxElement"]) {
        if (!ids.has(r[k])) errs.push(`relationship ${k} ${r[k]} names no element`);
      }
    }
    const created = doc.creationInfo && doc.creationInfo.created;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(created || "")) {
      errs.push(`creationInfo.created ${created} is not YYYY-MM-DDThh:mm:ssZ`);
    }
    const declared = new Set((doc.hasExtractedLicensingInfos || []).map((x) => x.licenseId));
    for (const id of declared) {
      if (!/^LicenseRef-[A-Za-z0-9.-]+$/.test(id)) errs.push(`bad licenseId ${id}`);
    }
    for (const p of doc.packages || []) {
      for (const k of ["licenseConcluded", "licenseDeclared"]) {
        const v = p[k];
        if (v === undefined || v === "NOASSERTION" || v === "NONE") continue;
        for (const ref of v.match(/LicenseRef-[A-Za-z0-9.-]+/g) || []) {
          if (!declared.has(ref)) errs.push(`${p.SPDXID} ${k} uses undeclared ${ref}`);
        }
        const why = licenseExpressionError(v);
        if (why) errs.push(`${p.SPDXID} ${k} "${v}" is not an SPDX expression: ${why}`);
      }
    }
  }
  return errs;
}

let bad = 0;
for (const f of files) {
  const doc = readJson(f, "document");
  const ok = validate(doc);
  const sem = ok ? semanticErrors(doc) : [];
  if (ok && sem.length === 0) continue;
  bad++;
  for (const e of (validate.errors || []).slice(0, 50)) {
    const params = JSON.stringify(e.params).slice(0, 300);
    process.stderr.write(`${f}: ${e.instancePath || "/"} ${e.message} ${params}\n`);
  }
  for (const e of sem.slice(0, 50)) process.stderr.write(`${f}: ${e}\n`);
}
process.exit(bad ? 1 : 0);
