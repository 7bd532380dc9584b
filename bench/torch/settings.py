"""PyTorch with one of MnistTrainer's training settings, the peer of `train` with the same options: the
preloaded loop of best.py (index_select per batch, zero_grad(set_to_none=True), its fastest here) with
PyTorch's own optimizers, schedulers and loss, as a PyTorch user would write them.

  --optimizer sgd|adam|adamw  --lr 0.01  --momentum M (SGD; Adam's beta1 when above 0)  --nesterov
  --weight-decay D            (SGD and Adam: L2 added to the gradient; AdamW: decoupled)
  --label-smoothing S         the loss (1 - S) NLL + S mean(-log p), as MnistTrainer and CrossEntropyLoss(label_smoothing=S)
  --schedule constant|step|cosine|onecycle   MultiStepLR at 50% and 75% of the epochs / CosineAnnealingLR
                              over the steps / OneCycleLR up to --lr, learning rate only (stepped per batch but step)
  --augment none|shift|shift-flip   each image shifted by up to 2 pixels (background filled in), and for
                              shift-flip mirrored half of the time, as MnistTrainer's --augment
  --average N                 the weights averaged over the last N epochs (after each epoch, untimed)

usage: settings.py DATA_DIR [options above] [--epochs 5] [--threads 1] [--seed 1]
"""
import math
import sys
import time

import torch
from torch import nn, optim

from common import setup, arg, lesson_network, load_normalized, epoch_line, blas_library

threads = setup(sys.argv)
folder = sys.argv[1]
epochs, seed = arg(sys.argv, "--epochs", 5), arg(sys.argv, "--seed", 1)
kind, lr, momentum = arg(sys.argv, "--optimizer", "sgd"), arg(sys.argv, "--lr", 0.01), arg(sys.argv, "--momentum", 0.0)
nesterov, weight_decay = "--nesterov" in sys.argv, arg(sys.argv, "--weight-decay", 0.0)
smoothing, schedule = arg(sys.argv, "--label-smoothing", 0.0), arg(sys.argv, "--schedule", "constant")
augment, average = arg(sys.argv, "--augment", "none"), arg(sys.argv, "--average", 0)
torch.manual_seed(seed)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {blas_library()}, {' '.join(sys.argv[2:])}", flush=True)

x_train, y_train = load_normalized(folder, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
x_test, y_test = load_normalized(folder, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
n, batch = len(y_train), 64
batches = (n + batch - 1) // batch

model = lesson_network()
beta1 = momentum if momentum > 0 else 0.9
if kind == "sgd":
    optimizer = optim.SGD(model.parameters(), lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay)
elif kind == "adam":
    optimizer = optim.Adam(model.parameters(), lr=lr, betas=(beta1, 0.999), weight_decay=weight_decay)
else:
    optimizer = optim.AdamW(model.parameters(), lr=lr, betas=(beta1, 0.999), weight_decay=weight_decay)
per_batch = None
if schedule == "onecycle":
    # Without cycle_momentum: OneCycleLR would otherwise also cycle SGD's momentum (0.85-0.95) even for plain SGD,
    # which MnistTrainer's one-cycle (the learning rate only) does not.
    per_batch = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * batches, cycle_momentum=False)
elif schedule == "cosine":
    per_batch = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * batches)
per_epoch = optim.lr_scheduler.MultiStepLR(optimizer, [math.ceil(epochs * 0.5), math.ceil(epochs * 0.75)], 0.1) if schedule == "step" else None

# Augmentation by one gather: each image's 784 pixels read from a padded copy at its own offset (and mirrored).
SIDE, PAD = 28, 2
rows = torch.arange(SIDE).view(1, SIDE, 1)
cols = torch.arange(SIDE).view(1, 1, SIDE)


def augmented(images):
    b = images.shape[0]
    padded = nn.functional.pad(images.view(b, SIDE, SIDE), (PAD, PAD, PAD, PAD), value=-1.0).view(b, -1)  # -1: background
    dy = torch.randint(-PAD, PAD + 1, (b, 1, 1))
    dx = torch.randint(-PAD, PAD + 1, (b, 1, 1))
    x = cols
    if augment == "shift-flip":
        x = torch.where(torch.rand(b, 1, 1) < 0.5, SIDE - 1 - cols, cols)
    index = (rows - dy + PAD) * (SIDE + 2 * PAD) + (x - dx + PAD)
    return padded.gather(1, index.view(b, -1))


def loss_of(output, labels):
    nll = nn.functional.nll_loss(output, labels)
    return nll if smoothing == 0 else nll * (1 - smoothing) - output.mean() * smoothing


averaged, count = None, 0
for e in range(epochs):
    start = time.perf_counter()
    order = torch.randperm(n)
    running_loss = 0
    for i in range(0, n, batch):
        idx = order[i:i + batch]
        images = torch.index_select(x_train, 0, idx)
        if augment != "none":
            images = augmented(images)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(model(images), torch.index_select(y_train, 0, idx))
        loss.backward()
        optimizer.step()
        if per_batch:
            per_batch.step()
        running_loss += loss.item()
    if per_epoch:
        per_epoch.step()
    epoch_line(e + 1, epochs, running_loss / batches, time.perf_counter() - start)
    if average and e >= epochs - average:
        with torch.no_grad():
            weights = [p.detach().clone() for p in model.parameters()]
            averaged = weights if averaged is None else [a + (w - a) / (count + 1) for a, w in zip(averaged, weights)]
            count += 1

if averaged:
    with torch.no_grad():
        for p, a in zip(model.parameters(), averaged):
            p.copy_(a)
with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
print(f"test accuracy: {accuracy:.4f}", flush=True)
