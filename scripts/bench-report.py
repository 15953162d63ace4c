#!/usr/bin/env python3
"""Describe the benchmark machine and turn scripts/bench's JSON lines into a page.

    scripts/bench-report.py environment --rounds N    print one JSON line about this machine
    scripts/bench-report.py render LINES.jsonl PAGE.md

`render` pairs the k-th training line of each implementation and thread
count as round k, because scripts/bench runs one of each per round in order.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

TARGET_TRAINING_RATIO = 3.0
TARGET_FORECAST_MS = 1.0
TARGET_PEAK_RSS_MB = 30.0


def command_output(arguments):
    """Return the command's first output line, or "unknown" when it cannot run."""
    try:
        result = subprocess.run(arguments, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def lscpu_field(name):
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return "unknown"


def openblas_version():
    for package in ("libopenblas0-pthread", "libopenblas0", "libopenblas-dev"):
        version = command_output(["dpkg-query", "-W", "-f=${Version}", package])
        if version != "unknown":
            return package, version
    return "libopenblas", "unknown"


def environment(rounds):
    import numpy
    import torch

    package, version = openblas_version()
    return {
        "bench": "environment",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": lscpu_field("Model name"),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "swift": command_output(["swift", "--version"]),
        "openblas_package": package,
        "openblas_version": version,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset"),
        "openblas_l2_size": os.environ.get("OPENBLAS_L2_SIZE", "unset"),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "numpy": numpy.__version__,
        "rounds": rounds,
    }


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def select(lines, bench, impl=None, threads=None):
    return [
        line
        for line in lines
        if line["bench"] == bench
        and (impl is None or line["impl"] == impl)
        and (threads is None or line["threads"] == threads)
    ]


def median_of(lines, key):
    values = [line[key] for line in lines if line.get(key) is not None]
    return statistics.median(values) if values else float("nan")


def verdict(met):
    return "met" if met else "missed"


def training_rows(lines):
    """Return one summary per (implementation, threads), lstmcast first."""
    groups = sorted({(line["impl"], line["threads"]) for line in select(lines, "train")}, key=lambda g: (g[0] != "lstmcast", g))
    pytorch = select(lines, "train", "pytorch")
    pytorch_median = median_of(pytorch, "windows_per_second")
    rows = []
    for impl, threads in groups:
        runs = select(lines, "train", impl, threads)
        per_round = [mine["windows_per_second"] / theirs["windows_per_second"] for mine, theirs in zip(runs, pytorch)]
        rows.append(
            {
                "impl": impl,
                "threads": threads,
                "runs": len(runs),
                "seconds": median_of(runs, "seconds"),
                "windows_per_second": median_of(runs, "windows_per_second"),
                "ratio": median_of(runs, "windows_per_second") / pytorch_median,
                "round_ratio": statistics.median(per_round) if per_round else float("nan"),
                "final_loss": median_of(runs, "final_loss"),
            }
        )
    return rows


def forecast_rows(lines):
    """Return one summary per (implementation, activation build), lstmcast's
    AVX2 build first; PyTorch lines carry no build."""
    groups = sorted(
        {(line["impl"], line.get("activations", "")) for line in select(lines, "forecast")},
        key=lambda group: (group[0] != "lstmcast", group[1] != "avx2", group),
    )
    rows = []
    for impl, activations in groups:
        runs = [line for line in select(lines, "forecast", impl) if line.get("activations", "") == activations]
        rows.append(
            {
                "impl": impl,
                "activations": activations,
                "threads": runs[0]["threads"],
                "runs": len(runs),
                "calls": runs[0]["calls"],
                "median_ms": median_of(runs, "median_ms"),
                "p90_ms": median_of(runs, "p90_ms"),
                "last_value": median_of(runs, "last_value"),
            }
        )
    return rows


def memory_rows(lines):
    rows = {}
    for impl in ("lstmcast", "pytorch"):
        runs = select(lines, "memory", impl)
        if runs:
            rows[impl] = {
                "threads": runs[0]["threads"],
                "peak_rss_mb": median_of(runs, "peak_rss_mb"),
                "before_mb": median_of(runs, "rss_before_training_mb"),
            }
    return rows


def render(lines):
    machine = next((line for line in lines if line["bench"] == "environment"), {})
    training = training_rows(lines)
    forecast = forecast_rows(lines)
    memory = memory_rows(lines)
    rounds = machine.get("rounds", "?")
    torch_threads = machine.get("torch_threads", "?")
    forecast_runs = max((row["runs"] for row in forecast), default=0)

    out = []
    out.append("# Benchmarks\n")
    out.append(
        f"Measured by `scripts/bench` on {machine.get('date', 'an unknown date')}. Training figures are medians of "
        f"{rounds} runs, forecast figures medians of {forecast_runs} runs, and memory comes from one run each, "
        f"all on a shared {machine.get('cores', '?')}-core machine whose other tenants vary in load. "
        "Ratios from the same run therefore matter more than absolute seconds. "
        "The raw lines are in `benchmarks.jsonl`.\n"
    )

    out.append("## Machine and versions\n")
    out.append("| item | value |")
    out.append("| --- | --- |")
    out.append(f"| CPU (lscpu model name) | {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores |")
    out.append(f"| Linux kernel | {machine.get('kernel', '?')} |")
    out.append(f"| Swift | {machine.get('swift', '?')} |")
    out.append(f"| OpenBLAS | {machine.get('openblas_package', '?')} {machine.get('openblas_version', '?')} |")
    out.append(
        f"| OpenBLAS environment | OPENBLAS_CORETYPE={machine.get('openblas_coretype', '?')}, "
        f"OPENBLAS_L2_SIZE={machine.get('openblas_l2_size', '?')} |"
    )
    out.append(f"| PyTorch | {machine.get('torch', '?')}, {torch_threads} threads (its default, `torch.get_num_threads()`) |")
    out.append(f"| Python, numpy | {machine.get('python', '?')}, {machine.get('numpy', '?')} |")
    out.append("")
    coretype = machine.get("openblas_coretype", "unset")
    if coretype != "unset":
        out.append(
            "This machine sets OPENBLAS_CORETYPE because older OpenBLAS builds compute wrong results on its CPU. "
            f"OpenBLAS then runs its {coretype} kernels whatever else the CPU supports, and lstmcast is measured "
            "with that setting unchanged.\n"
        )

    out.append("## Configuration\n")
    out.append(
        "Both implementations train the reference recipe. The series has 1,001 points of "
        "0.01·t + sin(2π·0.03·t) + U[0,1), cut into windows of 20 steps (981 windows) on the raw values without "
        "scaling. The model is LSTM(50) then Dense(1) on the last step, trained on mean squared error by Adam "
        "with learning rate 0.01, in batches of 100 reshuffled every epoch, for 100 epochs. "
        "The noise comes from lstmcast's seeded generator (seed 42) and from numpy's `default_rng(42)`, so the two "
        "series have the same formula and distribution but not the same values. lstmcast's Adam follows Keras "
        "(ε = 1e-7 added to √v before the bias correction scales the step) and PyTorch's its own form "
        "(ε = 1e-8 added to the bias-corrected √v), so their steps differ slightly.\n"
    )
    out.append(
        "- Training: one fresh model per process, timed from the start of training to the end of the last epoch, "
        "model creation excluded. Windows per second is "
        "981 × 100 ÷ seconds. lstmcast keeps OpenBLAS at 1 thread and splits each mini-batch across the threads "
        "shown. PyTorch first trains one untimed epoch on a throwaway model, so the set-up of its kernels on "
        "first use is not counted.\n"
        "- Forecast: a 100-step recursive forecast from the last 20 points, fed back one prediction at a time "
        "(PyTorch under `torch.no_grad()`). Each run times every call separately after 20 untimed calls.\n"
        "- Memory: ru_maxrss of a fresh process that trains the model once, in MB of 1,024 KiB. "
        "It includes the language runtime and every shared library the process loaded.\n"
    )

    out.append("## Training\n")
    out.append("| implementation | threads | runs | median seconds | median windows/s | ÷ PyTorch windows/s | median of per-round ratios | final loss |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in training:
        ratio = "1" if row["impl"] == "pytorch" else f"{row['ratio']:.2f}×"
        round_ratio = "" if row["impl"] == "pytorch" else f"{row['round_ratio']:.2f}×"
        out.append(
            f"| {row['impl']} | {row['threads']} | {row['runs']} | {row['seconds']:.3f} | "
            f"{row['windows_per_second']:,.0f} | {ratio} | {round_ratio} | {row['final_loss']:.4f} |"
        )
    out.append("")
    out.append(
        "The final loss is the last epoch's mean squared error on the raw scale. The uniform noise alone "
        "gives 1/12 ≈ 0.083, the lowest error a model can expect on this series.\n"
    )

    out.append("## Forecast\n")
    out.append(
        "lstmcast runs its gate activations from one of two builds of the same source: one for any x86-64 CPU "
        "and one with AVX2, chosen at start-up when the CPU has AVX2. The table times both; "
        "`LSTMCAST_ACTIVATIONS=baseline` makes lstmcast use the portable build.\n"
    )
    out.append("| implementation | activations | threads | runs × calls | median ms per forecast | p90 ms | PyTorch ms ÷ this |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    pytorch_forecast = next((row["median_ms"] for row in forecast if row["impl"] == "pytorch"), float("nan"))
    for row in forecast:
        ratio = f"{pytorch_forecast / row['median_ms']:.2f}×"
        out.append(
            f"| {row['impl']} | {row['activations'] or '—'} | {row['threads']} | {row['runs']} × {row['calls']} | "
            f"{row['median_ms']:.3f} | {row['p90_ms']:.3f} | {ratio} |"
        )
    out.append("")

    out.append("## Memory\n")
    out.append("| implementation | threads | peak RSS MB | peak RSS MB before training |")
    out.append("| --- | ---: | ---: | ---: |")
    for impl, row in memory.items():
        out.append(f"| {impl} | {row['threads']} | {row['peak_rss_mb']:.1f} | {row['before_mb']:.1f} |")
    out.append("")

    out.append("## Targets\n")
    out.append("| target | lstmcast | result |")
    out.append("| --- | --- | --- |")
    lstmcast_rows = [row for row in training if row["impl"] == "lstmcast"]
    matching = [row for row in lstmcast_rows if row["threads"] == torch_threads]
    compared = matching[0] if matching else max(lstmcast_rows, key=lambda row: row["threads"], default=None)
    if compared:
        out.append(
            f"| training ≥ {TARGET_TRAINING_RATIO:g}× PyTorch's windows/s | {compared['ratio']:.2f}× with "
            f"{compared['threads']} threads against PyTorch's {torch_threads} | "
            f"{verdict(compared['ratio'] >= TARGET_TRAINING_RATIO)} |"
        )
    # The first lstmcast row is the build the daemon picks on this CPU.
    chosen = next((row for row in forecast if row["impl"] == "lstmcast"), None)
    if chosen:
        figure = chosen["median_ms"]
        out.append(
            f"| 100-step forecast ≤ {TARGET_FORECAST_MS:g} ms | {figure:.3f} ms median "
            f"({chosen['activations']} activations) | {verdict(figure <= TARGET_FORECAST_MS)} |"
        )
    if "lstmcast" in memory:
        figure = memory["lstmcast"]["peak_rss_mb"]
        out.append(
            f"| peak RSS ≤ {TARGET_PEAK_RSS_MB:g} MB | {figure:.1f} MB | {verdict(figure <= TARGET_PEAK_RSS_MB)} |"
        )
    out.append("")
    return "\n".join(out)


def main(argv):
    parser = argparse.ArgumentParser(prog="bench-report.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    environment_parser = commands.add_parser("environment", help="print one JSON line describing this machine")
    environment_parser.add_argument("--rounds", type=int, required=True, help="training rounds scripts/bench ran")
    render_parser = commands.add_parser("render", help="write the Markdown page from the JSON lines")
    render_parser.add_argument("lines", help="JSON lines written by scripts/bench")
    render_parser.add_argument("page", help="Markdown file to write")
    arguments = parser.parse_args(argv)

    if arguments.command == "environment":
        print(json.dumps(environment(arguments.rounds), separators=(",", ":")), flush=True)
    else:
        page = render(read_lines(arguments.lines))
        page += kept_ingest_section(arguments.page)
        with open(arguments.page, "w", encoding="utf-8") as handle:
            handle.write(page)


def kept_ingest_section(path):
    """Return the section scripts/bench-ingest wrote into the page, so a new
    speed run does not erase the ingest figures; empty if there is none."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return ""
    start = text.find("<!-- bench-ingest: start")
    end_marker = "<!-- bench-ingest: end -->"
    end = text.find(end_marker)
    if start < 0 or end < start:
        return ""
    return "\n" + text[start:end + len(end_marker)] + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
