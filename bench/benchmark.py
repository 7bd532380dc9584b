#!/usr/bin/python3
"""MnistTrainer against PyTorch on the same machine and the same data (Fashion-MNIST), in one run.

Run it through bench/run.sh, which installs what is missing and builds first; see docs/benchmarks.md.
Only the standard library (and PIL, for the one PNG) is used here: torch runs in the child processes.

Measured, each as whole processes started from here:
  - the lesson's own PyTorch code (torchvision FashionMNIST + transforms + DataLoader(64, shuffle=True));
  - PyTorch at its best for this job: the set preloaded in one tensor, and every reasonable way of
    writing the loop (bench/torch/best.py: batches gathered with x[idx] or index_select, or sliced from
    one gathered copy; gradients set to None or zero-filled), at each thread count; the fastest is the peer;
  - the matrix-product floor (the 8 products of an epoch, nothing else) with OpenBLAS and with MKL;
  - MnistTrainer train, at 1 thread (its default), with --engine autograd, and at 2 threads, several runs of 10 epochs;
  - every training setting MnistTrainer offers (optimizers, momentum, weight decay, label smoothing, schedules,
    augmentation, averaging), MnistTrainer's runs interleaved setting by setting, beside PyTorch with the same
    settings (bench/torch/settings.py);
  - `train --recipe accurate` on Fashion-MNIST against PyTorch's best recipe (bench/torch/recipe.py, 40 epochs);
  - a 60-epoch MnistTrainer run for its peak and resident memory, epoch by epoch;
  - predict on one image, cold start to answer, MnistTrainer's (published with ReadyToRun, and the plain
    build) and the equivalent PyTorch script.
MnistTrainer runs as `dotnet publish -c Release` leaves it (bench/run.sh publishes into src/MnistTrainer/bin/publish/).
PyTorch runs with Debian's OpenBLAS swapped in from a temporary folder (Debian's python3-torch uses
the reference BLAS otherwise); --stock-blas adds rows with that reference BLAS too.
Writes the table between the markers in docs/benchmarks.md, the raw figures to bench/results/.
"""
import argparse
import datetime
import glob
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "src/MnistTrainer/bin/publish/MnistTrainer")  # dotnet publish (bench/run.sh): ReadyToRun
APP_BUILD = os.path.join(ROOT, "src/MnistTrainer/bin/Release/net10.0/MnistTrainer")  # dotnet build: JIT-compiled at start
PROBE = os.path.join(ROOT, "bench/Probe/bin/Release/net10.0/Probe")
TORCH_DIR = os.path.join(ROOT, "bench/torch")
PYTHON = "/usr/bin/python3"
DOC = os.path.join(ROOT, "docs/benchmarks.md")
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
TRAIN_IMAGES = 60000
ENGLISH = {"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}  # MnistTrainer's words follow the system language; the parser reads English

# PyTorch at its best: every reasonable way of writing the preloaded loop (bench/torch/best.py), each
# run at every thread count; the fastest row on the machine at hand is the peer.
TORCH_VARIANTS = [(b, z) for b in ("index", "index_select", "slices") for z in ("none", "zero")]
BATCHES_TEXT = {"index": "x[idx] per batch", "index_select": "index_select per batch", "slices": "slices of one gathered copy"}
ZERO_GRAD_TEXT = {"none": "set_to_none", "zero": "zero-filled grads"}
# train --dataset fashion-mnist --epochs 5 --seed 1 before issue #21 (from --metrics): the losses of epochs 1-5.
REFERENCE_LOSSES = [1.0418116228222085, 0.5620440340309001, 0.4940723114684701, 0.4567484460882287, 0.43269443650171957]

# Every setting `train` offers that changes a training step: (name, MnistTrainer's options, PyTorch's options for
# bench/torch/settings.py). The first is the lesson's, the reference of the others. Validation and --keep best
# only add an evaluation after each epoch, outside the epoch's time; the accurate recipe has rows of its own.
SETTINGS = [
    ("the lesson: SGD, lr 0.01", [], []),
    ("SGD momentum 0.9", ["--momentum", "0.9"], ["--momentum", "0.9"]),
    ("SGD Nesterov 0.9, weight decay 5e-4", ["--momentum", "0.9", "--nesterov", "--weight-decay", "5e-4"],
     ["--momentum", "0.9", "--nesterov", "--weight-decay", "5e-4"]),
    ("label smoothing 0.1", ["--label-smoothing", "0.1"], ["--label-smoothing", "0.1"]),
    ("one-cycle schedule to lr 0.05", ["--schedule", "onecycle", "--lr", "0.05"], ["--schedule", "onecycle", "--lr", "0.05"]),
    ("cosine schedule from lr 0.05", ["--schedule", "cosine", "--lr", "0.05"], ["--schedule", "cosine", "--lr", "0.05"]),
    ("step schedule", ["--schedule", "step"], ["--schedule", "step"]),
    ("augment: shifts", ["--augment", "shift"], ["--augment", "shift"]),
    ("augment: shifts and flips", ["--augment", "shift-flip"], ["--augment", "shift-flip"]),
    ("average of the last 2 epochs", ["--average", "2"], ["--average", "2"]),
    ("Adam, lr 1e-3", ["--optimizer", "adam", "--lr", "0.001"], ["--optimizer", "adam", "--lr", "0.001"]),
    ("Adam, lr 1e-3, weight decay 1e-2", ["--optimizer", "adam", "--lr", "0.001", "--weight-decay", "0.01"],
     ["--optimizer", "adam", "--lr", "0.001", "--weight-decay", "0.01"]),
    ("AdamW, lr 1e-3, weight decay 1e-2", ["--optimizer", "adamw", "--lr", "0.001", "--weight-decay", "0.01"],
     ["--optimizer", "adamw", "--lr", "0.001", "--weight-decay", "0.01"]),
    ("the accurate recipe's step: Nesterov, weight decay, cosine, label smoothing",
     ["--momentum", "0.9", "--nesterov", "--weight-decay", "5e-4", "--schedule", "cosine", "--lr", "0.05", "--label-smoothing", "0.1"],
     ["--momentum", "0.9", "--nesterov", "--weight-decay", "5e-4", "--schedule", "cosine", "--lr", "0.05", "--label-smoothing", "0.1"]),
]
# PyTorch's best recipe for this network (bench/torch/recipe.py): the anchor of `train --recipe accurate`.
RECIPE_EPOCHS = 40
ACCURACY_GOAL = 0.901

EPOCH_LINE = re.compile(r"Epoch (\d+)/(\d+)\s+training loss: ([0-9.naif]+).*?\(([0-9.]+) s\)")
ACCURACY = re.compile(r"test accuracy: ([0-9.]+)(%?)")
MEMORY = re.compile(r"memory: rss (\d+) MiB, peak (\d+) MiB")


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------
# Running a process: its output lines with their arrival times, its peak RSS (wait4), its wall time.

def run(cmd, env=None, timeout=900, cwd=None):
    """Runs cmd to the end; returns {lines: [(seconds since start, line)], rc, wall, peak_mib, timed_out}."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=full_env, cwd=cwd,
                            text=True, bufsize=1)
    timed_out = []
    timer = threading.Timer(timeout, lambda: (timed_out.append(True), proc.kill()))
    timer.start()
    lines = []
    for line in proc.stdout:
        lines.append((time.monotonic() - start, line.rstrip("\n")))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"cmd": cmd, "env": env or {}, "lines": lines, "rc": proc.returncode, "wall": wall,
            "peak_mib": usage.ru_maxrss / 1024, "timed_out": bool(timed_out)}


def run_app(cmd, tmp, **kwargs):
    """Runs a MnistTrainer train command with --metrics, whose epoch times and losses have every digit (the printed
    lines round them to 0.01 s and 4 places): parse_training takes them from there."""
    metrics = os.path.join(tmp, f"metrics-{time.monotonic_ns()}.csv")
    result = run(cmd + ["--metrics", metrics], **kwargs)
    if os.path.exists(metrics):
        result["metrics"] = {"seconds": metric_column(metrics, "seconds"), "loss": metric_column(metrics, "training_loss")}
        result["cmd"] = cmd  # the command as a user would type it
        os.remove(metrics)
    return result


def command_text(result):
    env = " ".join(f"{k}={v}" for k, v in result["env"].items())
    return (env + " " if env else "") + " ".join(result["cmd"])


def parse_training(result):
    """Epochs (loss, seconds, arrival), accuracy per epoch or at the end, memory lines, time to first epoch."""
    epochs, accuracies, memory = [], [], []
    for arrived, line in result["lines"]:
        m = EPOCH_LINE.search(line)
        if m:
            epochs.append({"loss": float(m.group(3)), "seconds": float(m.group(4)), "arrived": arrived})
        a = ACCURACY.search(line)
        if a:
            accuracies.append(float(a.group(1)) / (100 if a.group(2) else 1))
        r = MEMORY.search(line)
        if r and epochs:
            memory.append({"epoch": len(epochs), "rss": int(r.group(1)), "peak": int(r.group(2))})
    exact = result.get("metrics")
    if exact and len(exact["seconds"]) == len(epochs):
        for epoch, seconds, loss in zip(epochs, exact["seconds"], exact["loss"]):
            epoch["seconds"], epoch["loss"] = seconds, loss
    return {"epochs": epochs, "accuracies": accuracies, "memory": memory,
            "first_epoch_at": epochs[0]["arrived"] if epochs else None}


def check(result, what):
    if result["rc"] != 0 or result["timed_out"]:
        tail = "\n".join(line for _, line in result["lines"][-15:])
        log(f"!! {what} failed (exit {result['rc']}{', timed out' if result['timed_out'] else ''}): {command_text(result)}\n{tail}")
        return False
    return True


# ---------------------------------------------------------------------------------------------------
# The peer: Debian's PyTorch with Debian's OpenBLAS unpacked into a temporary folder.

def cpu_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def openblas(tmp, deb=None):
    """Unpacks libopenblas0-pthread (downloaded with apt-get unless given); returns (library folder, version)."""
    folder = os.path.join(tmp, "openblas")
    os.makedirs(folder)
    if deb is None:
        os.chmod(tmp, 0o755)
        os.chmod(folder, 0o777)  # apt-get download runs as the _apt user where it can
        subprocess.run(["apt-get", "download", "-q", "libopenblas0-pthread"], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deb = glob.glob(os.path.join(folder, "libopenblas0-pthread_*.deb"))[0]
    subprocess.run(["dpkg-deb", "-x", deb, os.path.join(folder, "root")], check=True)
    libs = glob.glob(os.path.join(folder, "root/usr/lib/*/openblas-pthread"))
    if not libs:
        raise RuntimeError(f"no openblas-pthread folder in {deb}")
    version = os.path.basename(deb).split("_")[1]
    return libs[0], version


def openblas_core(lib):
    """OpenBLAS's own pick of kernels, and the one to force when it falls back to generic ones.

    OpenBLAS 0.3.21 does not know newer Xeons (this VM's CPU model 207) and falls back to its 'Prescott'
    (SSE3) kernels, four times slower here; PyTorch at its best gets the AVX-512 (or AVX2) kernels.
    """
    probe = run([PYTHON, "-c", "import torch; torch.mm(torch.ones(64, 64), torch.ones(64, 64))"],
                env={"LD_LIBRARY_PATH": lib, "OPENBLAS_VERBOSE": "2", "OPENBLAS_NUM_THREADS": "1"}, timeout=120)
    detected = next((line.split(":", 1)[1].strip() for _, line in probe["lines"] if line.startswith("Core:")), "unknown")
    forced = None
    if detected in ("Prescott", "Core2", "Nehalem", "unknown"):
        flags = cpu_flags()
        forced = "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else None
    return detected, forced


def torch_env(threads, lib=None, coretype=None):
    env = {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    if lib:
        env["LD_LIBRARY_PATH"] = lib
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


# ---------------------------------------------------------------------------------------------------
# Figures

def median(values):
    return statistics.median(values) if values else None


def training_row(name, results, threads, loss_epoch):
    """One table row from one or more runs of the same configuration."""
    parsed = [parse_training(r) for r in results if r["rc"] == 0 and not r["timed_out"]]
    seconds = [e["seconds"] for p in parsed for e in p["epochs"]]
    if not seconds:
        return {"name": name, "threads": threads, "failed": True, "commands": [command_text(r) for r in results]}
    first = parsed[0]
    k = min(loss_epoch, len(first["epochs"])) - 1
    accuracy = None
    if first["accuracies"]:
        accuracy = first["accuracies"][k] if len(first["accuracies"]) == len(first["epochs"]) else first["accuracies"][-1]
    per_run = [[e["seconds"] for e in p["epochs"]] for p in parsed]
    memory = first["memory"]
    return {
        "name": name, "threads": threads, "runs": len(parsed), "epochs": len(first["epochs"]),
        "median": median(seconds), "slowest": max(seconds), "fastest": min(seconds),
        "images_per_s": TRAIN_IMAGES / median(seconds),
        "peak_mib": max(r["peak_mib"] for r in results if r["rc"] == 0),
        "first_epoch_at": median([p["first_epoch_at"] for p in parsed]),
        "loss": first["epochs"][k]["loss"], "loss_epoch": k + 1, "accuracy": accuracy,
        "losses_per_run": [[e["loss"] for e in p["epochs"]] for p in parsed],
        "seconds_per_run": per_run, "memory": memory,
        "peak_at_loss_epoch": next((m["peak"] for m in memory if m["epoch"] == k + 1), None),
        "commands": sorted({command_text(r) for r in results}),
    }


def app_train(args, model, epochs):
    """MnistTrainer's train command on Fashion-MNIST, seed 1, with --diagnostics (memory after each epoch)."""
    return [APP, "train", "--dataset", "fashion-mnist", "--data-dir", args.data_dir, "--no-download", "--seed", "1",
            "--diagnostics", "--output", model] + (["--epochs", str(epochs)] if epochs else [])


def metric_column(path, column):
    """One column of a `train --metrics` CSV file, as floats."""
    with open(path) as f:
        header = f.readline().strip().split(",")
        index = header.index(column)
        return [float(line.strip().split(",")[index]) for line in f if line.strip()]


def fmt(value, spec, unit=""):
    return "–" if value is None else f"{value:{spec}}{unit}"


# ---------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=5, help="PyTorch epochs per run (default 5)")
    parser.add_argument("--app-epochs", type=int, default=10, help="MnistTrainer epochs per run (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="MnistTrainer runs per thread count (default 3)")
    parser.add_argument("--predict-runs", type=int, default=5)
    parser.add_argument("--threads", default="1,2", help="thread counts to measure (default 1,2)")
    parser.add_argument("--stock-blas", action="store_true", help="also run PyTorch with Debian's reference BLAS (slow)")
    parser.add_argument("--openblas-deb", help="a libopenblas0-pthread .deb to use instead of downloading one")
    parser.add_argument("--predict-args", default="predict --model {model} --image {image} --raw",
                        help="MnistTrainer's arguments for one prediction ({model}, {image} are filled in)")
    parser.add_argument("--engines", default="autograd",
                        help="MnistTrainer --engine values to measure besides the default, at 1 thread (default autograd; '' for none)")
    parser.add_argument("--quick", action="store_true",
                        help="a short run: 3 epochs, 1 run each, the lesson's pipeline for 1 epoch at 1 thread, 2 predictions")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    if args.quick:
        args.epochs, args.app_epochs, args.runs, args.predict_runs = 3, 3, 1, 2
    thread_counts = [int(t) for t in args.threads.split(",")]
    for path in (APP, APP_BUILD, PROBE):
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: build first (bench/run.sh does)")

    load_before = os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="mnist-bench-")
    results = {"started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "rows": [], "floors": {}}
    try:
        # Data: torchvision wants ROOT/FashionMNIST/raw/ with the files uncompressed.
        raw = os.path.join(tmp, "torchvision", "FashionMNIST", "raw")
        os.makedirs(raw)
        for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
            source = os.path.join(args.data_dir, name + ".gz")
            opener = gzip.open if os.path.exists(source) else open
            with opener(source if os.path.exists(source) else os.path.join(args.data_dir, name), "rb") as f, \
                    open(os.path.join(raw, name), "wb") as out:
                shutil.copyfileobj(f, out)
        image = os.path.join(tmp, "test0.png")
        write_test_png(os.path.join(raw, "t10k-images-idx3-ubyte"), image)

        lib, openblas_version = openblas(tmp, args.openblas_deb)
        detected, coretype = openblas_core(lib)
        log(f"OpenBLAS {openblas_version} in {lib}: detected core {detected}" + (f", forcing {coretype}" if coretype else ""))
        results.update(openblas=openblas_version, openblas_detected=detected, openblas_forced=coretype)

        torch_script = lambda name: os.path.join(TORCH_DIR, name)
        lesson_model = os.path.join(tmp, "lesson.pt")
        app_model = os.path.join(tmp, "mnist-trainer.model")

        # Floors first, on an idle process. OpenBLAS 0.3.21 predates some AVX-512 CPUs (AMD Zen 4 is taken
        # for Haswell, AVX2): there its SkylakeX kernels are tried too, and PyTorch gets whichever is faster.
        candidates = [coretype]
        if "avx512f" in cpu_flags() and coretype != "SkylakeX" and detected not in ("SkylakeX", "Cooperlake", "SapphireRapids"):
            candidates.append("SkylakeX")
        for candidate in candidates:
            log(f"floor: OpenBLAS (PyTorch){f', OPENBLAS_CORETYPE={candidate}' if candidate else ''}")
            r = run([PYTHON, torch_script("floor.py"), "--epochs", "5", "--threads", "1"], env=torch_env(1, lib, candidate))
            if check(r, "floor (OpenBLAS)"):
                floor = {"median": median([float(l.split()[1]) for _, l in r["lines"] if l.startswith("floor ")]), "command": command_text(r)}
                results.setdefault("openblas_floors", {})[candidate or detected] = floor["median"]
                if "openblas" not in results["floors"] or floor["median"] < results["floors"]["openblas"]["median"]:
                    results["floors"]["openblas"], coretype = floor, candidate
        if len(candidates) > 1:
            log(f"OpenBLAS floors by kernels: {results.get('openblas_floors')}; PyTorch runs with {coretype or detected}")
            results["openblas_forced"] = coretype
        log("floor: MKL (libtorch via TorchSharp)")
        r = run([PROBE, "floor", "--epochs", "5", "--threads", "1"])
        if check(r, "floor (MKL)"):
            results["floors"]["mkl"] = {"median": median([float(l.split()[1]) for _, l in r["lines"] if l.startswith("floor ")]),
                                        "allocating": median([float(l.split()[1]) for _, l in r["lines"] if l.startswith("floor-allocating ")]),
                                        "command": command_text(r)}

        rows = results["rows"]
        lesson_epochs = 1 if args.quick else args.epochs
        for threads in thread_counts:
            if args.quick and threads != 1:
                continue  # the lesson's pipeline is 10x slower than everything else: once is enough for --quick
            log(f"PyTorch lesson pipeline (OpenBLAS), {threads} thread(s)")
            cmd = [PYTHON, torch_script("lesson.py"), os.path.join(tmp, "torchvision"), "--epochs", str(lesson_epochs), "--threads", str(threads)]
            if threads == 1:
                cmd += ["--save", lesson_model]
            r = run(cmd, env=torch_env(threads, lib, coretype))
            check(r, "lesson pipeline")
            results.setdefault("torch_version", next((l.split(",")[0] for _, l in r["lines"] if l.startswith("torch ")), None))
            rows.append(training_row("PyTorch, the lesson's pipeline (OpenBLAS)", [r], threads, lesson_epochs) | {"group": "torch-lesson"})

        for threads in thread_counts:
            for batches, zero_grad in TORCH_VARIANTS:
                name = f"PyTorch preloaded, {BATCHES_TEXT[batches]}, {ZERO_GRAD_TEXT[zero_grad]} (OpenBLAS)"
                log(f"{name}, {threads} thread(s)")
                r = run([PYTHON, torch_script("best.py"), args.data_dir, "--batches", batches, "--zero-grad", zero_grad,
                         "--epochs", str(args.epochs), "--threads", str(threads)], env=torch_env(threads, lib, coretype))
                check(r, name)
                rows.append(training_row(name, [r], threads, args.epochs) | {"group": "torch-best"})

        if args.stock_blas:
            log("PyTorch with Debian's reference BLAS, 1 thread")
            r = run([PYTHON, torch_script("lesson.py"), os.path.join(tmp, "torchvision"), "--epochs", "3", "--threads", "1"], env=torch_env(1))
            check(r, "lesson pipeline (reference BLAS)")
            rows.append(training_row("PyTorch, the lesson's pipeline (Debian's reference BLAS)", [r], 1, 3) | {"group": "torch-stock"})
            r = run([PYTHON, torch_script("best.py"), args.data_dir, "--epochs", "3", "--threads", "1"], env=torch_env(1))
            check(r, "preloaded (reference BLAS)")
            rows.append(training_row("PyTorch preloaded (Debian's reference BLAS)", [r], 1, 3) | {"group": "torch-stock"})

        # The default as a user gets it, other engines and thread counts. The default's first run writes --metrics,
        # whose losses have every digit (the epoch lines round to 4).
        app_configs = [(threads, None) for threads in thread_counts]
        app_configs[1:1] = [(1, engine) for engine in args.engines.split(",") if engine]
        for threads, engine in app_configs:
            log(f"MnistTrainer train, {threads} thread(s){f', --engine {engine}' if engine else ''}: {args.runs} runs of {args.app_epochs} epochs")
            default = threads == 1 and not engine
            runs = []
            for i in range(args.runs):
                cmd = app_train(args, app_model, args.app_epochs)
                if threads != 1:  # 1 is the default: measure the default settings as a user gets them
                    cmd += ["--threads", str(threads)]
                if engine:
                    cmd += ["--engine", engine]
                r = run_app(cmd, tmp, env=ENGLISH)
                check(r, "MnistTrainer train")
                runs.append(r)
            name = "MnistTrainer train" + (" (default settings)" if default else f" --engine {engine}" if engine else f" --threads {threads}")
            rows.append(training_row(name, runs, threads, args.epochs) | {"group": "app" if default else "app-other"})

        # Every setting: MnistTrainer's runs interleaved (setting after setting, round after round: whatever else the
        # machine does slows them alike), then PyTorch's with the same settings.
        settings = results["settings"] = [{"name": name, "app": [], "app_args": app_args, "torch_args": torch_args}
                                          for name, app_args, torch_args in SETTINGS]
        for round_ in range(args.runs):
            for setting in settings:
                log(f"MnistTrainer train, {setting['name']} (round {round_ + 1} of {args.runs})")
                r = run_app(app_train(args, app_model, args.app_epochs) + setting["app_args"], tmp, env=ENGLISH)
                check(r, f"MnistTrainer train, {setting['name']}")
                setting["app"].append(r)
        for setting in settings:
            log(f"PyTorch, {setting['name']}")
            r = run([PYTHON, torch_script("settings.py"), args.data_dir, "--epochs", str(args.epochs), "--threads", "1"] + setting["torch_args"],
                    env=torch_env(1, lib, coretype))
            check(r, f"PyTorch, {setting['name']}")
            setting["app"] = training_row(setting["name"], setting["app"], 1, args.epochs)
            setting["torch"] = training_row(setting["name"], [r], 1, args.epochs)

        # The accurate recipe against PyTorch's best, each its whole run (--quick: PyTorch's first 3 epochs, projected to 40).
        recipe_epochs = 3 if args.quick else RECIPE_EPOCHS
        log(f"PyTorch's best recipe, {recipe_epochs} epochs")
        r = run([PYTHON, torch_script("recipe.py"), args.data_dir, "--epochs", str(recipe_epochs), "--threads", "1"],
                env=torch_env(1, lib, coretype), timeout=3600)
        torch_recipe = None
        if check(r, "PyTorch recipe"):
            parsed = parse_training(r)
            torch_recipe = {"epochs": len(parsed["epochs"]), "seconds": sum(e["seconds"] for e in parsed["epochs"]),
                            "accuracy": parsed["accuracies"][-1] if parsed["accuracies"] else None, "command": command_text(r)}
        log("MnistTrainer train --recipe accurate")
        r = run_app(app_train(args, app_model, None) + ["--recipe", "accurate"], tmp, env=ENGLISH, timeout=3600)
        app_recipe = None
        if check(r, "MnistTrainer recipe") and r.get("metrics"):
            seconds = r["metrics"]["seconds"]
            app_recipe = {"epochs": len(seconds), "seconds": sum(seconds), "accuracy": parse_training(r)["accuracies"][-1],
                          "command": command_text(r)}
        results["recipe"] = {"torch": torch_recipe, "app": app_recipe, "quick": args.quick}

        # Memory over a long run: peak and resident set after each epoch (--quick: 6 epochs).
        memory_epochs = 6 if args.quick else 60
        log(f"MnistTrainer train, {memory_epochs} epochs for memory")
        r = run(app_train(args, app_model, memory_epochs), env=ENGLISH, timeout=3600)
        if check(r, "MnistTrainer memory run"):
            results["memory"] = {"epochs": memory_epochs, "peak_mib": r["peak_mib"], "per_epoch": parse_training(r)["memory"],
                                 "command": command_text(r)}

        # predict: cold start to answer, whole processes; one unmeasured run first for the page cache.
        log("predict: PyTorch script")
        results["predict"] = {}
        if os.path.exists(lesson_model):
            runs = [run([PYTHON, torch_script("predict.py"), lesson_model, image]) for _ in range(args.predict_runs + 1)][1:]
            if all(check(r, "PyTorch predict") for r in runs):
                results["predict"]["torch"] = predict_figures(runs)
        help_run = run([APP, "--help"])
        has_predict = any(re.match(r"\s+predict\b", line) for _, line in help_run["lines"])
        if has_predict and os.path.exists(app_model):
            log("predict: MnistTrainer")
            for key, program in (("app", APP), ("app_build", APP_BUILD)):
                cmd = [program] + args.predict_args.format(model=app_model, image=image).split()
                runs = [run(cmd, env=ENGLISH) for _ in range(args.predict_runs + 1)][1:]
                if all(check(r, "MnistTrainer predict") for r in runs):
                    results["predict"][key] = predict_figures(runs)
        else:
            log("predict: this MnistTrainer has no predict command yet; only the PyTorch side is measured")
            results["predict"]["app_missing"] = True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    results["load_before"], results["load_after"] = load_before, os.getloadavg()
    results["machine"] = machine()
    os.makedirs(os.path.join(ROOT, "bench/results"), exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    with open(os.path.join(ROOT, "bench/results", f"{stamp}.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)

    report, summary = render(results, args)
    print(summary)
    if not args.no_write:
        write_doc(report)
        log(f"wrote {os.path.relpath(DOC, ROOT)} and bench/results/{stamp}.json")


def predict_figures(runs):
    return {"median": median([r["wall"] for r in runs]), "fastest": min(r["wall"] for r in runs),
            "peak_mib": max(r["peak_mib"] for r in runs),
            "answer": next((l for _, l in runs[0]["lines"] if re.search(r"Predicted|^class ", l)), runs[0]["lines"][-1][1] if runs[0]["lines"] else ""),
            "command": command_text(runs[0])}


def write_test_png(idx_path, png_path):
    """Test image 0 as a 28x28 gray PNG: what both predict commands classify."""
    from PIL import Image
    with open(idx_path, "rb") as f:
        f.seek(16)
        pixels = f.read(784)
    Image.frombytes("L", (28, 28), pixels).save(png_path)


def machine():
    def sh(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    os_name = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")), "")
    packages = open(os.path.join(ROOT, "Directory.Packages.props")).read()
    torchsharp = re.search(r'Include="TorchSharp-cpu" Version="([^"]+)"', packages)
    assets = os.path.join(ROOT, "src/MnistTrainer/obj/project.assets.json")
    libtorch = re.search(r'"libtorch-cpu-linux-x64/([^"]+)"', open(assets).read()) if os.path.exists(assets) else None
    return {
        "cpu": f"{model}, {os.cpu_count()} cores", "memory": f"{mem / 1024 / 1024:.0f} GiB", "os": f"{os_name}, Linux {platform.release()}",
        "dotnet": sh("dotnet", "--version"), "torchsharp": torchsharp.group(1) if torchsharp else "?",
        "libtorch": libtorch.group(1) if libtorch else "?",
        "python_torch": sh("dpkg-query", "-W", "-f=${Version}", "python3-torch"),
        "torchvision": sh("dpkg-query", "-W", "-f=${Version}", "python3-torchvision"),
        "libblas3": sh("dpkg-query", "-W", "-f=${Version}", "libblas3"),
        "dataset": sh("dpkg-query", "-W", "-f=${Version}", "dataset-fashion-mnist"),
    }


def render(results, args):
    rows, floors, pred = results["rows"], results["floors"], results.get("predict", {})
    m = results["machine"]
    out = []
    out.append(f"Measured {results['started']} by `bench/run.sh`"
               + (" (--quick)" if args.quick else "") + f"; load average before {results['load_before'][0]:.2f}, "
               f"after {results['load_after'][0]:.2f}.")
    if max(results["load_before"][0], results["load_after"][0]) > 0.5:
        out.append("")
        out.append("**The machine was busy** (load average above 0.5): other processes shared its cores, so "
                   "the times below are noisy and the slowest epochs especially so. Re-run on a quiet machine.")
    out.append("")
    out.append(f"- Machine: {m['cpu']}, {m['memory']} RAM; {m['os']}")
    out.append(f"- MnistTrainer: .NET SDK {m['dotnet']}, TorchSharp-cpu {m['torchsharp']} (libtorch {m['libtorch']}, MKL)")
    out.append(f"- PyTorch: Debian python3-torch {m['python_torch']}, python3-torchvision {m['torchvision']}, "
               f"OpenBLAS {results.get('openblas')} (libopenblas0-pthread, unpacked in a temporary folder; it detected "
               f"core '{results.get('openblas_detected')}'" + (f", so OPENBLAS_CORETYPE={results['openblas_forced']}" if results.get("openblas_forced") else "")
               + f"); Debian's own BLAS is libblas3 {m['libblas3']} (reference BLAS)"
               + (f". OpenBLAS floor by kernels: {', '.join(f'{k} {v:.3f} s' for k, v in results['openblas_floors'].items())}; PyTorch ran with the faster"
                  if len(results.get("openblas_floors", {})) > 1 else ""))
    out.append(f"- Data: Fashion-MNIST from dataset-fashion-mnist {m['dataset']} ({args.data_dir}), 60,000 training and 10,000 test images")
    out.append("")
    fastest_torch = min((r["median"] for r in rows if r.get("group") == "torch-best" and not r.get("failed")), default=None)
    out.append("| program | threads | s/epoch (median) | × PyTorch's best | slowest epoch | images/s | peak RSS | first epoch done at | loss (epoch) | test accuracy |")
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        if r.get("failed"):
            out.append(f"| {r['name']} | {r['threads']} | failed | | | | | | | |")
            continue
        runs = f" ({r['runs']}×{r['epochs']} epochs)" if r["runs"] > 1 else f" ({r['epochs']} epochs)"
        versus = fmt(fastest_torch and r["median"] / fastest_torch, ".2f", "×")
        out.append(f"| {r['name']}{runs} | {r['threads']} | {r['median']:.3f} | {versus} | {r['slowest']:.3f} | {r['images_per_s']:,.0f} | "
                   f"{r['peak_mib']:.0f} MiB | {fmt(r['first_epoch_at'], '.2f', ' s')} | {r['loss']:.4f} (epoch {r['loss_epoch']}) | "
                   f"{fmt(r['accuracy'] and r['accuracy'] * 100, '.2f', '%')} |")
    for key, label in (("openblas", "OpenBLAS, via PyTorch"), ("mkl", "MKL, via TorchSharp")):
        if key in floors:
            extra = f"; {floors[key]['allocating']:.3f} s allocating the outputs" if floors[key].get("allocating") else ""
            out.append(f"| matrix-product floor: the 8 products of an epoch, outputs preallocated ({label}{extra}) | 1 | "
                       f"{floors[key]['median']:.3f} | {fmt(fastest_torch and floors[key]['median'] / fastest_torch, '.2f', '×')} | | "
                       f"{TRAIN_IMAGES / floors[key]['median']:,.0f} | | | | |")
    out.append("")
    out.append("| predict one image, whole process (cold start to answer) | median of runs | fastest | peak RSS | answer |")
    out.append("| --- | --- | --- | --- | --- |")
    for key, label in (("torch", "PyTorch script (import torch, load the lesson's state_dict, classify)"),
                       ("app", "MnistTrainer predict (`dotnet publish`: ReadyToRun)"), ("app_build", "MnistTrainer predict (`dotnet build` output: JIT)")):
        if key in pred:
            p = pred[key]
            out.append(f"| {label} | {p['median']:.3f} s | {p['fastest']:.3f} s | {p['peak_mib']:.0f} MiB | `{p['answer'][:60]}` |")
    if pred.get("app_missing"):
        out.append("| MnistTrainer predict | not measured: this build has no `predict` command | | | |")

    # The settings, the accurate recipe, memory.
    settings = [st for st in results.get("settings", []) if not st["app"].get("failed") and not st["torch"].get("failed")]
    lesson_setting = settings[0] if settings and settings[0]["name"] == SETTINGS[0][0] else None
    if settings:
        out.append("")
        out.append(f"Every setting, MnistTrainer's runs interleaved ({settings[0]['app']['runs']} × {settings[0]['app']['epochs']} epochs each), "
                   f"PyTorch's with the same settings (`bench/torch/settings.py`, {settings[0]['torch']['epochs']} epochs, 1 thread, OpenBLAS):")
        out.append("")
        out.append("| setting | MnistTrainer s/epoch (median) | × its lesson epoch | PyTorch s/epoch (median) | MnistTrainer / PyTorch | loss (epoch), ours / PyTorch's |")
        out.append("| --- | --- | --- | --- | --- | --- |")
        for st in settings:
            app_s, torch_s = st["app"], st["torch"]
            lesson_ratio = fmt(lesson_setting and app_s["median"] / lesson_setting["app"]["median"], ".2f", "×")
            out.append(f"| {st['name']} | {app_s['median']:.3f} | {lesson_ratio} | {torch_s['median']:.3f} | {app_s['median'] / torch_s['median']:.2f}× | "
                       f"{app_s['loss']:.4f} / {torch_s['loss']:.4f} (epoch {torch_s['loss_epoch']}) |")
    recipe = results.get("recipe") or {}
    torch_recipe, app_recipe = recipe.get("torch"), recipe.get("app")
    torch_recipe_seconds = None
    if torch_recipe:
        torch_recipe_seconds = torch_recipe["seconds"] * RECIPE_EPOCHS / torch_recipe["epochs"]
    if torch_recipe or app_recipe:
        out.append("")
        out.append("| recipe on Fashion-MNIST, seed 1 | epochs | training time (sum of its epochs) | test accuracy |")
        out.append("| --- | --- | --- | --- |")
        if torch_recipe:
            projected = f" ({torch_recipe['seconds']:.1f} s for {torch_recipe['epochs']}, projected to {RECIPE_EPOCHS})" if torch_recipe["epochs"] != RECIPE_EPOCHS else ""
            accuracy = "– (not the whole run)" if projected else f"{torch_recipe['accuracy']:.4f}"
            out.append(f"| PyTorch's best: SGD Nesterov 0.9, weight decay 5e-4, OneCycleLR to 0.05 (`bench/torch/recipe.py`) | {RECIPE_EPOCHS} | "
                       f"{torch_recipe_seconds:.1f} s{projected} | {accuracy} |")
        if app_recipe:
            out.append(f"| MnistTrainer `train --recipe accurate` | {app_recipe['epochs']} | {app_recipe['seconds']:.1f} s | {app_recipe['accuracy']:.4f} |")
    memory = results.get("memory")

    # Ratios and targets (issue #21), every one against figures of this run on this machine.
    def best(group):
        candidates = [r for r in rows if r.get("group") == group and not r.get("failed")]
        return min(candidates, key=lambda r: r["median"]) if candidates else None

    app = next((r for r in rows if r.get("group") == "app" and not r.get("failed")), None)
    torch_best, lesson_best = best("torch-best"), best("torch-lesson")
    ratios = []
    targets = []
    if torch_best:
        ratios.append(f"PyTorch's fastest loop here: {torch_best['name']}, {torch_best['threads']} thread(s), {torch_best['median']:.3f} s/epoch")
    if lesson_setting:
        for st in settings[1:]:
            ratio = st["app"]["median"] / lesson_setting["app"]["median"]
            adamw = st["name"].startswith("AdamW")
            limit = 1.2 if adamw else 1.15
            targets.append((f"{st['name']}: epoch ≤ {limit}× the lesson's (interleaved runs)", ratio <= limit, f"{ratio:.2f}×"))
    if torch_recipe_seconds and app_recipe:
        ratio = app_recipe["seconds"] / torch_recipe_seconds
        ratios.append(f"accurate recipe / PyTorch's best recipe, training time: {ratio:.2f}×")
        targets.append((f"`--recipe accurate`: training time ≤ 0.4× PyTorch's best recipe ({RECIPE_EPOCHS} epochs)"
                        + (" (PyTorch's projected from its first epochs: --quick)" if torch_recipe["epochs"] != RECIPE_EPOCHS else ""),
                        ratio <= 0.4, f"{ratio:.2f}× ({app_recipe['seconds']:.1f} s / {torch_recipe_seconds:.1f} s)"))
        targets.append((f"`--recipe accurate`: test accuracy ≥ {ACCURACY_GOAL} (PyTorch's best recipe: 0.9014 in the issue"
                        + (f", {torch_recipe['accuracy']:.4f} here)" if torch_recipe["epochs"] == RECIPE_EPOCHS else ")"),
                        app_recipe["accuracy"] >= ACCURACY_GOAL, f"{app_recipe['accuracy']:.4f}"))
    if app and torch_best:
        ratio = app["median"] / torch_best["median"]
        ratios.append(f"MnistTrainer / PyTorch at its best: {ratio:.2f}×")
        targets.append(("the lesson's settings: median epoch ≤ 0.5× PyTorch at its best (the fastest PyTorch row)", ratio <= 0.5, f"{ratio:.2f}×"))
    if app and lesson_best:
        ratio = lesson_best["median"] / app["median"]
        ratios.append(f"PyTorch lesson pipeline ({lesson_best['threads']} thread(s)) / MnistTrainer: {ratio:.1f}× faster")
    if app:
        if "mkl" in floors:
            ratio = app["median"] / floors["mkl"]["median"]
            ratios.append(f"MnistTrainer / one-thread matrix-product floor (MKL, the BLAS it uses): {ratio:.2f}×")
            targets.append(("the lesson's settings: ≤ 1.15× the one-thread matrix-product floor (MKL)", ratio <= 1.15, f"{ratio:.2f}×"))
        if "openblas" in floors:
            ratios.append(f"MnistTrainer / matrix-product floor (OpenBLAS): {app['median'] / floors['openblas']['median']:.2f}×")
        losses = app["losses_per_run"][0][:len(REFERENCE_LOSSES)]
        drift = max(abs(a - b) for a, b in zip(losses, REFERENCE_LOSSES))
        targets.append((f"losses of epochs 1–{len(losses)} (seed 1) within 1e-4 of before #21: {' '.join(f'{l:.6f}' for l in REFERENCE_LOSSES[:len(losses)])}",
                        drift <= 1e-4, " ".join(f"{l:.6f}" for l in losses) + f" (largest difference {drift:.1e})"))
        same = all(run == app["losses_per_run"][0] for run in app["losses_per_run"])
        targets.append((f"same losses in every run ({app['runs']} runs, default settings)", same, "identical" if same else "differ"))
    if memory and memory["per_epoch"]:
        peak_mb = memory["peak_mib"] * 1.048576
        targets.append((f"peak RSS ≤ 250 MB (whole {memory['epochs']}-epoch process)", peak_mb <= 250, f"{memory['peak_mib']:.0f} MiB ({peak_mb:.0f} MB)"))
        first, last = memory["per_epoch"][0], memory["per_epoch"][-1]
        growth = last["rss"] - first["rss"]
        targets.append((f"RSS flat from epoch {first['epoch']} to {last['epoch']} (≤ 4 MiB or 2%)", growth <= max(4, 0.02 * first["rss"]),
                        f"{first['rss']} → {last['rss']} MiB"))
    if "torch" in pred and "app" in pred:
        ratio = pred["app"]["median"] / pred["torch"]["median"]
        ratios.append(f"predict cold start, MnistTrainer / PyTorch: {ratio:.2f}×")

    out.append("")
    out.append("Ratios: " + "; ".join(ratios) + ".")
    out.append("")
    out.append("| target | met | measured |")
    out.append("| --- | --- | --- |")
    for name, ok, value in targets:
        out.append(f"| {name} | {'yes' if ok else '**no**'} | {value} |")
    if memory and memory["per_epoch"]:
        out.append("")
        out.append(f"MnistTrainer resident set after each epoch of the {memory['epochs']}-epoch run (`train --diagnostics`, MiB): "
                   + ", ".join(f"{m['rss']}" for m in memory["per_epoch"]) + ".")
    out.append("")
    out.append("Epoch times, run by run (s):")
    out.append("")
    for r in rows + [st[side] | {"name": f"{'MnistTrainer' if side == 'app' else 'PyTorch'}, {st['name']}"} for st in settings for side in ("app", "torch")]:
        if not r.get("failed"):
            for i, seconds in enumerate(r["seconds_per_run"]):
                out.append(f"- {r['name']}, {r['threads']} thread(s), run {i + 1}: " + " ".join(f"{s:.2f}" for s in seconds))
    out.append("")
    out.append("Commands (each run as its own process; `$TMP` is the benchmark's temporary folder):")
    out.append("")
    seen = set()
    commands = ([c for r in rows for c in r.get("commands", [])]
                + [c for st in settings for side in ("app", "torch") for c in st[side].get("commands", [])]
                + [x["command"] for x in (torch_recipe, app_recipe, memory) if x]
                + [f["command"] for f in floors.values()] + [p["command"] for p in pred.values() if isinstance(p, dict)])
    for c in commands:
        c = re.sub(r"/tmp/mnist-bench-[^/ ]+", "$TMP", c).replace(ROOT + "/", "")
        if c not in seen:
            seen.add(c)
            out.append(f"    {c}")
    report = "\n".join(out)
    summary = "\n".join(["", *ratios, "", *[f"{'MET ' if ok else 'MISS'}  {name}: {value}" for name, ok, value in targets]])
    return report, summary


def write_doc(report):
    text = open(DOC).read() if os.path.exists(DOC) else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    with open(DOC, "w") as f:
        f.write(f"{head}{BEGIN}\n{report}\n{END}{tail}")


if __name__ == "__main__":
    main()
