#!/usr/bin/env python3
"""check_secret_rules.py — validates the built-in secret rules (rules/secrets/*.yaml).

For every rule file it checks the schema (ids unique across files and kebab-case, required keys,
severity names, lowercase non-empty keywords, examples present), that each regex stays in the
subset RE2 and Hyperscan both accept (no lookaround, backreferences, atomic/possessive groups,
\\Z, huge bounded repeats; compiled with Python `re`, and with Hyperscan through ctypes when
libhs is installed), and then the examples: each template is expanded with several random seeds
and a `match` example must give this rule >= 1 finding, a `nomatch` example none, under the
engine's semantics (unanchored search; the secret is group `secret`, else group 1, else the
match; it must reach `entropy`, must not match a global or per-rule allow value, must not
contain a stopword; keywords must occur in the matched text).

Usage: tools/check_secret_rules.py [--dir rules/secrets] [--seeds N] [--no-hyperscan]
Exit status: 0 when every rule passes, 1 otherwise (one line per problem, prefixed FILE: id:),
2 on a usage or I/O problem.
"""
import argparse
import ctypes
import ctypes.util
import glob
import math
import os
import random
import re
import string
import sys

try:
    import yaml
except ImportError:  # setup.sh installs python3-yaml; say so instead of skipping
    sys.exit("check_secret_rules: python3-yaml is missing (run scripts/setup.sh)")

