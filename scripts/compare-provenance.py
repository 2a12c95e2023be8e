#!/usr/bin/env python3
"""Whole-process signing and verifying of 100 charts: chartkit against helm.

Packages and signs 100 charts (the corpus charts in a cycle) with
`package CHART --sign --key K --keyring SECRING -d DIR`, then verifies each archive with
`verify TGZ --keyring PUBRING`, once with each TEST-ONLY key of
../shared/provenance-fixtures (RSA-3072, Ed25519), for helm and for chartkit; prints the wall
time of each phase and helm/chartkit ratios (above 1: chartkit is faster). Every helm verify of a
chartkit signature must succeed too (exit code 1 otherwise).

Usage: scripts/compare-provenance.py [--chartkit BIN] [--helm BIN] [--count N]
"""
import argparse, os, shutil, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
# The binary scripts/build-release.sh installs, else a plain release build.
dist = os.path.join(here, "..", "target", "dist", "chartkit")
ap.add_argument("--chartkit", default=dist if os.path.exists(dist) else os.path.join(here, "..", "target", "release", "chartkit"))
ap.add_argument("--helm", default=os.path.join(os.environ.get("CHARTKIT_HELM_CACHE", os.path.expanduser("~/.cache/chartkit/helm-v4")), "helm"))
ap.add_argument("--count", type=int, default=100)
args = ap.parse_args()
shared = os.environ.get("CHARTKIT_SHARED", os.path.join(here, "..", "..", "shared"))
corpus = os.path.join(shared, "corpus", "charts")
keys = os.path.join(shared, "provenance-fixtures", "TEST-ONLY-KEYS")
charts = sorted(os.path.join(corpus, c) for c in os.listdir(corpus)
                if os.path.isfile(os.path.join(corpus, c, "Chart.yaml")))
work = [charts[i % len(charts)] for i in range(args.count)]

def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.decode()}")

def sign_all(tool, key, secring, out):
    archives = []
    t0 = time.perf_counter()
    for i, chart in enumerate(work):
        dest = os.path.join(out, str(i))
        run([tool, "package", chart, "--sign", "--key", key, "--keyring", secring, "-d", dest])
        archives.append(dest)
    dt = time.perf_counter() - t0
    tgzs = []
    for dest in archives:
        tgzs += [os.path.join(dest, f) for f in os.listdir(dest) if f.endswith(".tgz")]
    return dt, tgzs

def verify_all(tool, tgzs, pubring):
    t0 = time.perf_counter()
    for tgz in tgzs:
        run([tool, "verify", tgz, "--keyring", pubring])
    return time.perf_counter() - t0

print(f"{args.count} charts per phase, whole-process wall time (s)")
print(f"{'phase':34} {'helm':>7} {'chartkit':>9} {'ratio':>6}")
ratios = []
for label, key, sec, pub in [("RSA-3072", "Chartkit Test RSA", "rsa-secring.gpg", "rsa-pubring.gpg"),
                             ("Ed25519", "Chartkit Test Ed25519", "ed25519-secring.gpg", "ed25519-pubring.gpg")]:
    sec, pub = os.path.join(keys, sec), os.path.join(keys, pub)
    with tempfile.TemporaryDirectory() as tmp:
        hs, htgz = sign_all(args.helm, key, sec, os.path.join(tmp, "helm"))
        cs, ctgz = sign_all(args.chartkit, key, sec, os.path.join(tmp, "chartkit"))
        hv = verify_all(args.helm, htgz, pub)
        cv = verify_all(args.chartkit, ctgz, pub)
        # helm must accept every chartkit signature (and chartkit every helm one).
        verify_all(args.helm, ctgz, pub)
        verify_all(args.chartkit, htgz, pub)
    for phase, h, c in [(f"package --sign ({label})", hs, cs), (f"verify ({label})", hv, cv)]:
        ratios.append(h / c)
        print(f"{phase:34} {h:7.2f} {c:9.2f} {h / c:5.1f}x")
print(f"\nratios helm/chartkit: min {min(ratios):.1f}x, max {max(ratios):.1f}x; "
      f"helm verified all {2 * args.count} chartkit signatures")
