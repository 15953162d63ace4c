#!/usr/bin/env python3
"""Time the reference recipe in PyTorch, as lstmcast-bench does in Swift.

Prints one JSON object per figure on standard output, with the same keys
as lstmcast-bench and "impl": "pytorch". PyTorch keeps its default thread
count, which each line reports.

    scripts/bench-torch.py train [--runs R]
    scripts/bench-torch.py forecast [--runs R] [--calls C]
    scripts/bench-torch.py memory
"""

import argparse
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

POINT_COUNT = 1001
SEED = 42
N_STEP = 20
HIDDEN = 50
EPOCHS = 100
BATCH_SIZE = 100
LEARNING_RATE = 0.01
FORECAST_HORIZON = 100
# Untimed calls before the samples, as lstmcast-bench makes them.
FORECAST_WARM_UP_CALLS = 20


class ReferenceModel(nn.Module):
    """LSTM(1 → 50) then Linear(50 → 1) on the last time step."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, HIDDEN, batch_first=True)
        self.dense = nn.Linear(HIDDEN, 1)

    def forward(self, windows):
        outputs, _ = self.lstm(windows)
        return self.dense(outputs[:, -1, :])


def reference_series():
    """Return 0.01·t + sin(2π·0.03·t) + U[0,1) for t = 0…1000 as float32."""
    generator = np.random.default_rng(SEED)
    t = np.arange(POINT_COUNT, dtype=np.float64)
    values = 0.01 * t + np.sin(2 * np.pi * 0.03 * t) + generator.random(POINT_COUNT)
    return values.astype(np.float32)


def windowed(series):
    """Return windows X[i] = series[i:i+20] (shape 981×20×1) and labels series[i+20] (981×1)."""
    count = len(series) - N_STEP
    inputs = np.stack([series[i : i + N_STEP] for i in range(count)])[:, :, None]
    labels = series[N_STEP:, None]
    return torch.from_numpy(np.ascontiguousarray(inputs)), torch.from_numpy(np.ascontiguousarray(labels))


def train(inputs, labels):
    """Train a fresh model and return it with the last epoch's loss and the wall-clock seconds."""
    torch.manual_seed(SEED)
    model = ReferenceModel()
    order_generator = torch.Generator().manual_seed(SEED)
    count = inputs.shape[0]
    loss_function = nn.MSELoss()

    started = time.perf_counter()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    epoch_loss = float("nan")
    for _ in range(EPOCHS):
        order = torch.randperm(count, generator=order_generator)
        weighted_loss = 0.0
        for start in range(0, count, BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_function(model(inputs[batch]), labels[batch])
            loss.backward()
            optimizer.step()
            weighted_loss += loss.item() * len(batch)
        # The batch-size-weighted mean of batch losses, as Keras and lstmcast report it.
        epoch_loss = weighted_loss / count
    seconds = time.perf_counter() - started
    return model, epoch_loss, seconds


def warm_up(inputs, labels):
    """Run one untimed epoch on a throwaway model.

    PyTorch sets up its kernels for each new batch shape on first use: on
    this machine the first 10 steps took about 60-90 ms, later ones 14 ms.
    One epoch meets both shapes, the full batch and the short last one.
    """
    model = ReferenceModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    for start in range(0, inputs.shape[0], BATCH_SIZE):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(inputs[start : start + BATCH_SIZE]), labels[start : start + BATCH_SIZE])
        loss.backward()
        optimizer.step()


def forecast(model, window):
    """Return the 100 values after `window` (a 1×20×1 tensor), each fed back as the newest input."""
    values = []
    with torch.no_grad():
        for _ in range(FORECAST_HORIZON):
            prediction = model(window)
            values.append(prediction)
            window = torch.cat((window[:, 1:, :], prediction.view(1, 1, 1)), dim=1)
    return torch.cat(values).view(-1)


def peak_resident_mebibytes():
    """Return ru_maxrss, which Linux reports in KiB, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(bench, **fields):
    line = {"bench": bench, "impl": "pytorch", "threads": torch.get_num_threads()}
    line.update(fields)
    print(json.dumps(line, separators=(",", ":")), flush=True)


def significant(value, digits=6):
    return float(f"{value:.{digits}g}")


def run_train(runs):
    inputs, labels = windowed(reference_series())
    warm_up(inputs, labels)
    windows = inputs.shape[0]
    for run in range(1, runs + 1):
        _, loss, seconds = train(inputs, labels)
        emit(
            "train",
            seconds=round(seconds, 4),
            windows_per_second=round(windows * EPOCHS / seconds, 1),
            windows=windows,
            epochs=EPOCHS,
            final_loss=significant(loss),
            run=run,
        )


def run_forecast(runs, calls):
    series = reference_series()
    inputs, labels = windowed(series)
    model, loss, _ = train(inputs, labels)
    model.eval()
    window = torch.from_numpy(series[-N_STEP:].copy()).view(1, N_STEP, 1)
    last = forecast(model, window)
    for _ in range(FORECAST_WARM_UP_CALLS - 1):
        last = forecast(model, window)

    for run in range(1, runs + 1):
        milliseconds = []
        for _ in range(calls):
            started = time.perf_counter()
            last = forecast(model, window)
            milliseconds.append((time.perf_counter() - started) * 1000)
        emit(
            "forecast",
            horizon=FORECAST_HORIZON,
            calls=calls,
            median_ms=round(float(np.percentile(milliseconds, 50)), 4),
            p90_ms=round(float(np.percentile(milliseconds, 90)), 4),
            final_loss=significant(loss),
            last_value=significant(float(last[-1])),
            run=run,
        )


def run_memory():
    before = peak_resident_mebibytes()
    inputs, labels = windowed(reference_series())
    _, loss, seconds = train(inputs, labels)
    emit(
        "memory",
        peak_rss_mb=round(peak_resident_mebibytes(), 1),
        rss_before_training_mb=round(before, 1),
        seconds=round(seconds, 4),
        final_loss=significant(loss),
    )


class UsageParser(argparse.ArgumentParser):
    """An argument parser that exits 64 on bad input, as lstmcast-bench does, where argparse exits 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(64)


def integer_at_least(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}")
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def parse_arguments(argv):
    parser = UsageParser(prog="bench-torch.py", description="Time the lstmcast reference recipe in PyTorch.")
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train", help="time R full training runs")
    train_parser.add_argument("--runs", type=integer_at_least(1), default=1, help="number of timed runs (default 1)")
    forecast_parser = commands.add_parser("forecast", help="time 100-step recursive forecasts")
    forecast_parser.add_argument("--runs", type=integer_at_least(1), default=1, help="number of sample sets (default 1)")
    forecast_parser.add_argument(
        "--calls", type=integer_at_least(10), default=1000, help="forecasts timed per run (default 1000)"
    )
    commands.add_parser("memory", help="report the peak resident set size of one training run in MiB")
    return parser.parse_args(argv)


def main(argv):
    arguments = parse_arguments(argv)
    if arguments.command == "train":
        run_train(arguments.runs)
    elif arguments.command == "forecast":
        run_forecast(arguments.runs, arguments.calls)
    else:
        run_memory()


if __name__ == "__main__":
    main(sys.argv[1:])
