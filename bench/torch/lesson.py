"""The lesson's own PyTorch code, as the course runs it: torchvision's FashionMNIST dataset with
ToTensor() + Normalize((0.5,), (0.5,)), DataLoader(batch_size=64, shuffle=True), the Sequential,
NLLLoss, SGD(lr=0.01), running_loss / len(trainloader) per epoch; then test accuracy, and the
state_dict saved for the predict benchmark.

usage: lesson.py ROOT [--epochs 5] [--threads 1] [--seed 1] [--save model.pt]
ROOT holds FashionMNIST/raw/ with the four uncompressed IDX files (torchvision's layout).
"""
import sys
import time

import torch
from torch import nn, optim
from torchvision import datasets, transforms

from common import setup, arg, lesson_network, epoch_line, blas_library

threads = setup(sys.argv)
root = sys.argv[1]
epochs, seed, save = arg(sys.argv, "--epochs", 5), arg(sys.argv, "--seed", 1), arg(sys.argv, "--save", "")
torch.manual_seed(seed)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {blas_library()}", flush=True)

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
trainset = datasets.FashionMNIST(root, download=False, train=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)

model = lesson_network()
criterion = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)

for e in range(epochs):
    start = time.perf_counter()
    running_loss = 0
    for images, labels in trainloader:
        images = images.view(images.shape[0], -1)
        optimizer.zero_grad()
        output = model(images)
        loss = criterion(output, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    epoch_line(e + 1, epochs, running_loss / len(trainloader), time.perf_counter() - start)

testset = datasets.FashionMNIST(root, download=False, train=False, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=1000)
correct = 0
with torch.no_grad():
    for images, labels in testloader:
        correct += (model(images.view(images.shape[0], -1)).argmax(1) == labels).sum().item()
print(f"test accuracy: {correct / len(testset):.4f}", flush=True)
if save:
    torch.save(model.state_dict(), save)
