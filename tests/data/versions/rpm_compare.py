"""Reference oracle for the rpm scheme tests (needs python3-rpm).

Reads "A<TAB>B" lines on stdin; prints "<", "=" or ">" per pair as rpm orders the two EVR strings
(rpm.ver parses [epoch:]version[-release] and compares like rpm itself), "E" if rpm refuses one.
"""
import sys

import rpm

out = []
for line in sys.stdin:
    a, _, b = line.rstrip("\n").partition("\t")
    try:
        x, y = rpm.ver(a), rpm.ver(b)
        out.append("<" if x < y else ">" if x > y else "=")
    except Exception:  # noqa: BLE001 - any refusal is reported, not raised
        out.append("E")
sys.stdout.write("\n".join(out) + ("\n" if out else ""))
