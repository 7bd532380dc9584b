"""PyTorch at its best for this job, in the reasonable ways of writing the loop; the benchmark runs
every variant and takes the fastest as the peer. The whole training set is normalized once into one
float tensor; the same network, NLLLoss, SGD(lr=0.01) and loss figure as the lesson.

  --batches index          each batch gathered with x[idx] from a randperm (what most people write)
  --batches index_select   the same gather with torch.index_select
  --batches slices         each epoch one gathered copy (x[perm]), batches sliced from it as views
  --zero-grad none         optimizer.zero_grad(set_to_none=True): backward stores the gradients (PyTorch 2's default)
  --zero-grad zero         optimizer.zero_grad(set_to_none=False): gradients zero-filled, backward adds into them

usage: best.py DATA_DIR [--batches index|index_select|slices] [--zero-grad none|zero]
                        [--epochs 5] [--threads 1] [--seed 1]
DATA_DIR holds the four IDX files (.gz as Debian ships them).
"""
import sys
import time

import torch
from torch import nn, optim

from common import setup, arg, lesson_network, load_normalized, epoch_line, blas_library

threads = setup(sys.argv)
folder = sys.argv[1]
epochs, seed = arg(sys.argv, "--epochs", 5), arg(sys.argv, "--seed", 1)
batches_by, zero_grad = arg(sys.argv, "--batches", "slices"), arg(sys.argv, "--zero-grad", "none")
if batches_by not in ("index", "index_select", "slices") or zero_grad not in ("none", "zero"):
    sys.exit(__doc__)
set_to_none = zero_grad == "none"
torch.manual_seed(seed)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {blas_library()}, "
      f"batches {batches_by}, zero_grad set_to_none={set_to_none}", flush=True)


x_train, y_train = load_normalized(folder, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
x_test, y_test = load_normalized(folder, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
n, batch = len(y_train), 64
batches = (n + batch - 1) // batch

model = lesson_network()
criterion = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)


def step(images, labels):
    optimizer.zero_grad(set_to_none=set_to_none)
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


for e in range(epochs):
    start = time.perf_counter()
    order = torch.randperm(n)
    running_loss = 0
    if batches_by == "slices":
        xs, ys = x_train[order], y_train[order]
        for i in range(0, n, batch):
            running_loss += step(xs[i:i + batch], ys[i:i + batch])
        del xs, ys
    elif batches_by == "index":
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            running_loss += step(x_train[idx], y_train[idx])
    else:
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            running_loss += step(torch.index_select(x_train, 0, idx), torch.index_select(y_train, 0, idx))
    epoch_line(e + 1, epochs, running_loss / batches, time.perf_counter() - start)

with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
print(f"test accuracy: {accuracy:.4f}", flush=True)
