"""What the PyTorch benchmark scripts share: thread settings, the lesson's network, the IDX files, timing lines.

Every script prints lines the driver (bench/benchmark.py) reads:
  Epoch E/N  training loss: L  (S s)      one per epoch, S = that epoch's training time
  test accuracy: A                         once, at the end
"""
import gzip
import os
import sys
import time

import torch
from torch import nn


def setup(argv):
    """Reads '--threads N' (default 1) and applies it before any work."""
    threads = int(argv[argv.index("--threads") + 1]) if "--threads" in argv else 1
    torch.set_num_threads(threads)
    return threads


def arg(argv, name, default):
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def lesson_network():
    """The lesson's nn.Sequential: 784 -> 128 -> 64 -> 10 with ReLUs and LogSoftmax(dim=1)."""
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, 10), nn.LogSoftmax(dim=1))


def read_idx(path):
    """An IDX file (gzipped or not) as a uint8 tensor: images [N, rows*cols] or labels [N]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    count = int.from_bytes(data[4:8], "big")
    if magic == 2051:
        rows, cols = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, rows * cols)
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).reshape(count)


def load_normalized(folder, images, labels):
    """An IDX image and label file pair, the images as ToTensor + Normalize((0.5,), (0.5,)) make them."""
    x = read_idx(os.path.join(folder, images)).to(torch.float32).div_(255).sub_(0.5).div_(0.5)
    return x, read_idx(os.path.join(folder, labels)).to(torch.int64)


def epoch_line(epoch, epochs, loss, seconds):
    print(f"Epoch {epoch}/{epochs}  training loss: {loss:.4f}  ({seconds:.4f} s)", flush=True)


def blas_library():
    """The BLAS library this process really mapped (to show that the OpenBLAS swap took effect)."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            name = line.rsplit(" ", 1)[-1].strip()
            if "blas" in os.path.basename(name):
                return name
    return "none mapped"
