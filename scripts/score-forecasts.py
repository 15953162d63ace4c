#!/usr/bin/env python3
"""Scores recorded forecasts against the series they were made from.

Reads the JSON lines written by `lstmcast tap --record FILE` and the CSV the
points came from, and prints the mean absolute error per lead time next to
the error of repeating the last value. Only forecasts whose whole horizon
lies inside the CSV are scored.
"""
import argparse
import csv
import json
import sys
from datetime import datetime


def epoch_seconds(text):
    try:
        return float(text)
    except ValueError:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", help="JSON lines from lstmcast tap --record")
    parser.add_argument("csv", help="the timestamp,value CSV that was fed")
    parser.add_argument("--horizon", type=int, default=24, help="lead times to score (default 24)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()

    actual = {}
    with open(args.csv, newline="") as handle:
        for row in csv.DictReader(handle):
            actual[round(epoch_seconds(row["timestamp"]), 3)] = float(row["value"])

    model_errors = [[] for _ in range(args.horizon)]
    naive_errors = [[] for _ in range(args.horizon)]
    scored = 0
    with open(args.records) as handle:
        for line in handle:
            forecast = json.loads(line)
            origin = actual.get(round(forecast["ts"], 3))
            stamps = [round(t, 3) for t in forecast["timestamps"][: args.horizon]]
            if origin is None or len(stamps) < args.horizon or any(t not in actual for t in stamps):
                continue
            scored += 1
            for lead, (stamp, value) in enumerate(zip(stamps, forecast["values"])):
                model_errors[lead].append(abs(value - actual[stamp]))
                naive_errors[lead].append(abs(origin - actual[stamp]))

    if scored == 0:
        print("score-forecasts: no forecast had its whole horizon inside the CSV", file=sys.stderr)
        return 1
    mean = lambda values: sum(values) / len(values)
    rows = [(lead + 1, mean(model_errors[lead]), mean(naive_errors[lead])) for lead in range(args.horizon)]
    if args.json:
        print(json.dumps({"forecasts": scored, "mae": [r[1] for r in rows], "last_value_mae": [r[2] for r in rows]}))
        return 0
    print(f"scored {scored} forecasts")
    print("lead  lstmcast_mae  last_value_mae")
    for lead, model, naive in rows:
        print(f"{lead:4d}  {model:12.4f}  {naive:14.4f}")
    print(f"mean  {mean([r[1] for r in rows]):12.4f}  {mean([r[2] for r in rows]):14.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
