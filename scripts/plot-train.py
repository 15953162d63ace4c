#!/usr/bin/env python3
"""Draw the loss and forecast figures of an offline `lstmcast train` run.

Reads the folder written by `lstmcast train … --plot-data DIR`:

    loss.csv      epoch,loss,val_loss   (val_loss empty without validation)
    history.csv   step,value            the series trained on
    forecast.csv  step,value            the forecast, steps continuing the history

and draws two figures: the training loss per epoch (with the validation
loss when the run had one), and the history in blue with the forecast in
red after a dashed line where the forecast starts. With --out PREFIX it
writes PREFIX-loss.png and PREFIX-forecast.png without a display;
otherwise it opens both in windows.

    lstmcast train --sine 1001 --plot-data run
    scripts/plot-train.py run --out run/figure
"""
import argparse
import csv
import math
import os
import sys

PROGRAM = "plot-train.py"

NON_INTERACTIVE_BACKENDS = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}

# Above this ratio between the largest and the smallest loss, a linear axis
# flattens every epoch after the first few, so the loss axis turns logarithmic.
LOG_SCALE_RATIO = 50


class PlotDataError(Exception):
    pass


def read_columns(folder, name, columns, optional=()):
    """Return {column: list} from folder/name, whose header must be exactly `columns`.

    Empty cells are allowed only in `optional` columns and read as None.
    """
    path = os.path.join(folder, name)
    hint = "write it with: lstmcast train FILE.csv --plot-data " + folder
    if not os.path.isfile(path):
        raise PlotDataError(f"{path} not found; {hint}")
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise PlotDataError(f"failed to read {path}: {error}")
    if not rows or [cell.strip() for cell in rows[0]] != list(columns):
        found = ",".join(rows[0]) if rows else "an empty file"
        raise PlotDataError(f"{path}: expected the header '{','.join(columns)}', found '{found}'; {hint}")

    table = {column: [] for column in columns}
    for line_number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(columns):
            raise PlotDataError(f"{path}:{line_number}: expected {len(columns)} fields, found {len(row)}")
        for column, cell in zip(columns, row):
            cell = cell.strip()
            if cell == "" and column in optional:
                table[column].append(None)
                continue
            try:
                number = float(cell)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                raise PlotDataError(f"{path}:{line_number}: {column} '{cell}' is not a finite number")
            table[column].append(number)
    if not table[columns[0]]:
        raise PlotDataError(f"{path} has a header but no rows; {hint}")
    return table


def draw_loss(figure, loss):
    axes = figure.add_subplot()
    axes.plot(loss["epoch"], loss["loss"], color="tab:blue", marker="." if len(loss["epoch"]) <= 50 else None,
              label="training loss")
    validation = [(epoch, value) for epoch, value in zip(loss["epoch"], loss["val_loss"]) if value is not None]
    if validation:
        axes.plot([epoch for epoch, _ in validation], [value for _, value in validation], color="tab:orange",
                  marker="." if len(validation) <= 50 else None, label="validation loss")

    every_loss = loss["loss"] + [value for _, value in validation]
    log_scale = min(every_loss) > 0 and max(every_loss) / min(every_loss) > LOG_SCALE_RATIO
    if log_scale:
        axes.set_yscale("log")
    axes.set_xlabel("epoch")
    axes.set_ylabel("MSE, scaled units" + (" (log scale)" if log_scale else ""))
    axes.set_title("Loss per epoch")
    axes.grid(True, color="0.9")
    axes.legend(loc="upper right")


def draw_forecast(figure, history, forecast):
    axes = figure.add_subplot()
    axes.plot(history["step"], history["value"], color="tab:blue", linewidth=1.2, label="history")
    # The red line starts at the last history point, so it continues the blue one.
    steps = [history["step"][-1]] + forecast["step"]
    values = [history["value"][-1]] + forecast["value"]
    axes.plot(steps, values, color="tab:red", linewidth=1.8, label="forecast")
    axes.axvline(history["step"][-1], color="0.3", linestyle="--", linewidth=1, label="forecast start")
    axes.set_xlabel("step")
    axes.set_ylabel("value")
    axes.set_title(f"History ({len(history['step'])} points) and forecast ({len(forecast['step'])} steps)")
    axes.grid(True, color="0.9")
    axes.legend(loc="upper left")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog=PROGRAM, description=__doc__.splitlines()[0],
        epilog="Exit status: 0 when the figures were shown or written, 1 when the plot data could not "
               "be read, a PNG could not be written or no window can open.")
    parser.add_argument("folder", metavar="DIR", help="folder written by lstmcast train --plot-data DIR")
    parser.add_argument("--out", metavar="PREFIX",
                        help="write PREFIX-loss.png and PREFIX-forecast.png without a display instead of "
                             "opening windows; PREFIX may include a folder, which must exist")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_arguments(argv)
    if not os.path.isdir(args.folder):
        print(f"{PROGRAM}: folder {args.folder} not found; write it with: "
              f"lstmcast train FILE.csv --plot-data {args.folder}", file=sys.stderr)
        return 1
    try:
        loss = read_columns(args.folder, "loss.csv", ("epoch", "loss", "val_loss"), optional=("val_loss",))
        history = read_columns(args.folder, "history.csv", ("step", "value"))
        forecast = read_columns(args.folder, "forecast.csv", ("step", "value"))
    except PlotDataError as error:
        print(f"{PROGRAM}: {error}", file=sys.stderr)
        return 1

    if args.out:
        # Chosen before pyplot can be imported anywhere, so no display is needed.
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        outputs = []
        for suffix, draw, data in (("loss", draw_loss, (loss,)), ("forecast", draw_forecast, (history, forecast))):
            figure = Figure(figsize=(10, 5), dpi=100, layout="constrained")
            draw(figure, *data)
            path = f"{args.out}-{suffix}.png"
            try:
                figure.savefig(path)
            except OSError as error:
                print(f"{PROGRAM}: failed to write {path}: {error.strerror or error}", file=sys.stderr)
                return 1
            outputs.append(path)
        print(f"{PROGRAM}: wrote {' and '.join(outputs)}")
        return 0

    import matplotlib.pyplot as plt

    backend = plt.get_backend().lower()
    if backend in NON_INTERACTIVE_BACKENDS:
        print(f"{PROGRAM}: matplotlib has no interactive backend here (it chose {backend!r}), so no window can "
              "open; set DISPLAY or MPLBACKEND, or write PNG files with --out PREFIX", file=sys.stderr)
        return 1
    draw_loss(plt.figure("loss", figsize=(10, 5), layout="constrained"), loss)
    draw_forecast(plt.figure("forecast", figsize=(10, 5), layout="constrained"), history, forecast)
    plt.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
