#!/usr/bin/python3
"""Interleaved A/B runs: the way a speed decision is made on a shared machine.

Runs each labelled command once per round, in turn (A B C A B C ...), so that whatever else the machine
is doing slows every variant alike; prints, per variant, the median epoch time (the program's own
"Epoch ... (S s)" lines, the first epoch of each run left out: JIT and warm-up), the range of the runs'
medians, the median user and system CPU time and peak RSS of the whole process, and the load average
before and after. Every ratio is against the first variant.

usage: interleave.py [--rounds 5] LABEL=COMMAND [LABEL=COMMAND ...]
       (COMMAND is split by the shell rules; put environment variables first: 'A=1 prog args')
"""
import os
import re
import shlex
import statistics
import subprocess
import sys

EPOCH = re.compile(r"Epoch \d+/\d+.*\(([0-9.]+) s\)")


def run(command):
    words = shlex.split(command)
    env = dict(os.environ, LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    proc = subprocess.Popen(words, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {command}\n{out[-2000:]}")
    seconds = [float(m.group(1)) for m in EPOCH.finditer(out)]
    return {"epochs": seconds[1:] or seconds, "user": usage.ru_utime, "sys": usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def main():
    args = sys.argv[1:]
    rounds = 5
    if args[:1] == ["--rounds"]:
        rounds, args = int(args[1]), args[2:]
    variants = [a.split("=", 1) for a in args]
    if not variants or any(len(v) != 2 for v in variants):
        sys.exit(__doc__)
    load = os.getloadavg()[0]
    results = {label: [] for label, _ in variants}
    for r in range(rounds):
        for label, command in variants:
            results[label].append(run(command))
            print(f"round {r + 1} {label}: median epoch {statistics.median(results[label][-1]['epochs']):.3f} s", file=sys.stderr, flush=True)
    print(f"load average before {load:.2f}, after {os.getloadavg()[0]:.2f}; {rounds} rounds, interleaved")
    base = None
    for label, _ in variants:
        runs = results[label]
        epochs = statistics.median([e for r in runs for e in r["epochs"]])
        medians = [statistics.median(r["epochs"]) for r in runs]
        base = base or epochs
        print(f"{label:>24}: {epochs:.3f} s/epoch ({epochs / base:.2f}x), run medians {min(medians):.3f}-{max(medians):.3f}, "
              f"user {statistics.median(r['user'] for r in runs):.2f} s, sys {statistics.median(r['sys'] for r in runs):.2f} s, "
              f"peak RSS {max(r['rss'] for r in runs):.0f} MiB")


if __name__ == "__main__":
    main()
