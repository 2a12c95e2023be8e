#!/usr/bin/env python3
"""Whole-process `chartkit template` against `helm template` over the corpus renders.

For every row of ../shared/corpus/golden/INDEX.tsv, runs both commands (from the corpus folder,
as the goldens were made) a few times, keeps the fastest wall time and the peak RSS, and prints
per-render ratios plus the median speed ratio. Exit code 1 if any render is not faster or uses
more memory (so CI can watch it; pass --report-only to never fail).

Usage: scripts/compare-template.py [--chartkit BIN] [--helm BIN] [--runs N] [--report-only]
"""
import argparse, os, resource, statistics, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
# The binary scripts/build-release.sh installs, else a plain release build.
dist = os.path.join(here, "..", "target", "dist", "chartkit")
ap.add_argument("--chartkit", default=dist if os.path.exists(dist) else os.path.join(here, "..", "target", "release", "chartkit"))
ap.add_argument("--helm", default=os.path.join(os.environ.get("CHARTKIT_HELM_CACHE", os.path.expanduser("~/.cache/chartkit/helm-v4")), "helm"))
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--report-only", action="store_true")
args = ap.parse_args()
corpus = os.path.join(os.environ.get("CHARTKIT_SHARED", os.path.join(here, "..", "..", "shared")), "corpus")

def measure(cmd):
    best, peak = None, 0
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=corpus, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
        peak = max(peak, usage.ru_maxrss)
    return best, peak

rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(corpus, "golden", "INDEX.tsv"))][1:]
ratios, worse = [], []
print(f"{'render':40} {'helm ms':>8} {'ck ms':>7} {'speed':>6} {'helm MB':>8} {'ck MB':>6}")
for name, variant, rc, size, sha, det, cmd in rows:
    argv = cmd.split()[2:]
    label = name + ("" if variant == "-" else "-" + variant)
    ht, hm = measure([args.helm, "template"] + argv)
    ct, cm = measure([args.chartkit, "template"] + argv)
    r = ht / ct
    ratios.append(r)
    if ct >= ht or cm >= hm:
        worse.append(label)
    print(f"{label:40} {ht*1000:8.1f} {ct*1000:7.1f} {r:5.1f}x {hm/1024:8.1f} {cm/1024:6.1f}")
print(f"\n{len(ratios)} renders: median speed-up {statistics.median(ratios):.1f}x, "
      f"min {min(ratios):.1f}x, max {max(ratios):.1f}x; not faster or not leaner: {worse or 'none'}")
if worse and not args.report_only:
    sys.exit(1)
