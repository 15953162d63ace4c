#!/usr/bin/env python3
"""Draw one series' points and its newest lstmcastd forecast, live.

Subscribes to the series' points on the input stream (the publisher that
lstmcastd reads, for example `lstmcast feed`) and to its forecast topic on
the daemon's output socket. The point history is a blue line and the newest
forecast a red line from the point it starts at, marked by a dashed vertical
line. When the forecast carries `lower` and `upper` arrays, a shaded band
spans them.

Without --png it opens a window and redraws about twice a second until the
window is closed or Ctrl-C is pressed. With --png it renders one frame
headless once a forecast (and --min-points points) arrived, and exits 0; if
no forecast arrived within --timeout seconds it exits 1.

    scripts/dashboard.py --series seattle.temp
    scripts/dashboard.py --series wave --png wave.png --timeout 60
"""
import argparse
import json
import math
import signal
import sys
import time
from collections import deque
from datetime import datetime, timezone

import numpy as np
import zmq

PROGRAM = "dashboard.py"

# Timestamps from 2000-01-01T00:00:00Z to 9999-12-31T23:59:59Z are taken as
# epoch seconds and drawn as dates. Others, such as step counters, stay plain
# numbers. The upper bound is the last second Python's datetime can represent.
EPOCH_2000 = 946_684_800.0
EPOCH_9999 = 253_402_300_799.0

REDRAW_SECONDS = 0.5

# With --png, once the conditions hold, wait this long at most for a forecast
# that starts at the newest point, so the red line continues the blue one.
CATCH_UP_SECONDS = 2.0

# Messages handled per redraw at most, so a fast feed cannot freeze the window.
MAX_MESSAGES_PER_DRAIN = 20_000

