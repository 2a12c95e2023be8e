#!/usr/bin/env python3
"""Compare `chartkit template` with helm's goldens over ../shared/corpus (deterministic renders).

Reports, per render, whether the output is byte-identical and whether the same set of
(source, document) pairs came out (order-insensitive, for while the output assembly is simple).
Usage: scripts/corpus-diff.py [CHARTKIT_BINARY] [-v]
"""
import os, subprocess, sys, collections

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "..", "..", "shared", "corpus")
binary = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else os.path.join(here, "..", "target", "release", "chartkit")
verbose = "-v" in sys.argv

def docs(text):
    out = collections.Counter()
    for block in text.split("---\n# Source: ")[1:]:
        src, _, body = block.partition("\n")
        out[(src, body.strip())] += 1
    return out

rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(corpus, "golden", "INDEX.tsv"))][1:]
identical = same_docs = total = 0
for name, variant, rc, size, sha, det, cmd in rows:
    if det != "yes":
        continue
    total += 1
    args = cmd.split()[2:]  # after "helm template"
    golden = open(os.path.join(corpus, "golden", name + ("" if variant == "-" else "-" + variant) + ".yaml")).read()
    p = subprocess.run([binary, "template"] + args, cwd=corpus, capture_output=True, text=True)
    label = name + ("" if variant == "-" else "-" + variant)
    if p.returncode != 0:
        print(f"ERROR {label}: {p.stderr.strip()[:300]}")
        continue
    if p.stdout == golden:
        identical += 1
        same_docs += 1
        continue
    g, o = docs(golden), docs(p.stdout)
    if g == o:
        same_docs += 1
        if verbose:
            print(f"ORDER {label}")
        continue
    missing = g - o
    extra = o - g
    print(f"DIFF  {label}: {sum(missing.values())} golden docs missing, {sum(extra.values())} extra")
    if verbose:
        for (src, body) in list(missing)[:2]:
            print(f"  - {src}\n{body[:600]}")
        for (src, body) in list(extra)[:2]:
            print(f"  + {src}\n{body[:600]}")
print(f"{total} deterministic renders: {identical} byte-identical, {same_docs} same documents")