SEVERITIES = {"critical", "high", "medium", "low"}
RULE_KEYS_REQUIRED = {"id", "title", "severity", "keywords", "regex", "remediation", "examples"}
RULE_KEYS_OPTIONAL = {"entropy", "paths", "allow", "disabled"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_REPEAT = 300  # bounded repeats above this make Hyperscan databases large

# Template language shared with the engine's tests: {class:N} -> N random characters.
CLASSES = {
    "alnum": string.ascii_letters + string.digits,
    "upper": string.ascii_uppercase,
    "lower": string.ascii_lowercase,
    "digits": string.digits,
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "base64": string.ascii_letters + string.digits + "+/",
    "base64url": string.ascii_letters + string.digits + "_-",
    "upper_digits": string.ascii_uppercase + string.digits,
    "lower_digits": string.ascii_lowercase + string.digits,
    "x": "x",
}
TEMPLATE_RE = re.compile(r"\{(" + "|".join(CLASSES) + r"):(\d+)\}")

# Syntax outside the RE2 / Hyperscan intersection.
FORBIDDEN = [
    (re.compile(r"\(\?<?[=!]"), "lookaround"),
    (re.compile(r"\(\?>"), "atomic group"),
    (re.compile(r"\(\?P=|\\[1-9]|\\k<"), "backreference"),
    (re.compile(r"[*+?}][+]"), "possessive quantifier"),
    (re.compile(r"\\Z|\\G|\\K|\\R|\\X|\\C"), "escape not supported by RE2/Hyperscan"),
    (re.compile(r"\(\?\("), "conditional group"),
    # every "(?" must open a non-capturing group, a named group or an i/m/s flag group
    (re.compile(r"\(\?(?!:|P<[A-Za-z_]\w*>|<[A-Za-z_]\w*>|[ims]+(?:-[ims]+)?[:)]|-[ims]+[:)])"),
     "unsupported group syntax or inline flag"),
]


def expand(template, rng):
    return TEMPLATE_RE.sub(lambda m: "".join(rng.choice(CLASSES[m.group(1)]) for _ in range(int(m.group(2)))),
                           template)


def entropy(s):
    if not s:
        return 0.0
    counts = {}
    for c in s:
        counts[c] = counts.get(c, 0) + 1
    n = len(s)
    return -sum(k / n * math.log2(k / n) for k in counts.values())


def strip_classes_and_escapes(rx):
    """The regex with escapes and character classes blanked, for syntax scans."""
    out, i, in_class = [], 0, False
    while i < len(rx):
        c = rx[i]
        if c == "\\":
            out.append("E")
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
                out.append("C")
        elif c == "[":
            in_class = True
            if rx[i + 1:i + 2] == "^":
                i += 1
            if rx[i + 1:i + 2] == "]":
                i += 1
        else:
            out.append(c)
        i += 1
    return "".join(out)


class Hyperscan:
    """Optional compile check with the real libhs (the engine's matcher)."""

    class Error(ctypes.Structure):
        _fields_ = [("message", ctypes.c_char_p), ("expression", ctypes.c_int)]

    def __init__(self):
        name = ctypes.util.find_library("hs") or "libhs.so.5"
        self.lib = ctypes.CDLL(name)
        self.lib.hs_compile.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p,
                                        ctypes.POINTER(ctypes.c_void_p),
                                        ctypes.POINTER(ctypes.POINTER(self.Error))]
        self.lib.hs_compile_multi.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_uint),
                                              ctypes.POINTER(ctypes.c_uint), ctypes.c_uint, ctypes.c_uint,
                                              ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                                              ctypes.POINTER(ctypes.POINTER(self.Error))]
        self.lib.hs_free_database.argtypes = [ctypes.c_void_p]
        self.lib.hs_free_compile_error.argtypes = [ctypes.POINTER(self.Error)]
        self.lib.hs_database_size.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]

    HS_MODE_STREAM = 2

    def compile(self, rx):
        db, err = ctypes.c_void_p(), ctypes.POINTER(self.Error)()
        rc = self.lib.hs_compile(rx.encode(), 0, self.HS_MODE_STREAM, None, ctypes.byref(db), ctypes.byref(err))
        if rc != 0:
            msg = err.contents.message.decode() if err else "error %d" % rc
            self.lib.hs_free_compile_error(err)
            return msg
        self.lib.hs_free_database(db)
        return None

    def compile_all(self, regexes):
        """All rules in one streaming database, as the engine builds it; returns (error, size)."""
        n = len(regexes)
        exprs = (ctypes.c_char_p * n)(*[r.encode() for r in regexes])
        flags = (ctypes.c_uint * n)(*([0] * n))
        ids = (ctypes.c_uint * n)(*range(n))
        db, err = ctypes.c_void_p(), ctypes.POINTER(self.Error)()
        rc = self.lib.hs_compile_multi(exprs, flags, ids, n, self.HS_MODE_STREAM, None, ctypes.byref(db),
                                       ctypes.byref(err))
        if rc != 0:
            msg = err.contents.message.decode() if err else "error %d" % rc
            self.lib.hs_free_compile_error(err)
            return msg, 0
        size = ctypes.c_size_t()
        self.lib.hs_database_size(db, ctypes.byref(size))
        self.lib.hs_free_database(db)
        return None, size.value


