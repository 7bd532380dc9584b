"""PyTorch's best recipe for the lesson's network, the anchor `train --recipe accurate` is measured
against: SGD with Nesterov momentum 0.9, weight decay 5e-4, OneCycleLR up to lr 0.05, batches of 64,
the training set preloaded as in best.py. Prints the epochs' lines, the training time (epochs
only, as MnistTrainer counts it) and the test accuracy.

usage: recipe.py DATA_DIR [--epochs 40] [--threads 1] [--seed 1] [--digits-split]
--digits-split: DATA_DIR holds only MNIST's t10k files; train on its first 8,000 images, test on the last 2,000.
"""
import sys
import time

import torch
from torch import nn, optim

from common import setup, arg, lesson_network, load_normalized, epoch_line, blas_library

threads = setup(sys.argv)
folder = sys.argv[1]
epochs, seed = arg(sys.argv, "--epochs", 40), arg(sys.argv, "--seed", 1)
torch.manual_seed(seed)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {blas_library()}", flush=True)


if "--digits-split" in sys.argv:
    x, y = load_normalized(folder, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    x_train, y_train, x_test, y_test = x[:8000], y[:8000], x[8000:], y[8000:]
else:
    x_train, y_train = load_normalized(folder, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    x_test, y_test = load_normalized(folder, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
n, batch = len(y_train), 64
batches = (n + batch - 1) // batch

model = lesson_network()
criterion = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
schedule = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, total_steps=epochs * batches)

training = 0.0
for e in range(epochs):
    start = time.perf_counter()
    order = torch.randperm(n)
    xs, ys = x_train[order], y_train[order]
    running_loss = 0
    for i in range(0, n, batch):
        optimizer.zero_grad(set_to_none=True)
        loss = criterion(model(xs[i:i + batch]), ys[i:i + batch])
        loss.backward()
        optimizer.step()
        schedule.step()
        running_loss += loss.item()
    del xs, ys
    seconds = time.perf_counter() - start
    training += seconds
    epoch_line(e + 1, epochs, running_loss / batches, seconds)

with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
print(f"training time: {training:.1f} s", flush=True)
print(f"test accuracy: {accuracy:.4f}", flush=True)
