"""The many-bindings benchmark: slsx against its peers, each run as a whole process.

    python3 benchmarks/run.py [--sizes 100,1000,10000] [--runs 5] [--skip-build]

Installs the peers into benchmarks/.venv (jsonnet, gojsonnet, starlark-pyo3 and PyYAML from PyPI),
builds slsx in release mode with the Swift runtime linked in (`--static-swift-stdlib`, as the
README's Install section builds it), checks that every tool writes the same documents (check_peers.py),
then runs every tool for each N with M = 5. The runs of one N are interleaved (one run of every
tool, then the next round) so that machine noise falls on all tools alike. For each format and N
it prints the median wall time, CPU time (user and system, from wait4) and peak RSS, the output
size, and each peer's figures as a multiple of slsx's. Then it prints the growth from 1,000 to
10,000 functions and the median of a small sample run end to end.

A tool is skipped at an N where one run would take over a minute: when its median at the previous
N, times the growth it showed there (at least 10), exceeds 60 s, or when a run passes 60 s and is
stopped. So that the whole benchmark takes a few minutes, each tool gets about 30 s per N: a tool
whose first run takes 10 s runs 3 times, one that takes over 15 s once. The `runs` column shows how
many runs each median has.
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

BENCHMARKS = pathlib.Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
VENV = BENCHMARKS / ".venv"
PEER_PACKAGES = ["jsonnet==0.22.0", "gojsonnet==0.22.0", "starlark-pyo3==2026.1.3", "PyYAML==6.0.4"]
M = 5
TIMEOUT_SECONDS = 60
BUDGET_SECONDS = 30
SAMPLE = ROOT / "samples" / "docs" / "02-batch-size-starting-position.slsx"
SAMPLE_RUNS = 21

# (format, tool) pairs, in the order of the table. The YAML table compares the peers that write YAML.
BENCHMARKS_TO_RUN = [
    ("cfn-json", "slsx"), ("cfn-json", "node"), ("cfn-json", "python"), ("cfn-json", "starlark"),
    ("cfn-json", "jsonnet-go"), ("cfn-json", "jsonnet-cpp"),
    ("yaml", "slsx"), ("yaml", "python"), ("yaml", "starlark"), ("yaml", "jsonnet-go"), ("yaml", "jsonnet-cpp"),
]


def prepare(skip_build):
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", *PEER_PACKAGES], check=True)
    if not skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "slsx"], cwd=ROOT, check=True)
    subprocess.run([str(VENV / "bin" / "python"), str(BENCHMARKS / "check_peers.py")], check=True)


def measure(command):
    """Runs `command` with its output in a temporary file. Returns (wall seconds, peak RSS in bytes,
    output bytes, CPU seconds), or None when the run passed the time limit and was stopped."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL)
        deadline = start + TIMEOUT_SECONDS
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                return None
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"failed with status {process.returncode}: {' '.join(command)}")
        # ru_maxrss is in KiB on Linux.
        return seconds, usage.ru_maxrss * 1024, output.tell(), usage.ru_utime + usage.ru_stime


def run_size(n, runs, previous):
    """Measures every (format, tool) at N, interleaved. `previous` maps (format, tool) to the
    results at the previous sizes, for the skip rule."""
    from tools import TOOLS

    results = {key: [] for key in BENCHMARKS_TO_RUN}
    skipped = {}
    for key in BENCHMARKS_TO_RUN:
        history = previous.get(key, [])
        if history and history[-1].get("skipped"):
            skipped[key] = history[-1]["skipped"]
        elif history:
            growth = 10.0
            if len(history) >= 2 and history[-2].get("seconds"):
                growth = max(growth, history[-1]["seconds"] / history[-2]["seconds"])
            if history[-1]["seconds"] * growth > TIMEOUT_SECONDS:
                skipped[key] = f"skipped: about {history[-1]['seconds'] * growth:.0f} s expected"

    for round_number in range(runs):
        for key in BENCHMARKS_TO_RUN:
            if key in skipped:
                continue
            if results[key] and len(results[key]) >= max(1, int(BUDGET_SECONDS / results[key][0][0])):
                continue
            output_format, tool = key
            measured = measure(TOOLS[tool][output_format](n, M))
            if measured is None:
                skipped[key] = f"stopped after {TIMEOUT_SECONDS} s"
                continue
            results[key].append(measured)

    summary = {}
    for key in BENCHMARKS_TO_RUN:
        if key in skipped:
            summary[key] = {"skipped": skipped[key]}
            continue
        samples = results[key]
        summary[key] = {
            "runs": len(samples),
            "seconds": statistics.median(s[0] for s in samples),
            "rss": statistics.median(s[1] for s in samples),
            "cpu": statistics.median(s[3] for s in samples),
            "bytes": samples[0][2],
        }
    return summary