NON_INTERACTIVE_BACKENDS = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def finite_number(value):
    """Return `value` as a finite float, or None for anything else (bool and NaN included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def parse_number_text(text):
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_rfc3339(text):
    """Return epoch seconds of an RFC 3339 date-time, which must carry a UTC offset, or None."""
    if len(text) < 20:
        return None
    normalized = text[:-1] + "+00:00" if text[-1] in "Zz" else text
    try:
        moment = datetime.fromisoformat(normalized)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp()


def parse_timestamp_text(text):
    number = parse_number_text(text)
    return number if number is not None else parse_rfc3339(text)


def parse_plain_fields(fields):
    """Return (timestamp or None, value) from ['value'] or ['ts', 'value'], or None."""
    if len(fields) not in (1, 2):
        return None
    value = parse_number_text(fields[-1])
    if value is None:
        return None
    if len(fields) == 1:
        return None, value
    timestamp = parse_timestamp_text(fields[0])
    if timestamp is None:
        return None
    return timestamp, value


def parse_json_payload(text):
    try:
        payload = json.loads(text)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    value = finite_number(payload.get("value"))
    if value is None:
        return None
    raw_timestamp = payload.get("ts")
    if raw_timestamp is None:
        return None, value
    if isinstance(raw_timestamp, str):
        timestamp = parse_timestamp_text(raw_timestamp)
    else:
        timestamp = finite_number(raw_timestamp)
    if timestamp is None:
        return None
    return timestamp, value


# Returned by parse_point for a message of another series: a ZeroMQ
# subscription matches by prefix, so "wave" also receives "wave2".
OTHER_SERIES = "other series"


def parse_point(frames, series):
    """Return (timestamp or None, value) for a point of `series`, OTHER_SERIES, or None if malformed.

    Accepts the input forms of docs/protocol.md: [topic, JSON], [topic,
    "value"], [topic, "ts value"] and one frame "topic value" or "topic ts
    value".
    """
    series_bytes = series.encode("utf-8")
    if len(frames) == 2:
        if frames[0] != series_bytes:
            return OTHER_SERIES
        try:
            payload = frames[1].decode("utf-8").strip()
        except UnicodeDecodeError:
            return None
        if payload.startswith("{"):
            return parse_json_payload(payload)
        return parse_plain_fields(payload.replace(",", " ").split())
    if len(frames) == 1:
        if not frames[0].startswith(series_bytes):
            return OTHER_SERIES
        try:
            fields = frames[0].decode("utf-8").split()
        except UnicodeDecodeError:
            return None
        if not fields or fields[0] != series:
            return OTHER_SERIES
        return parse_plain_fields(fields[1:])
    return OTHER_SERIES if not frames or frames[0] != series_bytes else None


def finite_list(values, length=None):
    if not isinstance(values, list) or (length is not None and len(values) != length):
        return None
    numbers = [finite_number(value) for value in values]
    return None if any(number is None for number in numbers) else numbers


def bound_list(values, length):
    """Return prediction bounds with NaN for each `null`, or None if malformed or all null.

    lstmcastd sends `null` for a lead time that has too few scored errors.
    """
    if not isinstance(values, list) or len(values) != length:
        return None
    bounds = []
    for value in values:
        number = finite_number(value)
        if number is None and value is not None:
            return None
        bounds.append(math.nan if number is None else number)
    return None if all(math.isnan(bound) for bound in bounds) else bounds


def parse_forecast(frames, topic):
    """Return the forecast object of docs/protocol.md with checked fields, or None if malformed."""
    if len(frames) != 2 or frames[0] != topic:
        return None
    try:
        payload = json.loads(frames[1].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    start = finite_number(payload.get("ts"))
    values = finite_list(payload.get("values"))
    if start is None or not values:
        return None

    timestamps = finite_list(payload.get("timestamps"), len(values))
    if timestamps is None:
        interval = finite_number(payload.get("interval"))
        if interval is None or interval <= 0:
            return None
        timestamps = [start + interval * (step + 1) for step in range(len(values))]

    model = payload.get("model") if isinstance(payload.get("model"), dict) else {}
    version = finite_number(model.get("version"))
    forecast = {
        "ts": start,
        "values": values,
        "timestamps": timestamps,
        "version": int(version) if version is not None else None,
        "fallback": payload.get("fallback") if isinstance(payload.get("fallback"), str) else None,
        "lower": bound_list(payload.get("lower"), len(values)),
        "upper": bound_list(payload.get("upper"), len(values)),
        "coverage": finite_number(payload.get("interval_coverage")),
    }
    if forecast["lower"] is None or forecast["upper"] is None:
        forecast["lower"] = forecast["upper"] = None
    return forecast


class SeriesView:
    """The points and newest forecast of one series, as the dashboard has received them."""

    def __init__(self, history_length):
        self.history = deque(maxlen=history_length)
        self.points_received = 0
        self.malformed = 0
        self.forecast = None

    def add_point(self, timestamp, value):
        # Mirrors lstmcastd, which rejects a point older than the series'
        # newest and lets one with the same timestamp replace its value.
        if timestamp is None:
            timestamp = time.time()
        if self.history:
            newest = self.history[-1][0]
            if timestamp < newest:
                return
            if timestamp == newest:
                self.history.pop()
        self.history.append((timestamp, value))
        self.points_received += 1

    def add_forecast(self, forecast):
        # A late subscription makes the daemon resend its cached forecast, and
        # a retraining republishes from the same point with a higher version.
        if self.forecast is not None:
            if (forecast["ts"], forecast["version"] or 0) < (self.forecast["ts"], self.forecast["version"] or 0):
                return
        self.forecast = forecast

    def forecast_is_current(self):
        return self.forecast is not None and bool(self.history) and self.forecast["ts"] >= self.history[-1][0]


class Feeds:
    """The two SUB sockets: points of the series and its forecast topic."""

    def __init__(self, args):
        self.series = args.series
        self.forecast_topic = (args.prefix + args.series).encode("utf-8")
        self.context = zmq.Context()
        self.points = self.context.socket(zmq.SUB)
        self.forecasts = self.context.socket(zmq.SUB)
        for socket in (self.points, self.forecasts):
            socket.setsockopt(zmq.LINGER, 0)
            # A dashboard behind a fast feed drains in bursts between redraws.
            socket.setsockopt(zmq.RCVHWM, 100_000)
        self.points.setsockopt(zmq.SUBSCRIBE, args.series.encode("utf-8"))
        self.forecasts.setsockopt(zmq.SUBSCRIBE, self.forecast_topic)
        self.connect(self.points, args.points, "--points")
        self.connect(self.forecasts, args.forecasts, "--forecasts")
        self.poller = zmq.Poller()
        self.poller.register(self.points, zmq.POLLIN)
        self.poller.register(self.forecasts, zmq.POLLIN)

    def connect(self, socket, endpoint, option):
        try:
            socket.connect(endpoint)
        except zmq.ZMQError as error:
            self.close()
            fail(f"failed to connect to {option} {endpoint!r}: {error}. "
                 "Give an endpoint such as tcp://127.0.0.1:5556 or ipc:///path/to/socket.", status=2)

    def wait(self, seconds):
        self.poller.poll(max(0, int(seconds * 1000)))

    def drain(self, view):
        """Move every queued message into `view`, up to MAX_MESSAGES_PER_DRAIN."""
        handled = 0
        for socket, is_points in ((self.points, True), (self.forecasts, False)):
            while handled < MAX_MESSAGES_PER_DRAIN:
                try:
                    frames = socket.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                handled += 1
                if is_points:
                    point = parse_point(frames, self.series)
                    if point is None:
                        view.malformed += 1
                    elif point is not OTHER_SERIES:
                        view.add_point(*point)
                else:
                    forecast = parse_forecast(frames, self.forecast_topic)
                    if forecast is None:
                        if frames[0] == self.forecast_topic:
                            view.malformed += 1
                    else:
                        view.add_forecast(forecast)
        return handled

    def close(self):
        self.points.close(linger=0)
        self.forecasts.close(linger=0)
        self.context.term()


def looks_like_epoch(timestamps):
    return len(timestamps) > 0 and min(timestamps) >= EPOCH_2000 and max(timestamps) <= EPOCH_9999


def to_axis(timestamps, as_dates):
    array = np.asarray(timestamps, dtype=float)
    if not as_dates:
        return array
    return np.round(array * 1000).astype("int64").astype("datetime64[ms]")


def format_moment(timestamp, as_dates):
    if as_dates:
        return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{timestamp:.15g}"


def draw(axes, view, args):
    """Draw the history, the forecast, its start line and its band on `axes`, cleared first."""
    import matplotlib.dates as mdates

    axes.clear()
    history = list(view.history)
    forecast = view.forecast
    all_timestamps = [t for t, _ in history] + (forecast["timestamps"] + [forecast["ts"]] if forecast else [])
    as_dates = looks_like_epoch(all_timestamps)

    if history:
        axes.plot(to_axis([t for t, _ in history], as_dates), [v for _, v in history],
                  color="tab:blue", linewidth=1.4, label="points")
    if forecast:
        # The red line starts at the point the forecast was made from, when the
        # history still contains it, so it continues the blue line.
        anchor = next((v for t, v in reversed(history) if t == forecast["ts"]), None)
        times = forecast["timestamps"]
        values = forecast["values"]
        if anchor is not None:
            times = [forecast["ts"]] + times
            values = [anchor] + values
        axes.plot(to_axis(times, as_dates), values, color="tab:red", linewidth=1.8, label="forecast")
        if forecast["lower"] is not None:
            lower = forecast["lower"]
            upper = forecast["upper"]
            if anchor is not None:
                lower = [anchor] + lower
                upper = [anchor] + upper
            coverage = forecast["coverage"]
            label = f"{coverage:.0%} prediction interval" if coverage is not None else "prediction interval"
            # Matplotlib leaves a gap where a bound is NaN, i.e. at lead times without one.
            axes.fill_between(to_axis(times, as_dates), lower, upper, color="tab:red", alpha=0.2,
                              linewidth=0, label=label)
        axes.axvline(to_axis([forecast["ts"]], as_dates)[0], color="0.3", linestyle="--", linewidth=1,
                     label="forecast start")

    if as_dates:
        locator = mdates.AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        axes.set_xlabel("time (UTC)")
    else:
        axes.set_xlabel("timestamp")
    axes.set_ylabel("value")
    axes.grid(True, color="0.9")

    if forecast:
        version = f"model v{forecast['version']}" if forecast["version"] is not None else "model version unknown"
        title = f"{args.series} · {version} · forecast from {format_moment(forecast['ts'], as_dates)}"
        if forecast["fallback"]:
            title += f" · fallback: {forecast['fallback']}"
    else:
        title = f"{args.series} · waiting for a forecast on {args.forecasts}"
    axes.set_title(title)
    if history or forecast:
        axes.legend(loc="best", fontsize="small")
    else:
        axes.text(0.5, 0.5, f"waiting for points of {args.series!r} on {args.points}",
                  transform=axes.transAxes, ha="center", va="center", color="0.4")


def render_png(args, feeds, view):
    """Wait for a forecast and --min-points points, then write one frame to --png and return the exit status."""
    from matplotlib.figure import Figure

    started = time.monotonic()
    deadline = started + args.timeout
    ready_since = None
    while True:
        feeds.drain(view)
        now = time.monotonic()
        if view.forecast is not None and view.points_received >= args.min_points:
            ready_since = ready_since if ready_since is not None else now
            if view.forecast_is_current() or now - ready_since >= CATCH_UP_SECONDS:
                break
        if now >= deadline:
            break
        feeds.wait(min(0.1, deadline - now))

    if view.forecast is None:
        print(f"{PROGRAM}: timed out after {args.timeout:g} s: no forecast for series {args.series!r} "
              f"(topic {args.prefix + args.series!r}) arrived from {args.forecasts}; "
              f"{view.points_received} points arrived from {args.points}. Check that lstmcastd is running, "
              "that its output.bind and topic_prefix match --forecasts and --prefix, and that the series "
              "has reached retrain.min_points.", file=sys.stderr)
        return 1
    if view.points_received < args.min_points:
        print(f"{PROGRAM}: warning: timed out after {args.timeout:g} s with {view.points_received} of "
              f"--min-points {args.min_points} points from {args.points}; rendering what arrived",
              file=sys.stderr)

    figure = Figure(figsize=(10, 5), dpi=100, layout="constrained")
    draw(figure.add_subplot(), view, args)
    try:
        figure.savefig(args.png)
    except OSError as error:
        print(f"{PROGRAM}: failed to write {args.png}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"{PROGRAM}: wrote {args.png}: {len(view.history)} points shown of {view.points_received} received, "
          f"forecast of {len(view.forecast['values'])} values from "
          f"{format_moment(view.forecast['ts'], looks_like_epoch([view.forecast['ts']]))}, "
          f"{view.malformed} malformed messages ignored, after {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    return 0


def show_window(args, feeds, view):
    """Open a window that redraws about twice a second until it is closed or Ctrl-C, and return the exit status."""
    import matplotlib.pyplot as plt

    backend = plt.get_backend().lower()
    if backend in NON_INTERACTIVE_BACKENDS:
        print(f"{PROGRAM}: matplotlib has no interactive backend here (it chose {backend!r}), so no window can "
              "open; set DISPLAY or MPLBACKEND, or render a file with --png FILE", file=sys.stderr)
        return 1

    figure, axes = plt.subplots(figsize=(10, 5), layout="constrained")
    figure.canvas.manager.set_window_title(f"lstmcast · {args.series}")

    def refresh():
        feeds.drain(view)
        draw(axes, view, args)
        figure.canvas.draw_idle()

    refresh()
    timer = figure.canvas.new_timer(interval=int(REDRAW_SECONDS * 1000))
    timer.add_callback(refresh)
    timer.start()
    # GUI event loops hold on to SIGINT; closing the figures ends plt.show().
    signal.signal(signal.SIGINT, lambda *_: plt.close("all"))
    plt.show()
    timer.stop()
    return 0


def positive_int(text):
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}")
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def non_negative_int(text):
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}")
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {number}")
    return number


def positive_seconds(text):
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds: {text!r}")
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return number


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog=PROGRAM, description=__doc__.splitlines()[0],
        epilog="Exit status: 0 after a window closed or a PNG was written; 1 when no forecast arrived "
               "within --timeout, the PNG could not be written or no window can open; 2 for invalid options.")
    parser.add_argument("--series", required=True, metavar="NAME",
                        help="series to draw: the topic of its points on the input stream")
    parser.add_argument("--points", default="tcp://127.0.0.1:5556", metavar="ENDPOINT",
                        help="ZeroMQ endpoint of the publisher of points to connect to, the one lstmcastd "
                             "reads (default: %(default)s)")
    parser.add_argument("--forecasts", default="tcp://127.0.0.1:5557", metavar="ENDPOINT",
                        help="ZeroMQ endpoint of lstmcastd's forecast socket (output.bind) to connect to "
                             "(default: %(default)s)")
    parser.add_argument("--prefix", default="forecast.",
                        help="forecast topic prefix, the daemon's output.topic_prefix; the topic is the "
                             "prefix followed by the series name (default: %(default)s)")
    parser.add_argument("--history", type=positive_int, default=500, metavar="N",
                        help="newest points kept and drawn, in points (default: %(default)s)")
    parser.add_argument("--png", metavar="FILE",
                        help="render one frame headless to this PNG file and exit instead of opening a window")
    parser.add_argument("--timeout", type=positive_seconds, default=30.0, metavar="SECONDS",
                        help="with --png, seconds to wait for a forecast (and --min-points) before rendering "
                             "or, without a forecast, exiting 1 (default: %(default)g)")
    parser.add_argument("--min-points", type=non_negative_int, default=1, metavar="N",
                        help="with --png, points of the series to receive before rendering, in points "
                             "(default: %(default)s)")
    args = parser.parse_args(argv)
    if not 1 <= len(args.series.encode("utf-8")) <= 256:
        parser.error(f"--series must be 1 to 256 bytes of UTF-8, as lstmcastd's topics are; got {args.series!r}")
    return args


def fail(message, status=1):
    print(f"{PROGRAM}: {message}", file=sys.stderr)
    sys.exit(status)


def main(argv=None):
    args = parse_arguments(argv)
    if args.png:
        # Chosen before pyplot can be imported anywhere, so no display is needed.
        import matplotlib
        matplotlib.use("Agg")
    feeds = Feeds(args)
    view = SeriesView(args.history)
    try:
        if args.png:
            return render_png(args, feeds, view)
        return show_window(args, feeds, view)
    except KeyboardInterrupt:
        return 130
    finally:
        feeds.close()


if __name__ == "__main__":
    sys.exit(main())
