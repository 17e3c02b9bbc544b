"""Helpers shared by the measurement scripts (scripts/peers/peers.py, scripts/rss/rss.py).

They import it after putting this folder on sys.path (without leaving bytecode there):

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
"""
import csv
import glob
import os
import sys


def csv_rows(directory, suffix=".csv", skip=()):
    """Yields (name, row) for every row of every DIRECTORY/*SUFFIX, files in name order, rows
    as dicts; name is the file name without SUFFIX. Files whose name starts with one of the
    prefixes in the tuple SKIP are left out. Fields of any size are read (texts can be long)."""
    csv.field_size_limit(sys.maxsize)
    for path in sorted(glob.glob(os.path.join(directory, "*" + suffix))):
        name = os.path.basename(path)[: -len(suffix)]
        if name.startswith(tuple(skip)):
            continue
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                yield name, row