def print_tables(sizes, by_size):
    mib = 1024 * 1024
    for output_format in ["cfn-json", "yaml"]:
        print(f"\n### {output_format}, M = {M}\n")
        print("| N | tool | runs | wall time | CPU time | peak RSS | output | wall ÷ slsx | CPU ÷ slsx | RSS ÷ slsx |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for n in sizes:
            reference = by_size[n][(output_format, "slsx")]
            for key in BENCHMARKS_TO_RUN:
                if key[0] != output_format:
                    continue
                result = by_size[n][key]
                if "skipped" in result:
                    print(f"| {n:,} | {key[1]} | – | {result['skipped']} | | | | | | |")
                    continue
                time_ratio = cpu_ratio = rss_ratio = "–"
                if key[1] != "slsx" and "seconds" in reference:
                    time_ratio = f"{result['seconds'] / reference['seconds']:.2f}×"
                    cpu_ratio = f"{result['cpu'] / reference['cpu']:.2f}×"
                    rss_ratio = f"{result['rss'] / reference['rss']:.2f}×"
                print(
                    f"| {n:,} | {key[1]} | {result['runs']} | {result['seconds']:.3f} s | {result['cpu']:.3f} s | "
                    f"{result['rss'] / mib:.0f} MiB | {result['bytes'] / 1e6:.1f} MB | {time_ratio} | {cpu_ratio} | {rss_ratio} |"
                )

    if 1000 in by_size and 10000 in by_size:
        print("\n### Growth from N = 1,000 to N = 10,000\n")
        print("| format | tool | wall time × | CPU time × | peak RSS × | output × |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for key in BENCHMARKS_TO_RUN:
            small, large = by_size[1000][key], by_size[10000][key]
            if "seconds" not in small or "seconds" not in large:
                continue
            print(
                f"| {key[0]} | {key[1]} | {large['seconds'] / small['seconds']:.1f} | {large['cpu'] / small['cpu']:.1f} | "
                f"{large['rss'] / small['rss']:.1f} | {large['bytes'] / small['bytes']:.1f} |"
            )


def run_sample():
    slsx = ROOT / ".build" / "release" / "slsx"
    runs = [measure([str(slsx), "emit", str(SAMPLE)]) for _ in range(SAMPLE_RUNS)]
    times = [run[0] for run in runs]
    print(f"\n### Small sample end to end\n\n`slsx emit {SAMPLE.relative_to(ROOT)}`: median "
          f"{statistics.median(times) * 1000:.1f} ms wall over {SAMPLE_RUNS} runs "
          f"(fastest {min(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms), median CPU time "
          f"{statistics.median(run[3] for run in runs) * 1000:.1f} ms")


def load_average():
    """Returns the 1-, 5- and 15-minute load averages, which show how much other work shared the CPUs."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated values of N")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool and N (default 5)")
    parser.add_argument("--skip-build", action="store_true", help="use the existing release build")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]

    sys.path.insert(0, str(BENCHMARKS))
    prepare(arguments.skip_build)
    load_at_start = load_average()
    started = time.perf_counter()
    history, by_size = {}, {}
    for n in sizes:
        by_size[n] = run_size(n, arguments.runs, history)
        for key, result in by_size[n].items():
            history.setdefault(key, []).append(result)
        print(f"N = {n:,} done after {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print_tables(sizes, by_size)
    run_sample()
    print(f"\nBenchmark time {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; "
          f"load average at the start {load_at_start}, at the end {load_average()}.")


if __name__ == "__main__":
    main()
