#!/usr/bin/env python3
"""Helpers of scripts/bench-ingest: watch a running lstmcastd and write the page.

    scripts/bench-ingest-report.py environment
        print one JSON line about this machine and the versions measured
    scripts/bench-ingest-report.py watch --lstmcast BIN --control ENDPOINT --pid PID
            --points N --label LABEL [--timeout S] [--idle S] [--field KEY=VALUE ...]
        time one ingest run and print one JSON line with the daemon's rate and memory
    scripts/bench-ingest-report.py render LINES.jsonl PAGE.md CONFIG.yaml
        replace (or add) the "## Ingest" section of PAGE.md

How `watch` times a run. `lstmcast status` with 1,000 series keeps the
daemon's main thread busy for a sizeable fraction of a second, and the main
thread is the one that ingests, so polling the counter during the run would
slow the very rate being measured. Instead the main thread's CPU time
(/proc/PID/task/PID/schedstat) is sampled every 20 ms, which costs the daemon
nothing. The run starts at the first sample in which that thread was busy
and ends at the last one before it falls idle. `lstmcast status --json` is
asked only while the thread is idle: when its points_accepted reaches N, or
stops growing, the run is over, and the rate is that count divided by the
busy span.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

SAMPLE_SECONDS = 0.02
# Less CPU than this in one sample is the idle main loop (a wake-up every 50 ms), not ingest.
BUSY_FRACTION = 0.1
TARGET_TEXT_RATE = 1_000_000
TARGET_JSON_RATE = 500_000
TARGET_P99_MS = 5.0
TARGET_RSS_MB = 200.0
START_MARKER = "<!-- bench-ingest: start (scripts/bench-ingest replaces this section) -->"
END_MARKER = "<!-- bench-ingest: end -->"


def command_output(arguments):
    """Return the command's first output line, or "unknown" when it cannot run."""
    try:
        result = subprocess.run(arguments, capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def lscpu_field(name):
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return "unknown"


def environment():
    return {
        "bench": "environment",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": lscpu_field("Model name"),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "swift": command_output(["swift", "--version"]),
        "libzmq": command_output(["pkg-config", "--modversion", "libzmq"]),
        "libzmq_package": command_output(["dpkg-query", "-W", "-f=${Version}", "libzmq5"]),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def main_thread_seconds(pid):
    """Return the CPU seconds the daemon's main thread has run. Its thread id is the process id."""
    try:
        with open(f"/proc/{pid}/task/{pid}/schedstat", encoding="ascii") as handle:
            return int(handle.read().split()[0]) / 1e9
    except FileNotFoundError:
        raise
    except (OSError, ValueError, IndexError):
        with open(f"/proc/{pid}/task/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid):
    """Return VmRSS and VmHWM in MB of 1,024 KiB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


def daemon_status(lstmcast, control):
    result = subprocess.run(
        [lstmcast, "status", "--json", "--control", control, "--timeout", "20"],
        capture_output=True, text=True, timeout=40)
    if result.returncode != 0:
        raise RuntimeError(f"lstmcast status failed: {result.stderr.strip()}")
    return json.loads(result.stdout)


def watch(args):
    pid = args.pid
    deadline = time.monotonic() + args.timeout
    previous_cpu = main_thread_seconds(pid)
    previous_time = time.monotonic()
    start = end = None
    cpu_at_start = cpu_at_end = None
    idle_since = None
    accepted = 0
    grown_at = None
    status = {}
    status_calls = []
    outcome = "timeout"

    while time.monotonic() < deadline:
        time.sleep(SAMPLE_SECONDS)
        now = time.monotonic()
        try:
            cpu = main_thread_seconds(pid)
        except FileNotFoundError:
            outcome = "daemon_exited"
            break
        used, elapsed = cpu - previous_cpu, now - previous_time
        sample_start, cpu_before_sample = previous_time, previous_cpu
        previous_cpu, previous_time = cpu, now
        if used > BUSY_FRACTION * elapsed:
            busy = min(used, elapsed)
            if start is None:
                # Work that began inside a sample most likely ran to its end.
                start, cpu_at_start = now - busy, cpu_before_sample
            # ...and work that stopped inside one most likely started with it.
            end, cpu_at_end = sample_start + busy, cpu
            idle_since = None
            continue
        if start is None:
            if args.sender_pid and not os.path.exists(f"/proc/{args.sender_pid}"):
                outcome = "sender_exited"
                break
            continue
        idle_since = idle_since or now
        if now - idle_since < args.idle_check:
            continue

        before = time.monotonic()
        cpu_before = main_thread_seconds(pid)
        status = daemon_status(args.lstmcast, args.control)
        after = time.monotonic()
        # The status call's own work on the main thread must not count as ingest.
        previous_cpu, previous_time = main_thread_seconds(pid), time.monotonic()
        status_calls.append({"wall": after - before, "main_thread": previous_cpu - cpu_before})
        if status["points_accepted"] > accepted:
            accepted, grown_at = status["points_accepted"], after
        if accepted >= args.points:
            outcome = "complete"
            break
        if after - (grown_at or before) >= args.idle:
            outcome = "stopped_growing"
            break
        idle_since = None

    if outcome in ("timeout", "sender_exited"):
        status = daemon_status(args.lstmcast, args.control)
        accepted = status["points_accepted"]
    rss = hwm = None
    if outcome != "daemon_exited":
        rss, hwm = memory_mb(pid)
    series = status.get("series", [])
    windows = [entry.get("points", 0) for entry in series]
    rejected = status.get("rejected", {})
    seconds = (end - start) if start is not None and end > start else None
    busy_cpu = (cpu_at_end - cpu_at_start) if seconds else 0

    line = {"bench": "ingest", "impl": "lstmcast", "label": args.label}
    for item in args.field:
        key, _, value = item.partition("=")
        line[key] = int(value) if re.fullmatch(r"-?\d+", value) else value
    line.update({
        "outcome": outcome,
        "points": args.points,
        "points_accepted": accepted,
        "points_rejected": sum(rejected.values()),
        "rejected": rejected,
        "points_missing": args.points - accepted - sum(rejected.values()),
        "seconds": round(seconds, 4) if seconds else None,
        "points_per_second": round(accepted / seconds) if seconds else None,
        # Below 1 means the main thread waited for a core or for data during the run.
        "main_thread_busy_fraction": round(busy_cpu / seconds, 3) if seconds else None,
        # The rate with a core to itself, for context. The figure is the rate above.
        "points_per_cpu_second": round(accepted / busy_cpu) if seconds and busy_cpu > 0 else None,
        "series": len(series),
        "min_window_points": min(windows) if windows else 0,
        "forecasts_published": status.get("forecasts_published", 0),
        # Every series trains once during the run; its checkpoint is written at most 100 per second.
        "checkpoints_written": status.get("checkpoints_written"),
        "checkpoints_pending": status.get("checkpoints_pending"),
        "vm_rss_mb": round(rss, 1) if rss is not None else None,
        "vm_hwm_mb": round(hwm, 1) if hwm is not None else None,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "status_calls": len(status_calls),
        "status_call_ms": round(1000 * statistics.median(c["wall"] for c in status_calls), 1) if status_calls else None,
        "status_main_thread_ms": (
            round(1000 * statistics.median(c["main_thread"] for c in status_calls), 1) if status_calls else None),
    })
    print(json.dumps(line, separators=(",", ":")), flush=True)
    return 0 if outcome == "complete" else 2


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def number(value, decimals=0):
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    return f"{value:,.{decimals}f}"


def met(ok):
    return "met" if ok else "missed"


def render(lines, config_text):
    env = next((line for line in lines if line["bench"] == "environment"), {})
    raw = {}
    for line in lines:
        if line["bench"] == "zmq_raw":
            raw.setdefault(line["transport"], []).append(line["messages_per_second"])
    raw_median = {transport: statistics.median(rates) for transport, rates in raw.items()}
    ceiling = raw_median.get("ipc")
    ingest = {line["label"]: line for line in lines if line["bench"] == "ingest"}
    sends = {line["label"]: line for line in lines if line["bench"] == "ingest_send"}
    latency = next((line for line in lines if line["bench"] == "latency"), None)

    out = [START_MARKER, "## Ingest", ""]
    out.append(
        f"Measured by `scripts/bench-ingest` on {env.get('date', 'unknown')}. Raw libzmq is the median of "
        f"{max(len(rates) for rates in raw.values()) if raw else 0} rounds per transport; every other figure "
        "comes from one run. The machine is shared, and its 1-minute load average was "
        f"{env.get('load_average_1m', 'unknown')} at the start, so the daemon's threads did not always have "
        "a core when they were ready to run; the notes show how much of each run its main thread was on a "
        "core. The raw lines are in `benchmarks-ingest.jsonl`.")
    out += ["", "| item | value |", "| --- | --- |"]
    out.append(f"| CPU (lscpu model name) | {env.get('cpu', 'unknown')}, {env.get('cores', '?')} cores |")
    out.append(f"| Linux kernel | {env.get('kernel', 'unknown')} |")
    out.append(f"| Swift | {env.get('swift', 'unknown')} |")
    out.append(f"| libzmq | {env.get('libzmq', 'unknown')} (Debian {env.get('libzmq_package', 'unknown')}) |")

    out += ["", "### How it is measured", ""]
    out.append(
        "- **Raw libzmq**: `lstmcast-bench zmq-raw`, an XPUB socket with ZMQ_XPUB_NODROP and a SUB socket "
        "in one process, each in its own context, the sender on its own thread. The messages are two-frame "
        "text points shaped like `[\"s123\", \"1700000000 21.5\"]`, received through the same Swift wrapper "
        "the daemon uses and then dropped. The rate counts from the first message received to the last; "
        "the figure is the median of the rounds.")
    out.append(
        "- **Daemon ingest**: a fresh `lstmcastd` per run with the configuration below. `lstmcast-bench ingest` "
        "binds the ipc:// endpoint the daemon connects to, waits for its subscription and sends the points "
        "round-robin over the series, one second apart per series, as fast as the queue takes them. "
        "With `receive_hwm: 0` the daemon's queue takes them all at once, so the sender is done long before "
        "the daemon is. The daemon's rate is `points_accepted` from `lstmcast status --json` divided by the "
        "time its main thread spent from the first accepted point to the last, taken from that thread's CPU "
        "time every 20 ms. The main thread reads, parses and ingests every point, while two other threads "
        "compute the forecasts and write their JSON. Each series trains once, after its 50th point, so a run "
        "also trains 1,000 models. Their checkpoints go to a background thread that writes at most 100 files "
        "per second, so most of them are still queued when the last point is accepted; the notes give both "
        "counts. `lstmcast status` is only asked "
        "once the thread falls idle, because with 1,000 series each call keeps the main thread busy for "
        "the time shown as `status` below, which would slow the rate under test.")
    out.append(
        "- **Memory**: VmRSS and VmHWM from `/proc/PID/status` once every point of a run is accepted, in MB "
        "of 1,024 KiB. With `receive_hwm: 0` the whole backlog of unread messages sits in the daemon, so the "
        "memory run repeats the text run with `input.receive_hwm: 1000`: the backlog then waits in the "
        "publisher (which keeps its socket open until the daemon has every point) and the figures show the "
        "daemon's own state: 1,000 series with full windows of 1,000 points.")
    out.append(
        "- **Latency**: `lstmcast-bench latency` sends points at a steady rate and subscribes to the "
        "forecasts. Each forecast is matched by its `series` and `ts` to the send time of the point it "
        "starts from, on the same monotonic clock. The receiving thread only stamps each forecast's "
        "arrival and reads it after the run, so its own parsing delays no forecast behind it. Forecasts "
        "of points sent in the warm-up (while the first models train) are left out. Every series gets "
        "its 100th point within the same 10 ms, so its forecasts come in bursts of 100.")

    out += ["", "Daemon configuration (all runs; the memory run sets `input.receive_hwm: 1000`; paths are "
            "in a temporary folder):", "", "```yaml", config_text.strip(), "```"]

    out += ["", "### Figures", "", "| figure | value | notes |", "| --- | ---: | --- |"]
    for transport in ("ipc", "tcp"):
        if transport in raw_median:
            rates = ", ".join(number(rate) for rate in raw[transport])
            out.append(
                f"| raw libzmq, {transport} | {number(raw_median[transport])} msg/s | rounds: {rates} |")
    for label, title in (("text", "plain text"), ("json", "JSON"), ("memory", "plain text, receive_hwm 1000")):
        run = ingest.get(label)
        if not run:
            continue
        send = sends.get(label, {})
        ratio = f"{run['points_per_second'] / ceiling:.3f}× raw ipc" if ceiling and run["points_per_second"] else ""
        span = f"{run['seconds']:.2f} s" if run["seconds"] else "no measurable time"
        notes = [
            f"{number(run['points_accepted'])} of {number(run['points'])} accepted in {span} ({run['outcome']})",
            f"main thread on a core {100 * (run['main_thread_busy_fraction'] or 0):.0f}% of that time, "
            f"{number(run['points_per_cpu_second'])} points per CPU second",
            f"sender {number(send.get('points_per_second'))} points/s",
            f"VmRSS {number(run['vm_rss_mb'], 1)} MB, VmHWM {number(run['vm_hwm_mb'], 1)} MB",
            f"checkpoints {number(run.get('checkpoints_written'))} written, "
            f"{number(run.get('checkpoints_pending'))} still queued at the end",
            f"load average {run.get('load_average_1m', 'unknown')} at the end",
        ]
        if run["points_missing"] or run["points_rejected"]:
            notes.append(f"{run['points_missing']} missing, {run['points_rejected']} rejected")
        if ratio:
            notes.insert(1, ratio)
        out.append(f"| lstmcastd ingest, {title} | {number(run['points_per_second'])} points/s | {'; '.join(notes)} |")
    memory = ingest.get("memory")
    if memory:
        out.append(
            f"| resident memory, {number(memory['series'])} series, smallest window {number(memory['min_window_points'])} points "
            f"| {number(memory['vm_rss_mb'], 1)} MB | VmHWM {number(memory['vm_hwm_mb'], 1)} MB |")
        if memory.get("status_call_ms") is not None:
            out.append(
                f"| `lstmcast status --json` with {number(memory['series'])} series | {number(memory['status_call_ms'])} ms "
                f"| of which the daemon's main thread {number(memory['status_main_thread_ms'])} ms |")
    if latency:
        out.append(
            f"| latency p50, {number(latency['rate'])} points/s over {latency['series']} series "
            f"| {latency['p50_ms']:.2f} ms | {number(latency['forecasts_timed'])} forecasts timed after "
            f"{latency['warm_up_seconds']:.0f} s of warm-up; sent {number(latency['achieved_rate'])} points/s |")
        out.append(
            f"| latency p99 | {latency['p99_ms']:.2f} ms | max {latency['max_ms']:.2f} ms; "
            f"load average {latency.get('load_average_1m', 'unknown')} at the end |")

    out += ["", "### Targets", "", "| target | measured | result |", "| --- | --- | --- |"]
    for label, absolute, title in (("text", TARGET_TEXT_RATE, "text"), ("json", TARGET_JSON_RATE, "JSON")):
        run = ingest.get(label)
        if not run:
            out.append(f"| {title} ingest | not measured | missed |")
            continue
        goal = min(absolute, ceiling / 2) if ceiling else absolute
        rate = run["points_per_second"] or 0
        out.append(
            f"| {title} ingest ≥ {number(goal)} points/s (the lower of {number(absolute)} and half of raw ipc) "
            f"| {number(rate)} points/s | {met(rate >= goal and run['outcome'] == 'complete')} |")
    if latency:
        out.append(
            f"| p99 point-to-forecast ≤ {TARGET_P99_MS:g} ms | {latency['p99_ms']:.2f} ms "
            f"| {met(latency['p99_ms'] <= TARGET_P99_MS)} |")
    else:
        out.append(f"| p99 point-to-forecast ≤ {TARGET_P99_MS:g} ms | not measured | missed |")
    if memory:
        full = memory["series"] >= 1000 and memory["min_window_points"] >= 1000 and memory["vm_rss_mb"] is not None
        out.append(
            f"| ≤ {TARGET_RSS_MB:g} MB resident with 1,000 series of window 1,000 | {number(memory['vm_rss_mb'], 1)} MB "
            f"| {met(full and memory['vm_rss_mb'] <= TARGET_RSS_MB)} |")
    else:
        out.append(f"| ≤ {TARGET_RSS_MB:g} MB resident with 1,000 series of window 1,000 | not measured | missed |")
    out += ["", END_MARKER]
    return "\n".join(out) + "\n"


def splice(page, section):
    """Replace the text between the markers, or append the section when they are missing."""
    if START_MARKER in page and END_MARKER in page:
        head, _, rest = page.partition(START_MARKER)
        _, _, tail = rest.partition(END_MARKER)
        return head + section.rstrip("\n") + tail
    if not page:
        return "# Benchmarks\n\n" + section
    return page.rstrip("\n") + "\n\n" + section


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("environment")
    watching = commands.add_parser("watch")
    watching.add_argument("--lstmcast", required=True)
    watching.add_argument("--control", required=True)
    watching.add_argument("--pid", type=int, required=True)
    watching.add_argument("--points", type=int, required=True)
    watching.add_argument("--label", required=True)
    watching.add_argument("--timeout", type=float, default=150)
    watching.add_argument("--idle", type=float, default=5, help="seconds without growth that end a run")
    watching.add_argument("--idle-check", type=float, default=0.5, help="idle seconds before requesting the status counter")
    watching.add_argument("--sender-pid", type=int, help="give up early if this process ends before any point arrives")
    watching.add_argument("--field", action="append", default=[], help="KEY=VALUE copied into the line")
    rendering = commands.add_parser("render")
    rendering.add_argument("lines")
    rendering.add_argument("page")
    rendering.add_argument("config")
    args = parser.parse_args()

    if args.command == "environment":
        print(json.dumps(environment(), separators=(",", ":")))
        return 0
    if args.command == "watch":
        return watch(args)
    with open(args.config, encoding="utf-8") as handle:
        config_text = handle.read()
    section = render(read_lines(args.lines), config_text)
    try:
        with open(args.page, encoding="utf-8") as handle:
            page = handle.read()
    except FileNotFoundError:
        page = ""
    with open(args.page, "w", encoding="utf-8") as handle:
        handle.write(splice(page, section))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # The trap in scripts/bench-ingest stops the daemon and exits with this status.
        sys.exit(130)
