"""PyTorch at its best for this job: the whole training set normalized once into one float tensor,
each epoch one randperm and one gather, then batches of 64 sliced from it (views, no copies). The
same network, NLLLoss, SGD(lr=0.01) and loss figure as the lesson.

usage: preloaded.py DATA_DIR [--epochs 5] [--threads 1] [--seed 1]
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
torch.manual_seed(seed)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {blas_library()}", flush=True)


x_train, y_train = load_normalized(folder, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
x_test, y_test = load_normalized(folder, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
n, batch = len(y_train), 64
batches = (n + batch - 1) // batch

model = lesson_network()
criterion = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)

for e in range(epochs):
    start = time.perf_counter()
    order = torch.randperm(n)
    xs, ys = x_train[order], y_train[order]
    running_loss = 0
    for i in range(0, n, batch):
        optimizer.zero_grad(set_to_none=True)  # PyTorch 2's default, and cheaper than zero-filling
        loss = criterion(model(xs[i:i + batch]), ys[i:i + batch])
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    del xs, ys
    epoch_line(e + 1, epochs, running_loss / batches, time.perf_counter() - start)

with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
print(f"test accuracy: {accuracy:.4f}", flush=True)
