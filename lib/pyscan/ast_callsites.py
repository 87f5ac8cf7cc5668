#!/usr/bin/env python3
# Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
"""Prints the call sites CPython's ast module sees, in the same format as
//lib/pyscan:callsites_dump, so the two can be compared file by file.

Definition of a call site: every ast.Call node (calls inside f-string
replacement fields, decorators, default values, annotations, lambdas and
comprehensions included; class patterns in `case` clauses are not calls).
It is printed as "LINE CALLEE" where LINE is the Call node's lineno (the line
where the whole call expression starts, i.e. where its callee starts) and
CALLEE renders the called expression as written:
  name              -> "f"
  attribute chain   -> "a.b.c"
  a call result     -> callee + "()"      (a.b(c)(d) gives "a.b" and "a.b()")
  a subscript       -> value + "[]"       (x[0].f() gives "x[].f")
  anything else     -> "?"                ("".join(x) gives "?.join")
Each file's set of (LINE, CALLEE) pairs is printed sorted and deduplicated.
A file ast cannot parse prints "ERROR <message>".

Usage: ast_callsites.py FILE...
"""
import ast
import sys


def render(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return render(node.value) + "." + node.attr
    if isinstance(node, ast.Call):
        return render(node.func) + "()"
    if isinstance(node, ast.Subscript):
        return render(node.value) + "[]"
    return "?"


def main(paths):
    sys.setrecursionlimit(100000)
    out = sys.stdout
    for path in paths:
        out.write("FILE %s\n" % path)
        try:
            with open(path, "rb") as f:
                tree = ast.parse(f.read(), filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
            out.write("ERROR %s\n" % str(e).replace("\n", " "))
            continue
        sites = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                sites.add((node.lineno, render(node.func)))
        for line, callee in sorted(sites):
            out.write("%d %s\n" % (line, callee))


if __name__ == "__main__":
    main(sys.argv[1:])
