#!/usr/bin/env python3
"""Build a template conformance case file whose expectations come from the real helm.

Input: a YAML list of {id, category?, template, values?, files?, flags?} (no expectations).
Output: the same list with `expect` or `expect_error` filled in from `helm template` (Helm 4),
in the format of ../shared/conformance/template-cases.yaml, ready for
`cargo run -p chart-render --example conformance -- OUT`.

Usage: scripts/make-cases.py IN.yaml OUT.yaml [HELM_BINARY]
Needs PyYAML. The generated file stays outside the repository (it is helm's output).
"""
import os, re, shutil, subprocess, sys, tempfile
import yaml

src, dst = sys.argv[1], sys.argv[2]
helm = sys.argv[3] if len(sys.argv) > 3 else os.path.expanduser("~/.cache/chartkit/helm-v4/helm")
cases = yaml.safe_load(open(src))

MARK = "@@END-OF-CASE@@"

def build(dirname, case, sentinel=True):
    chart = os.path.join(dirname, "chart")
    shutil.rmtree(chart, ignore_errors=True)
    os.makedirs(os.path.join(chart, "templates"))
    open(os.path.join(chart, "Chart.yaml"), "w").write("apiVersion: v2\nname: conf\nversion: 0.1.0\n")
    if case.get("values") is not None:
        open(os.path.join(chart, "values.yaml"), "w").write(case["values"])
    # A marker after the template keeps helm's final trimming away from the case's own output.
    open(os.path.join(chart, "templates", case["id"] + ".yaml"), "w").write(case["template"] + (MARK if sentinel else ""))
    for name, data in (case.get("files") or {}).items():
        p = os.path.join(chart, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w").write(data)
    if sentinel:
        open(os.path.join(chart, "templates", "zz-sentinel-a.yaml"), "w").write("sentinel a")
        open(os.path.join(chart, "templates", "zz-sentinel-b.yaml"), "w").write("sentinel b")

def run(dirname, case):
    env = dict(os.environ, TZ="UTC")
    return subprocess.run([helm, "template", "rel", "./chart", "--namespace", "ns", "--debug"] + (case.get("flags") or []),
                          cwd=dirname, capture_output=True, text=True, env=env)

def blocks(out):
    res = {}
    parts = re.split(r"^---\n# Source: (.*)\n", out, flags=re.M)
    for i in range(1, len(parts), 2):
        res[parts[i]] = (parts[i + 1], i + 2 >= len(parts))
    return res

def clean_error(err):
    msg = err.strip()
    if "Error: " in msg:
        msg = msg[msg.index("Error: ") + len("Error: "):]
    msg = msg.split("\nUse --debug")[0]
    lines = [l for l in msg.splitlines() if not l.startswith("level=")]
    msg = "\n".join(lines)
    for pat in [r"^template: [^ ]+: executing \"[^\"]*\" at <.*?>: ", r"^parse error at \([^)]*\): ",
                r"^execution error at \([^)]*\): ", r"^[^\s]+:\d+:\d+\n\s+executing \"[^\"]*\" at <.*?>:\n"]:
        msg = re.sub(pat, "", msg, flags=re.S)
    return " ".join(msg.split())

out = []
with tempfile.TemporaryDirectory() as tmp:
    for case in cases:
        case = dict(case)
        name = "conf/templates/%s.yaml" % case["id"]
        expect = None
        build(tmp, case)
        p = run(tmp, case)
        b = blocks(p.stdout)
        if name in b:
            content = b[name][0]
            if MARK in content:
                expect = content[:content.rindex(MARK)]
                if not expect.strip():
                    expect = ""
        if expect is not None:
            case["expect"] = expect
        else:
            build(tmp, case, sentinel=False)
            p = run(tmp, case)
            if p.returncode != 0 and "YAML parse error" not in p.stderr:
                case["expect_error"] = clean_error(p.stderr)
                case["error_full"] = p.stderr.strip()
            else:
                case["expect"] = ""
        out.append(case)
yaml.safe_dump(out, open(dst, "w"), sort_keys=False, allow_unicode=True, width=10000, default_style='"')
print("wrote %d cases to %s" % (len(out), dst))
