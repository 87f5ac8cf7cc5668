#!/usr/bin/env python3
"""Scores `leastpriv scan` against the hand-verified real-world manifest.

Usage: score.py MANIFEST CORPUS_DIR LEASTPRIV [--repo OWNER/NAME] [--details]

CORPUS_DIR holds one checkout per repository, named OWNER+NAME, at the
manifest's commit (a file OWNER+NAME/.commit, when present, is checked).
A call site is (file, line, action). Recall is the share of expected sites
the scan reports, precision the share of reported sites that are expected.
A matched site's tables are right when every expected (table, index) there
is reported with an accepted name and nothing else is reported there.
Repositories missing from CORPUS_DIR are skipped and listed.
"""

import json
import os
import subprocess
import sys


def load_expected(entry):
    sites = {}
    for op in entry["operations"]:
        key = (op["file"], op["line"], op["action"])
        names = [op["table"]] + list(op.get("table_alternatives") or [])
        sites.setdefault(key, []).append((names, op.get("index")))
    return sites


def scan(leastpriv, root):
    proc = subprocess.run(
        [leastpriv, "scan", root, "--format", "json", "--include-tests"],
        capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError("scan of %s failed (%d): %s" %
                           (root, proc.returncode, proc.stderr.strip()))
    result = json.loads(proc.stdout)
    sites = {}
    for op in result["operations"]:
        key = (op["file"], op["line"], op["action"])
        sites.setdefault(key, []).append((op["table"], op.get("index")))
    return sites, result


def tables_right(expected, found):
    unmatched = list(found)
    for names, index in expected:
        hit = next((f for f in unmatched if f[0] in names and f[1] == index),
                   None)
        if hit is None:
            return False
        unmatched.remove(hit)
    # A reported table that repeats an accepted one is not wrong; any other
    # extra table is.
    for table, index in unmatched:
        if not any(table in names and index == i for names, i in expected):
            return False
    return True


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    manifest_path, corpus, leastpriv = argv[1:4]
    only = None
    details = "--details" in argv
    if "--repo" in argv:
        only = argv[argv.index("--repo") + 1]
    with open(manifest_path) as f:
        manifest = json.load(f)
    totals = dict(expected=0, found=0, matched=0, tables=0)
    by_set = {}
    missing_repos = []
    rows = []
    for entry in manifest["repositories"]:
        if only and entry["repo"] != only:
            continue
        root = os.path.join(corpus, entry["repo"].replace("/", "+"))
        if not os.path.isdir(root):
            missing_repos.append(entry["repo"])
            continue
        commit_file = os.path.join(root, ".commit")
        if os.path.exists(commit_file):
            with open(commit_file) as f:
                have = f.read().strip()
            if have != entry["commit"]:
                print("%s: checkout is at %s, manifest says %s" %
                      (entry["repo"], have, entry["commit"]), file=sys.stderr)
                return 2
        expected = load_expected(entry)
        found, _ = scan(leastpriv, root)
        matched = [k for k in expected if k in found]
        right = [k for k in matched if tables_right(expected[k], found[k])]
        rows.append((entry["repo"], len(expected), len(found), len(matched),
                     len(right)))
        part = by_set.setdefault(entry.get("set", "all"), [0, 0, 0, 0, 0])
        for i, n in enumerate((1, len(expected), len(found), len(matched),
                               len(right))):
            part[i] += n
        totals["expected"] += len(expected)
        totals["found"] += len(found)
        totals["matched"] += len(matched)
        totals["tables"] += len(right)
        if details:
            for k in sorted(set(expected) - set(found)):
                print("  MISSED %s %s:%d %s %s" % (entry["repo"], k[0], k[1],
                                                   k[2], expected[k]))
            for k in sorted(set(found) - set(expected)):
                print("  EXTRA  %s %s:%d %s %s" % (entry["repo"], k[0], k[1],
                                                   k[2], found[k]))
            for k in sorted(set(matched) - set(right)):
                print("  TABLE  %s %s:%d %s expected %s found %s" %
                      (entry["repo"], k[0], k[1], k[2], expected[k], found[k]))

    def ratio(a, b):
        return a / b if b else 1.0

    print("%-52s %8s %6s %7s %6s %9s %6s" %
          ("repository", "expected", "found", "matched", "recall",
           "precision", "tables"))
    for repo, e, f, m, t in rows:
        print("%-52s %8d %6d %7d %6.3f %9.3f %6.3f" %
              (repo, e, f, m, ratio(m, e), ratio(m, f), ratio(t, m)))
    print("%-52s %8d %6d %7d %6.3f %9.3f %6.3f" %
          ("TOTAL (%d repositories)" % len(rows), totals["expected"],
           totals["found"], totals["matched"],
           ratio(totals["matched"], totals["expected"]),
           ratio(totals["matched"], totals["found"]),
           ratio(totals["tables"], totals["matched"])))
    if len(by_set) > 1:
        for name, (n, e, f, m, t) in sorted(by_set.items()):
            print("%-52s %8d %6d %7d %6.3f %9.3f %6.3f" %
                  ("  %s (%d repositories)" % (name, n), e, f, m,
                   ratio(m, e), ratio(m, f), ratio(t, m)))
    if missing_repos:
        print("not in the corpus directory (skipped): " +
              ", ".join(missing_repos))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
