"""The matrix-product floor: the 8 products of one epoch of this network (60,000 images in batches of
64: three forward, two per hidden layer and one for the first layer backward), into preallocated
outputs, with transposed operands as autograd passes them. No other work: what BLAS alone costs.

usage: floor.py [--epochs 5] [--threads 1]      prints one 'floor S s' line per epoch
"""
import sys
import time

import torch

from common import setup, arg, blas_library

setup(sys.argv)
epochs = arg(sys.argv, "--epochs", 5)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {blas_library()}", flush=True)
B, n = 64, 60000
batches = (n + B - 1) // B
X, W1, W2, W3 = torch.randn(B, 784), torch.randn(128, 784), torch.randn(64, 128), torch.randn(10, 64)
H1, H2, Y = torch.empty(B, 128), torch.empty(B, 64), torch.empty(B, 10)
dY3, dY2, dY1 = torch.randn(B, 10), torch.randn(B, 64), torch.randn(B, 128)
dW3, dH2, dW2, dH1, dW1 = torch.empty(10, 64), torch.empty(B, 64), torch.empty(64, 128), torch.empty(B, 128), torch.empty(128, 784)


def epoch():
    for _ in range(batches):
        torch.mm(X, W1.t(), out=H1); torch.mm(H1, W2.t(), out=H2); torch.mm(H2, W3.t(), out=Y)
        torch.mm(dY3.t(), H2, out=dW3); torch.mm(dY3, W3, out=dH2)
        torch.mm(dY2.t(), H1, out=dW2); torch.mm(dY2, W2, out=dH1)
        torch.mm(dY1.t(), X, out=dW1)


epoch()  # warm-up
for _ in range(epochs):
    start = time.perf_counter()
    epoch()
    print(f"floor {time.perf_counter() - start:.4f} s", flush=True)
