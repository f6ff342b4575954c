#!/usr/bin/env python3
"""Copies the evaluation datasets of `npm run bench -- ask` out of the vega-datasets npm
package (node_modules/vega-datasets/data, version 3.2.1) into this folder.

CSV sources are copied byte for byte; JSON sources (arrays of flat objects) become CSV with
the keys of the first object as the header, in their order, `null` as an empty cell, and
numbers as Python's `repr` writes them (39.1 stays 39.1, 3750 stays 3750). Each source's
git blob SHA-1 is checked against the `hash` of the package's datapackage.json first, so a
different release of the package is noticed instead of silently changing the answers.

Usage: python3 bench/data/ask/convert.py   (from the repository root or anywhere)
Python 3 standard library only.
"""
import csv
import hashlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parents[2] / 'node_modules' / 'vega-datasets'

# source file in the package -> file written here
FILES = {
    'weather.csv': 'weather.csv',
    'iowa-electricity.csv': 'iowa-electricity.csv',
    'birdstrikes.csv': 'birdstrikes.csv',
    'penguins.json': 'penguins.csv',
    'gapminder.json': 'gapminder.csv',
    'unemployment-across-industries.json': 'unemployment-across-industries.csv',
}


def cell(value):
    if value is None:
        return ''
    if isinstance(value, float) and value.is_integer():
        # JSON `18.0` would otherwise be written `18.0`; the source wrote 18, keep that.
        return str(int(value))
    return value


def main():
    package = json.loads((PACKAGE / 'datapackage.json').read_text())
    hashes = {r['path']: r.get('hash', '') for r in package['resources']}
    failed = False
    for source, target in FILES.items():
        path = PACKAGE / 'data' / source
        data = path.read_bytes()
        # datapackage.json holds git's blob hash: SHA-1 of `blob <size>\0` and the bytes.
        digest = 'sha1:' + hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest()
        if hashes.get(source) != digest:
            print(f'{source}: {digest} is not the {hashes.get(source)} of datapackage.json',
                  file=sys.stderr)
            failed = True
            continue
        if source.endswith('.csv'):
            shutil.copyfile(path, HERE / target)
        else:
            records = json.loads(path.read_text())
            header = list(records[0].keys())
            with open(HERE / target, 'w', newline='', encoding='utf-8') as out:
                writer = csv.writer(out, lineterminator='\n')
                writer.writerow(header)
                for record in records:
                    writer.writerow([cell(record.get(key)) for key in header])
        print(f'{target}: from {source} ({digest})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