class Rule:
    def __init__(self, raw, where):
        self.raw = raw
        self.where = where
        self.id = raw.get("id")
        self.regex = None
        self.entropy = raw.get("entropy")
        self.keywords = raw.get("keywords") or []
        allow = raw.get("allow") or {}
        self.allow_values = [re.compile(v, re.ASCII) for v in allow.get("values") or []]
        self.stopwords = [s.lower() for s in allow.get("stopwords") or []]
        self.paths = [re.compile(p, re.ASCII) for p in raw.get("paths") or []]

    def secret_of(self, m):
        # `secret`, else the first of `secret2`, `secret3`, ... that took part (alternatives).
        named = sorted((g for g in self.regex.groupindex if re.fullmatch(r"secret[0-9]*", g)),
                       key=lambda g: (len(g), g))
        if named:
            for g in named:
                if m.group(g) is not None:
                    return m.group(g)
            return None
        if self.regex.groups >= 1:
            return m.group(1)
        return m.group(0)

    def findings(self, text, global_values, global_stopwords):
        """Secrets this rule reports in text (the engine's confirmation step)."""
        low = text.lower()
        if not any(k in low for k in self.keywords):  # the engine's prefilter: any keyword
            return []
        out = []
        for m in self.regex.finditer(text):
            secret = self.secret_of(m)
            if secret is None:
                continue
            if self.entropy is not None and entropy(secret) < self.entropy:
                continue
            if any(v.search(secret) for v in self.allow_values + global_values):
                continue
            sl = secret.lower()
            if any(s in sl for s in self.stopwords + global_stopwords):
                continue
            out.append((m, secret))
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules",
                                                  "secrets"))
    ap.add_argument("--seeds", type=int, default=8, help="random expansions of each example")
    ap.add_argument("--seed-base", type=int, default=0)
    ap.add_argument("--no-hyperscan", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()

    files = sorted(glob.glob(os.path.join(args.dir, "*.yaml")))
    if not files:
        print("check_secret_rules: no rule files in %s" % args.dir, file=sys.stderr)
        return 2
    problems = []

    def bad(where, rid, msg):
        problems.append("%s: %s: %s" % (where, rid or "?", msg))

    hs = None
    if not args.no_hyperscan:
        try:
            hs = Hyperscan()
        except OSError:
            print("check_secret_rules: libhs not found; Hyperscan compile check skipped", file=sys.stderr)

    rules, seen, global_values, global_stopwords = [], {}, [], []
    per_file = {}
    for path in files:
        name = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            bad(name, None, "cannot load: %s" % str(e).replace("\n", " "))
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
            bad(name, None, "top level must be a mapping with a 'rules' list")
            continue
        unknown_top = set(doc) - {"rules", "allow"}
        if unknown_top:
            bad(name, None, "unknown top-level keys %s" % sorted(unknown_top))
        gallow = doc.get("allow") or {}
        try:
            global_values += [re.compile(v, re.ASCII) for v in gallow.get("values") or []]
        except re.error as e:
            bad(name, None, "global allow value does not compile: %s" % e)
        global_stopwords += [s.lower() for s in gallow.get("stopwords") or []]
        per_file[name] = 0
        for raw in doc["rules"]:
            rid = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(raw, dict):
                bad(name, None, "rule is not a mapping")
                continue
            missing = RULE_KEYS_REQUIRED - set(raw)
            if missing:
                bad(name, rid, "missing keys %s" % sorted(missing))
                continue
            extra = set(raw) - RULE_KEYS_REQUIRED - RULE_KEYS_OPTIONAL
            if extra:
                bad(name, rid, "unknown keys %s" % sorted(extra))
            if not isinstance(rid, str) or not ID_RE.match(rid):
                bad(name, rid, "id must be kebab-case")
            elif rid in seen:
                bad(name, rid, "duplicate id (also in %s)" % seen[rid])
            else:
                seen[rid] = name
            if raw["severity"] not in SEVERITIES:
                bad(name, rid, "severity must be one of %s" % sorted(SEVERITIES))
            for k in ("title", "remediation"):
                if not isinstance(raw[k], str) or not raw[k].strip():
                    bad(name, rid, "%s must be a non-empty string" % k)
            kws = raw["keywords"]
            if not isinstance(kws, list) or not kws or not all(isinstance(k, str) and k for k in kws):
                bad(name, rid, "keywords must be a non-empty list of non-empty strings")
                continue
            for k in kws:
                if k != k.lower():
                    bad(name, rid, "keyword %r must be lowercase" % k)
            ent = raw.get("entropy")
            if ent is not None and (not isinstance(ent, (int, float)) or not 0 <= ent <= 8):
                bad(name, rid, "entropy must be a number in [0, 8]")
            rx = raw["regex"]
            if not isinstance(rx, str) or not rx:
                bad(name, rid, "regex must be a non-empty string")
                continue
            skel = strip_classes_and_escapes(rx)
            for pat, what in FORBIDDEN:
                if pat.search(rx if what in ("backreference", "escape not supported by RE2/Hyperscan") else skel):
                    bad(name, rid, "regex uses %s (not RE2/Hyperscan)" % what)
            for m in re.finditer(r"\{(\d+)(?:,(\d*))?\}", skel):
                hi = max(int(m.group(1)), int(m.group(2) or 0))
                if hi > MAX_REPEAT:
                    bad(name, rid, "bounded repeat %s exceeds %d" % (m.group(0), MAX_REPEAT))
            try:
                rule = Rule(raw, name)
            except (re.error, AttributeError, TypeError) as e:
                bad(name, rid, "allow/paths: %s" % e)
                continue
            try:
                rule.regex = re.compile(rx, re.ASCII)
            except re.error as e:
                bad(name, rid, "regex does not compile: %s" % e)
                continue
            if "secret" not in rule.regex.groupindex and rule.regex.groups > 1:
                bad(name, rid, "several groups but none named 'secret'")
            if hs:
                err = hs.compile(rx)
                if err:
                    bad(name, rid, "Hyperscan rejects the regex: %s" % err)
            for k in ("paths",):
                for p in raw.get(k) or []:
                    try:
                        re.compile(p)
                    except re.error as e:
                        bad(name, rid, "path regex %r: %s" % (p, e))
            try:
                allow = raw.get("allow") or {}
                if set(allow) - {"values", "stopwords", "paths"}:
                    bad(name, rid, "allow has unknown keys %s" % sorted(set(allow) - {"values", "stopwords", "paths"}))
                for p in allow.get("paths") or []:
                    try:
                        re.compile(p)
                    except re.error as e:
                        bad(name, rid, "allow path regex %r: %s" % (p, e))
                for v in allow.get("values") or []:
                    for pat, what in FORBIDDEN[:4]:
                        if pat.search(strip_classes_and_escapes(v)) or (what == "backreference" and pat.search(v)):
                            bad(name, rid, "allow value %r uses %s (not RE2)" % (v, what))
                for s in allow.get("stopwords") or []:
                    if s != s.lower():
                        bad(name, rid, "stopword %r must be lowercase" % s)
            except re.error as e:
                bad(name, rid, "allow value does not compile: %s" % e)
                continue
            ex = raw["examples"]
            if not isinstance(ex, dict) or len(ex.get("match") or []) < 1 or len(ex.get("nomatch") or []) < 2:
                bad(name, rid, "examples need >= 1 match and >= 2 nomatch")
                continue
            rules.append(rule)
            per_file[name] += 1

    for rule in rules:
        ex = rule.raw["examples"]
        for kind in ("match", "nomatch"):
            for tmpl in ex.get(kind) or []:
                if not isinstance(tmpl, str):
                    bad(rule.where, rule.id, "%s example is not a string" % kind)
                    continue
                for seed in range(args.seed_base, args.seed_base + args.seeds):
                    rng = random.Random("%s/%s/%d" % (rule.id, tmpl, seed))
                    text = expand(tmpl, rng)
                    found = rule.findings(text, global_values, global_stopwords)
                    if kind == "match" and not found:
                        bad(rule.where, rule.id, "match example gives no finding (seed %d): %r" % (seed, text))
                        break
                    if kind == "nomatch" and found:
                        bad(rule.where, rule.id, "nomatch example gives a finding %r (seed %d): %r"
                            % (found[0][1], seed, text))
                        break
                    if kind == "match":
                        # The engine keeps a match only when one of the rule's keywords is in it.
                        if not any(k in m.group(0).lower() for m, _ in found for k in rule.keywords):
                            bad(rule.where, rule.id, "no keyword is in the match %r" % found[0][0].group(0))
                        if not args.verbose:
                            pass
                    if "{" in text and TEMPLATE_RE.search(text):
                        bad(rule.where, rule.id, "unexpanded template in %r" % text)

    if hs and rules:
        err, size = hs.compile_all([r.raw["regex"] for r in rules])
        if err:
            problems.append("all rules: Hyperscan rejects the combined database: %s" % err)
        elif args.verbose:
            print("hyperscan streaming database: %d rules, %d bytes" % (len(rules), size))

    for name in sorted(per_file):
        if args.verbose:
            print("%s: %d rules" % (name, per_file[name]))
    for p in problems:
        print(p)
    print("check_secret_rules: %d rules in %d files, %d problem(s)" % (len(rules), len(per_file), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
