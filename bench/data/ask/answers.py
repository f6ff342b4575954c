#!/usr/bin/env python3
"""The expected answers of questions.json, computed from the CSVs beside it.

Every answerable question has a spec in SPECS below (same id), a few keys read by
`answer()`; an unanswerable one has `None` (its expected answer is `null`: a refusal).
Python's standard library only, and nothing shared with Sightline's compiler, so a bug
there cannot hide itself here. Conventions (percentiles, buckets, nulls): SOURCE.md.

    python3 bench/data/ask/answers.py          writes `expected` into questions.json
    python3 bench/data/ask/answers.py --check  exits 1 when questions.json differs

A spec:
    agg      'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max' | 'median' | 'p90'
             | 'p95' | 'share'; with `col` (all but count and share)
    measures [(agg, col), ...] instead of agg/col, for several measures
    select   a column whose values (of the filtered rows) are the answer, instead of agg
    where    [(col, op, value...), ...], ANDed: eq, ne, lt, lte, gt, gte, in (list),
             between (from, to; inclusive, a date bound takes its whole day), year (n),
             month ('YYYY-MM'), weekday ([1..7], ISO), is_null, not_null
    group    col, or (col, bucket): year, quarter, month, week, day, weekday
    order    'desc' | 'asc' (groups by the first measure); else groups by label
    limit    N (top-N)
    compare  [(label, where), (label, where)]: each group's measures, in that order
"""
import csv
import datetime as dt
import json
import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / 'questions.json'
DECIMALS = 4
WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
DATETIME = re.compile(r'^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$')
INTEGER = re.compile(r'^-?\d+$')
NUMBER = re.compile(r'^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$')


# --- loading --------------------------------------------------------------------------

def column_type(cells):
    values = [c for c in cells if c != '']
    for name, pattern in (('integer', INTEGER), ('number', NUMBER), ('date', DATE),
                          ('datetime', DATETIME)):
        if values and all(pattern.match(v) for v in values):
            return name
    return 'string'


def parse(cell, kind):
    if cell == '':
        return None
    if kind == 'integer':
        return int(cell)
    if kind == 'number':
        return float(cell)
    if kind == 'date':
        return dt.datetime.strptime(cell, '%Y-%m-%d').replace(tzinfo=dt.timezone.utc)
    if kind == 'datetime':
        return dt.datetime.fromisoformat(cell.replace('Z', '+00:00')).astimezone(dt.timezone.utc)
    return cell


_TABLES = {}


def table(name):
    """The rows of bench/data/ask/<name>.csv as dicts of typed values."""
    if name not in _TABLES:
        with open(HERE / f'{name}.csv', newline='', encoding='utf-8') as f:
            reader = csv.reader(f)
            header = next(reader)
            raw = list(reader)
        kinds = [column_type([r[k] for r in raw]) for k in range(len(header))]
        _TABLES[name] = [
            {h: parse(r[k], kinds[k]) for k, h in enumerate(header)} for r in raw
        ]
    return _TABLES[name]


# --- filters, buckets, aggregates -----------------------------------------------------

def as_time(value, upper=False):
    """A filter bound on a date/datetime column; a date-only upper bound ends its day."""
    if isinstance(value, str) and DATE.match(value):
        day = dt.datetime.strptime(value, '%Y-%m-%d').replace(tzinfo=dt.timezone.utc)
        return day + dt.timedelta(days=1) - dt.timedelta(microseconds=1) if upper else day
    if isinstance(value, str) and DATETIME.match(value):
        return dt.datetime.fromisoformat(value.replace('Z', '+00:00'))
    return value


def holds(row, condition):
    col, op, *args = condition
    v = row[col]
    if op == 'is_null':
        return v is None
    if op == 'not_null':
        return v is not None
    if v is None:
        return False
    if op == 'eq':
        return v == as_time(args[0])
    if op == 'ne':
        return v != as_time(args[0])
    if op == 'in':
        return v in args[0]
    if op == 'lt':
        return v < as_time(args[0])
    if op == 'lte':
        return v <= as_time(args[0], upper=True)
    if op == 'gt':
        return v > as_time(args[0], upper=True)
    if op == 'gte':
        return v >= as_time(args[0])
    if op == 'between':
        return as_time(args[0]) <= v <= as_time(args[1], upper=True)
    if op == 'year':
        return v.year == args[0]
    if op == 'month':
        return v.strftime('%Y-%m') == args[0]
    if op == 'weekday':
        return v.isoweekday() in args[0]
    raise ValueError(f'unknown op {op}')


