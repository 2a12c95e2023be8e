#!/usr/bin/env python3
"""Whole-process comparison of chart loading: chartkit loading every corpus chart in one
process, and `chartkit show chart` run once per chart, each against `helm show chart` run once
per chart (the closest helm command that only loads a chart). The per-chart line is the
like-for-like one; the one-process line shows what an embedding tool gains.

Usage: scripts/compare-load.py [ROUNDS]   (needs a release build of load_all; builds it)
Prints the median wall time of each side over ROUNDS rounds, and the ratio helm/chartkit.
"""
import os, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("CHARTKIT_SHARED", os.path.join(root, "..", "shared"))
cache = os.environ.get("CHARTKIT_HELM_CACHE", os.path.expanduser("~/.cache/chartkit/helm-v4"))
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5

helm = subprocess.run(["bash", os.path.join(shared, "oracle/get-helm.sh"), "4", cache],
                      check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
subprocess.run(["cargo", "build", "--release", "-q", "-p", "chartkit-benches", "--bin", "load_all"],
               cwd=root, check=True)
subprocess.run(["cargo", "build", "--release", "-q", "-p", "chartkit"], cwd=root, check=True)
chartkit = os.path.join(root, "target", "release", "chartkit")
load_all = os.path.join(root, "target", "release", "load_all")
charts_dir = os.path.join(shared, "corpus", "charts")
charts = sorted(os.path.join(charts_dir, c) for c in os.listdir(charts_dir))

def timed(fn):
    t = time.perf_counter(); fn(); return time.perf_counter() - t

def ours():
    subprocess.run([load_all, *charts], check=True, capture_output=True)

def per_chart(binary):
    for c in charts:
        subprocess.run([binary, "show", "chart", c], check=True, capture_output=True)

ours(); per_chart(chartkit); per_chart(helm)  # warm the page cache
a = statistics.median(timed(ours) for _ in range(rounds))
p = statistics.median(timed(lambda: per_chart(chartkit)) for _ in range(rounds))
b = statistics.median(timed(lambda: per_chart(helm)) for _ in range(rounds))
print(f"{len(charts)} charts, median of {rounds} rounds")
print(f"chartkit (one process, load only):     {a*1e3:8.1f} ms")
print(f"chartkit show chart (one per chart):   {p*1e3:8.1f} ms")
print(f"helm show chart (one per chart):       {b*1e3:8.1f} ms")
print(f"ratio helm/chartkit, per-chart processes: {b/p:.1f}x")
print(f"ratio helm/chartkit, one chartkit process: {b/a:.1f}x")