def bucket(value, unit):
    if value is None:
        return None
    if unit == 'year':
        return value.strftime('%Y')
    if unit == 'quarter':
        return f'{value.year}-Q{(value.month - 1) // 3 + 1}'
    if unit == 'month':
        return value.strftime('%Y-%m')
    if unit == 'week':
        return (value - dt.timedelta(days=value.isoweekday() - 1)).strftime('%Y-%m-%d')
    if unit == 'day':
        return value.strftime('%Y-%m-%d')
    if unit == 'weekday':
        return WEEKDAYS[value.isoweekday() - 1]
    raise ValueError(f'unknown bucket {unit}')


def percentile_cont(values, fraction):
    """PostgreSQL's percentile_cont: linear interpolation between the nearest ranks."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def aggregate(agg, col, rows, total):
    if agg == 'count':
        return len(rows)
    if agg == 'share':
        return len(rows) / total if total else None
    values = [r[col] for r in rows if r[col] is not None]
    if agg == 'count_distinct':
        return len(set(values))
    if not values:
        return None
    if agg == 'sum':
        return sum(values)
    if agg == 'avg':
        return sum(values) / len(values)
    if agg == 'min':
        return min(values)
    if agg == 'max':
        return max(values)
    fractions = {'median': 0.5, 'p90': 0.9, 'p95': 0.95}
    if agg in fractions:
        return percentile_cont(values, fractions[agg])
    raise ValueError(f'unknown aggregate {agg}')


def shown(value):
    if isinstance(value, float):
        rounded = round(value, DECIMALS)
        return int(rounded) if rounded.is_integer() else rounded
    if isinstance(value, dt.datetime):
        return value.strftime('%Y-%m-%d') if value.time() == dt.time(0) else value.isoformat()
    return value


# --- a spec's answer ------------------------------------------------------------------

def measures_of(spec):
    if 'measures' in spec:
        return spec['measures']
    return [(spec['agg'], spec.get('col'))]


def measure_name(agg, col):
    return agg if col is None else f'{agg}_{col}'


def answer(dataset, spec):
    rows = [r for r in table(dataset) if all(holds(r, c) for c in spec.get('where', []))]
    if not rows:
        raise ValueError('no row passes the filters')
    if 'select' in spec:
        return {'columns': [spec['select']], 'rows': [[shown(r[spec['select']])] for r in rows]}
    measures = measures_of(spec)
    names = [measure_name(agg, col) for agg, col in measures]

    if 'compare' in spec:
        out = []
        for label, where in spec['compare']:
            part = [r for r in rows if all(holds(r, c) for c in where)]
            if not part:
                raise ValueError(f'comparison group {label} is empty')
            out.append([label] + [shown(aggregate(a, c, part, len(part))) for a, c in measures])
        return {'columns': ['compared'] + names, 'rows': out}

    if 'group' not in spec:
        return {'columns': names,
                'rows': [[shown(aggregate(a, c, rows, len(rows))) for a, c in measures]]}

    group = spec['group']
    col, unit = group if isinstance(group, tuple) else (group, None)
    groups = {}
    for r in rows:
        key = bucket(r[col], unit) if unit else r[col]
        groups.setdefault(key, []).append(r)
    out = [[key] + [aggregate(a, c, part, len(rows)) for a, c in measures]
           for key, part in groups.items() if key is not None]
    if 'order' in spec:
        out.sort(key=lambda row: row[1], reverse=spec['order'] == 'desc')
        limit = spec.get('limit')
        if limit is not None:
            if len(out) > limit and out[limit - 1][1] == out[limit][1]:
                raise ValueError(f'groups {limit} and {limit + 1} tie at {out[limit][1]}')
            out = out[:limit]
    elif unit == 'weekday':
        out.sort(key=lambda row: WEEKDAYS.index(row[0]))
    else:
        out.sort(key=lambda row: (isinstance(row[0], str), row[0]))
    label = col if unit is None else f'{col}_{unit}'
    return {'columns': [label] + names, 'rows': [[shown(v) for v in row] for row in out]}


# --- the specs ------------------------------------------------------------------------

SPECS = {
    # --- weather: Seattle and New York, daily, 2012-2015 --------------------------------
    'weather-01': {'agg': 'avg', 'col': 'temp_max'},
    'weather-02': {'agg': 'count'},
    'weather-03': {'agg': 'max', 'col': 'wind'},
    'weather-04': {'agg': 'sum', 'col': 'precipitation'},
    'weather-05': {'agg': 'avg', 'col': 'temp_max', 'where': [('weather', 'eq', 'rain')]},
    'weather-06': {'agg': 'count',
                   'where': [('location', 'eq', 'New York'), ('weather', 'eq', 'snow')]},
    'weather-07': {'agg': 'avg', 'col': 'temp_min',
                   'where': [('location', 'eq', 'Seattle'), ('date', 'month', '2014-03')]},
    'weather-08': {'agg': 'min', 'col': 'temp_min',
                   'where': [('location', 'eq', 'New York'), ('date', 'year', 2015)]},
    'weather-09': {'agg': 'count',
                   'where': [('location', 'eq', 'Seattle'), ('precipitation', 'gt', 20)]},
    'weather-10': {'select': 'temp_max',
                   'where': [('location', 'eq', 'Seattle'), ('date', 'eq', '2014-07-04')]},
    'weather-11': {'agg': 'avg', 'col': 'temp_max', 'group': 'location'},
    'weather-12': {'agg': 'count', 'group': 'weather'},
    'weather-13': {'agg': 'sum', 'col': 'precipitation', 'group': 'location'},
    'weather-14': {'agg': 'median', 'col': 'wind', 'group': 'weather'},
    'weather-15': {'agg': 'sum', 'col': 'precipitation', 'where': [('location', 'eq', 'Seattle')],
                   'group': ('date', 'month'), 'order': 'desc', 'limit': 3},
    'weather-16': {'agg': 'avg', 'col': 'wind', 'group': 'weather', 'order': 'desc', 'limit': 1},
    'weather-17': {'agg': 'avg', 'col': 'temp_max', 'group': 'weather', 'order': 'asc',
                   'limit': 2},
    'weather-18': {'agg': 'avg', 'col': 'temp_max', 'where': [('location', 'eq', 'Seattle')],
                   'group': ('date', 'year')},
    'weather-19': {'agg': 'sum', 'col': 'precipitation',
                   'where': [('location', 'eq', 'New York'), ('date', 'year', 2015)],
                   'group': ('date', 'month')},
    'weather-20': {'agg': 'count',
                   'where': [('location', 'eq', 'Seattle'), ('weather', 'eq', 'rain'),
                             ('date', 'year', 2013)],
                   'group': ('date', 'quarter')},
    'weather-21': {'agg': 'avg', 'col': 'wind', 'group': ('date', 'weekday')},
    'weather-22': {'agg': 'avg', 'col': 'temp_max',
                   'compare': [('Seattle', [('location', 'eq', 'Seattle')]),
                               ('New York', [('location', 'eq', 'New York')])]},
    'weather-23': {'agg': 'sum', 'col': 'precipitation',
                   'compare': [('2014', [('date', 'year', 2014)]),
                               ('2015', [('date', 'year', 2015)])]},
    'weather-24': {'agg': 'avg', 'col': 'wind',
                   'compare': [('sun', [('weather', 'eq', 'sun')]),
                               ('rain', [('weather', 'eq', 'rain')])]},
    'weather-25': {'agg': 'avg', 'col': 'temp_max',
                   'where': [('location', 'eq', 'New York'), ('date', 'weekday', [6, 7])]},
    'weather-26': {'agg': 'min', 'col': 'temp_min'},
    'weather-27': None,  # humidity: no such column
    'weather-28': None,  # "better": vague
    'weather-29': None,  # air pressure: no such column

    # --- penguins: Palmer Archipelago, 344 birds ----------------------------------------
    'penguins-01': {'agg': 'count'},
    'penguins-02': {'agg': 'avg', 'col': 'Body Mass (g)'},
    'penguins-03': {'agg': 'max', 'col': 'Flipper Length (mm)'},
    'penguins-04': {'agg': 'count_distinct', 'col': 'Island'},
    'penguins-05': {'agg': 'median', 'col': 'Beak Length (mm)'},
    'penguins-06': {'agg': 'avg', 'col': 'Body Mass (g)', 'where': [('Species', 'eq', 'Gentoo')]},
    'penguins-07': {'agg': 'count',
                    'where': [('Sex', 'eq', 'FEMALE'), ('Island', 'eq', 'Dream')]},
    'penguins-08': {'agg': 'max', 'col': 'Body Mass (g)', 'where': [('Species', 'eq', 'Adelie')]},
    'penguins-09': {'agg': 'count', 'where': [('Body Mass (g)', 'gt', 5000)]},
    'penguins-10': {'agg': 'avg', 'col': 'Flipper Length (mm)',
                    'where': [('Sex', 'eq', 'MALE'), ('Species', 'eq', 'Chinstrap')]},
    'penguins-11': {'agg': 'count', 'group': 'Species'},
    'penguins-12': {'agg': 'avg', 'col': 'Beak Depth (mm)', 'group': 'Island'},
    'penguins-13': {'agg': 'avg', 'col': 'Body Mass (g)', 'group': 'Sex'},
    'penguins-14': {'agg': 'count', 'where': [('Island', 'eq', 'Biscoe')], 'group': 'Species'},
    'penguins-15': {'agg': 'share', 'group': 'Island'},
    'penguins-16': {'agg': 'avg', 'col': 'Flipper Length (mm)', 'group': 'Species',
                    'order': 'desc', 'limit': 1},
    'penguins-17': {'agg': 'avg', 'col': 'Body Mass (g)', 'group': 'Island', 'order': 'asc',
                    'limit': 1},
    'penguins-18': {'agg': 'avg', 'col': 'Beak Length (mm)', 'group': 'Species',
                    'order': 'desc', 'limit': 2},
    'penguins-19': {'agg': 'avg', 'col': 'Body Mass (g)',
                    'compare': [('male', [('Sex', 'eq', 'MALE')]),
                                ('female', [('Sex', 'eq', 'FEMALE')])]},
    'penguins-20': {'agg': 'avg', 'col': 'Beak Length (mm)',
                    'compare': [('Adelie', [('Species', 'eq', 'Adelie')]),
                                ('Gentoo', [('Species', 'eq', 'Gentoo')])]},
    'penguins-21': {'agg': 'avg', 'col': 'Flipper Length (mm)',
                    'compare': [('Biscoe', [('Island', 'eq', 'Biscoe')]),
                                ('Dream', [('Island', 'eq', 'Dream')])]},
    'penguins-22': {'agg': 'avg', 'col': 'Body Mass (g)', 'where': [('Island', 'eq', 'Torgersen')]},
    'penguins-23': {'agg': 'min', 'col': 'Beak Depth (mm)', 'where': [('Species', 'eq', 'Gentoo')]},
    'penguins-24': {'agg': 'sum', 'col': 'Body Mass (g)'},
    'penguins-25': {'agg': 'p90', 'col': 'Body Mass (g)'},
    'penguins-26': None,  # age: no such column
    'penguins-27': None,  # diet: no such column
    'penguins-28': None,  # tagging year: no date column

    # --- gapminder: 62 countries, 1955-2005 every 5 years --------------------------------
    'gapminder-01': {'agg': 'avg', 'col': 'life_expect'},
    'gapminder-02': {'agg': 'count_distinct', 'col': 'country'},
    'gapminder-03': {'agg': 'max', 'col': 'fertility'},
    'gapminder-04': {'select': 'pop', 'where': [('country', 'eq', 'China'), ('year', 'eq', 2005)]},
    'gapminder-05': {'agg': 'avg', 'col': 'life_expect', 'where': [('year', 'eq', 2005)]},
    'gapminder-06': {'agg': 'sum', 'col': 'pop', 'where': [('year', 'eq', 1955)]},
    'gapminder-07': {'select': 'life_expect',
                     'where': [('country', 'eq', 'Japan'), ('year', 'eq', 1980)]},
    'gapminder-08': {'agg': 'count', 'where': [('year', 'eq', 2005), ('fertility', 'lt', 2)]},
    'gapminder-09': {'agg': 'min', 'col': 'life_expect', 'where': [('year', 'eq', 1990)]},
    'gapminder-10': {'agg': 'avg', 'col': 'fertility', 'group': 'cluster'},
    'gapminder-11': {'agg': 'count_distinct', 'col': 'country', 'group': 'cluster'},
    'gapminder-12': {'agg': 'sum', 'col': 'pop', 'where': [('year', 'eq', 2005)],
                     'group': 'cluster'},
    'gapminder-13': {'agg': 'max', 'col': 'life_expect', 'where': [('year', 'eq', 2005)],
                     'group': 'country', 'order': 'desc', 'limit': 5},
    'gapminder-14': {'agg': 'max', 'col': 'pop', 'where': [('year', 'eq', 1955)],
                     'group': 'country', 'order': 'desc', 'limit': 3},
    'gapminder-15': {'agg': 'max', 'col': 'fertility', 'where': [('year', 'eq', 2005)],
                     'group': 'country', 'order': 'desc', 'limit': 1},
    'gapminder-16': {'agg': 'min', 'col': 'life_expect', 'where': [('year', 'eq', 1955)],
                     'group': 'country', 'order': 'asc', 'limit': 3},
    'gapminder-17': {'agg': 'avg', 'col': 'life_expect', 'group': 'year'},
    'gapminder-18': {'agg': 'sum', 'col': 'pop', 'group': 'year'},
    'gapminder-19': {'agg': 'avg', 'col': 'fertility', 'where': [('country', 'eq', 'India')],
                     'group': 'year'},
    'gapminder-20': {'agg': 'avg', 'col': 'life_expect',
                     'compare': [('1955', [('year', 'eq', 1955)]),
                                 ('2005', [('year', 'eq', 2005)])]},
    'gapminder-21': {'agg': 'avg', 'col': 'fertility', 'where': [('year', 'eq', 2005)],
                     'compare': [('Brazil', [('country', 'eq', 'Brazil')]),
                                 ('Germany', [('country', 'eq', 'Germany')])]},
    'gapminder-22': {'agg': 'sum', 'col': 'pop', 'where': [('year', 'eq', 2000)],
                     'compare': [('United States', [('country', 'eq', 'United States')]),
                                 ('China', [('country', 'eq', 'China')])]},
    'gapminder-23': {'agg': 'median', 'col': 'pop'},
    'gapminder-24': {'agg': 'avg', 'col': 'life_expect', 'where': [('cluster', 'eq', 3)]},
    'gapminder-25': None,  # GDP: no such column
    'gapminder-26': None,  # literacy: no such column
    'gapminder-27': None,  # "good": vague

    # --- iowa-electricity: annual net generation by source, 2001-2017 ---------------------
    'iowa-electricity-01': {'agg': 'sum', 'col': 'net_generation'},
    'iowa-electricity-02': {'agg': 'max', 'col': 'net_generation'},
    'iowa-electricity-03': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Renewables'), ('year', 'year', 2017)]},
    'iowa-electricity-04': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Nuclear Energy'),
                                      ('year', 'between', '2010-01-01', '2015-12-31')]},
    'iowa-electricity-05': {'agg': 'avg', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Fossil Fuels')]},
    'iowa-electricity-06': {'agg': 'min', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Renewables')]},
    'iowa-electricity-07': {'agg': 'sum', 'col': 'net_generation', 'group': 'source'},
    'iowa-electricity-08': {'agg': 'avg', 'col': 'net_generation', 'group': 'source'},
    'iowa-electricity-09': {'agg': 'sum', 'col': 'net_generation', 'group': 'source',
                            'order': 'desc', 'limit': 1},
    'iowa-electricity-10': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('year', 'year', 2017)], 'group': 'source',
                            'order': 'asc', 'limit': 1},
    'iowa-electricity-11': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Renewables')],
                            'group': ('year', 'year'), 'order': 'desc', 'limit': 3},
    'iowa-electricity-12': {'agg': 'sum', 'col': 'net_generation', 'group': ('year', 'year')},
    'iowa-electricity-13': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Renewables')],
                            'group': ('year', 'year')},
    'iowa-electricity-14': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Nuclear Energy'),
                                      ('year', 'gte', '2010-01-01')],
                            'group': ('year', 'year')},
    'iowa-electricity-15': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('year', 'year', 2017)],
                            'compare': [('Renewables', [('source', 'eq', 'Renewables')]),
                                        ('Fossil Fuels', [('source', 'eq', 'Fossil Fuels')])]},
    'iowa-electricity-16': {'agg': 'sum', 'col': 'net_generation',
                            'compare': [('2001', [('year', 'year', 2001)]),
                                        ('2017', [('year', 'year', 2017)])]},
    'iowa-electricity-17': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Nuclear Energy')],
                            'compare': [('2005', [('year', 'year', 2005)]),
                                        ('2015', [('year', 'year', 2015)])]},
    'iowa-electricity-18': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Renewables'), ('year', 'year', 2010)]},
    'iowa-electricity-19': {'agg': 'count'},
    'iowa-electricity-20': {'agg': 'avg', 'col': 'net_generation'},
    'iowa-electricity-21': {'agg': 'max', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Fossil Fuels')]},
    'iowa-electricity-22': {'agg': 'max', 'col': 'net_generation', 'group': 'source'},
    'iowa-electricity-23': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Fossil Fuels'),
                                      ('year', 'between', '2005-01-01', '2010-12-31')],
                            'group': ('year', 'year')},
    'iowa-electricity-24': {'agg': 'sum', 'col': 'net_generation',
                            'where': [('source', 'eq', 'Nuclear Energy')],
                            'group': ('year', 'year'), 'order': 'asc', 'limit': 2},
    'iowa-electricity-25': {'agg': 'count', 'group': 'source'},
    'iowa-electricity-26': None,  # price: no such column
    'iowa-electricity-27': None,  # carbon footprint: no such column

    # --- birdstrikes: FAA wildlife strikes, 10,000 of 1990-2002 --------------------------
    'birdstrikes-01': {'agg': 'count'},
    'birdstrikes-02': {'agg': 'sum', 'col': 'Cost Total $'},
    'birdstrikes-03': {'agg': 'avg', 'col': 'Speed IAS in knots'},
    'birdstrikes-04': {'agg': 'count_distinct', 'col': 'Airport Name'},
    'birdstrikes-05': {'agg': 'count', 'where': [('Time of day', 'eq', 'Night')]},
    'birdstrikes-06': {'agg': 'count', 'where': [('Origin State', 'eq', 'Texas')]},
    'birdstrikes-07': {'agg': 'sum', 'col': 'Cost Repair',
                       'where': [('Effect Amount of damage', 'eq', 'Substantial')]},
    'birdstrikes-08': {'agg': 'count', 'where': [('Phase of flight', 'eq', 'Approach'),
                                                 ('Wildlife Size', 'eq', 'Large')]},
    'birdstrikes-09': {'agg': 'count', 'where': [('Flight Date', 'year', 1999)]},
    'birdstrikes-10': {'agg': 'avg', 'col': 'Speed IAS in knots',
                       'where': [('Phase of flight', 'eq', 'Take-off run')]},
    'birdstrikes-11': {'agg': 'count',
                       'where': [('Airport Name', 'eq', "CHICAGO O'HARE INTL ARPT")]},
    'birdstrikes-12': {'agg': 'count', 'group': 'Time of day'},
    'birdstrikes-13': {'agg': 'count', 'group': 'Wildlife Size'},
    'birdstrikes-14': {'agg': 'avg', 'col': 'Cost Total $', 'group': 'Phase of flight'},
    'birdstrikes-15': {'agg': 'count', 'group': 'Effect Amount of damage'},
    'birdstrikes-16': {'agg': 'count', 'group': 'Origin State', 'order': 'desc', 'limit': 5},
    'birdstrikes-17': {'agg': 'count', 'group': 'Aircraft Airline Operator', 'order': 'desc',
                       'limit': 3},
    'birdstrikes-18': {'agg': 'count', 'group': 'Airport Name', 'order': 'desc', 'limit': 1},
    'birdstrikes-19': {'agg': 'sum', 'col': 'Cost Total $', 'group': 'Aircraft Make Model',
                       'order': 'desc', 'limit': 3},
    'birdstrikes-20': {'agg': 'avg', 'col': 'Speed IAS in knots', 'group': 'Phase of flight',
                       'order': 'desc', 'limit': 1},
    'birdstrikes-21': {'agg': 'count', 'group': ('Flight Date', 'year')},
    'birdstrikes-22': {'agg': 'count', 'where': [('Flight Date', 'year', 2000)],
                       'group': ('Flight Date', 'month')},
    'birdstrikes-23': {'agg': 'sum', 'col': 'Cost Total $', 'group': ('Flight Date', 'year')},
    'birdstrikes-24': {'agg': 'count', 'where': [('Flight Date', 'year', 2001)],
                       'group': ('Flight Date', 'quarter')},
    'birdstrikes-25': {'agg': 'count',
                       'compare': [('Night', [('Time of day', 'eq', 'Night')]),
                                   ('Day', [('Time of day', 'eq', 'Day')])]},
    'birdstrikes-26': {'agg': 'count',
                       'compare': [('1995', [('Flight Date', 'year', 1995)]),
                                   ('2000', [('Flight Date', 'year', 2000)])]},
    'birdstrikes-27': {'agg': 'avg', 'col': 'Cost Total $',
                       'compare': [('Large', [('Wildlife Size', 'eq', 'Large')]),
                                   ('Small', [('Wildlife Size', 'eq', 'Small')])]},
    'birdstrikes-28': None,  # injuries: no such column
    'birdstrikes-29': None,  # weather: no such column
    'birdstrikes-30': None,  # altitude: no such column

    # --- unemployment-across-industries: BLS, monthly, 2000-01 to 2010-02 ----------------
    'unemployment-01': {'agg': 'avg', 'col': 'rate'},
    'unemployment-02': {'agg': 'max', 'col': 'rate'},
    'unemployment-03': {'agg': 'count_distinct', 'col': 'series'},
    'unemployment-04': {'select': 'rate', 'where': [('series', 'eq', 'Construction'),
                                                    ('date', 'month', '2009-01')]},
    'unemployment-05': {'agg': 'avg', 'col': 'rate',
                        'where': [('series', 'eq', 'Finance'), ('date', 'year', 2008)]},
    'unemployment-06': {'select': 'count', 'where': [('series', 'eq', 'Manufacturing'),
                                                     ('date', 'month', '2009-12')]},
    'unemployment-07': {'agg': 'max', 'col': 'rate', 'where': [('series', 'eq', 'Construction')]},
    'unemployment-08': {'agg': 'sum', 'col': 'count', 'where': [('date', 'month', '2010-02')]},
    'unemployment-09': {'agg': 'avg', 'col': 'rate', 'group': 'series'},
    'unemployment-10': {'agg': 'max', 'col': 'count', 'group': 'series'},
    'unemployment-11': {'agg': 'avg', 'col': 'rate', 'where': [('date', 'year', 2009)],
                        'group': 'series'},
    'unemployment-12': {'agg': 'avg', 'col': 'rate', 'group': 'series', 'order': 'desc',
                        'limit': 3},
    'unemployment-13': {'agg': 'avg', 'col': 'rate', 'group': 'series', 'order': 'asc',
                        'limit': 1},
    'unemployment-14': {'agg': 'sum', 'col': 'count', 'where': [('date', 'month', '2010-01')],
                        'group': 'series', 'order': 'desc', 'limit': 5},
    'unemployment-15': {'agg': 'avg', 'col': 'rate', 'group': ('date', 'year')},
    'unemployment-16': {'agg': 'sum', 'col': 'count', 'where': [('date', 'year', 2009)],
                        'group': ('date', 'month')},
    'unemployment-17': {'agg': 'avg', 'col': 'rate',
                        'where': [('series', 'eq', 'Construction'), ('date', 'year', 2008)],
                        'group': ('date', 'quarter')},
    'unemployment-18': {'agg': 'avg', 'col': 'rate', 'where': [('series', 'eq', 'Manufacturing')],
                        'group': ('date', 'year')},
    'unemployment-19': {'agg': 'avg', 'col': 'rate',
                        'compare': [('2007', [('date', 'year', 2007)]),
                                    ('2009', [('date', 'year', 2009)])]},
    'unemployment-20': {'agg': 'avg', 'col': 'rate',
                        'compare': [('Construction', [('series', 'eq', 'Construction')]),
                                    ('Manufacturing', [('series', 'eq', 'Manufacturing')])]},
    'unemployment-21': {'agg': 'sum', 'col': 'count',
                        'compare': [('2008-01', [('date', 'month', '2008-01')]),
                                    ('2010-01', [('date', 'month', '2010-01')])]},
    'unemployment-22': {'agg': 'avg', 'col': 'rate', 'where': [('series', 'eq', 'Government')]},
    'unemployment-23': {'agg': 'median', 'col': 'rate'},
    'unemployment-24': {'agg': 'count',
                        'where': [('series', 'eq', 'Construction'), ('rate', 'gt', 20)]},
    'unemployment-25': {'agg': 'sum', 'col': 'count', 'where': [('date', 'year', 2005)],
                        'group': 'series'},
    'unemployment-26': None,  # a state: no geography column
    'unemployment-27': None,  # salary: no such column
    'unemployment-28': None,  # "why": not a question of the data
}


# --- main -----------------------------------------------------------------------------

def main(argv):
    check = '--check' in argv
    questions = json.loads(QUESTIONS.read_text(encoding='utf-8'))
    ids = [q['id'] for q in questions]
    problems = []
    if len(set(ids)) != len(ids):
        problems.append('duplicate ids in questions.json')
    for missing in sorted(set(ids) - set(SPECS)):
        problems.append(f'{missing}: no spec in answers.py')
    for extra in sorted(set(SPECS) - set(ids)):
        problems.append(f'{extra}: a spec without a question')
    changed = 0
    for q in questions:
        if q['id'] not in SPECS:
            continue
        spec = SPECS[q['id']]
        try:
            expected = None if spec is None else answer(q['dataset'], spec)
        except (ValueError, KeyError) as error:
            problems.append(f"{q['id']}: {error!r}")
            continue
        if q.get('expected', 'missing') != expected:
            changed += 1
            if check:
                problems.append(f"{q['id']}: questions.json has {json.dumps(q.get('expected'))}, "
                                f'computed {json.dumps(expected)}')
            q['expected'] = expected
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    if not check:
        QUESTIONS.write_text(format_questions(questions), encoding='utf-8')
    answerable = sum(1 for q in questions if q.get('expected') is not None)
    print(f'{len(questions)} questions ({answerable} answerable); '
          f"{'all expected answers match' if check else f'{changed} expected answers written'}")
    return 0


def format_questions(questions):
    """One question per line-group, `expected` on one line: diffs stay readable."""
    lines = []
    for q in questions:
        fields = [f'    {json.dumps(k)}: {json.dumps(q[k], ensure_ascii=False)}'
                  for k in ('id', 'dataset', 'kind', 'question', 'expected') if k in q]
        lines.append('  {\n' + ',\n'.join(fields) + '\n  }')
    return '[\n' + ',\n'.join(lines) + '\n]\n'


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
