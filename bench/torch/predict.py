"""The lesson's last step as a whole program, for a cold-start comparison with `MnistTrainer predict`:
import torch, build the Sequential, load the state_dict the lesson saved, read one 28x28 PNG with
PIL, ToTensor() + Normalize((0.5,), (0.5,)), classify it and print the class and its probability.

usage: predict.py MODEL.pt IMAGE.png
"""
import sys

import torch
from PIL import Image
from torchvision import transforms

from common import lesson_network

model = lesson_network()
model.load_state_dict(torch.load(sys.argv[1]))
model.eval()
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
image = transform(Image.open(sys.argv[2]).convert("L")).view(1, 784)
with torch.no_grad():
    probabilities = torch.exp(model(image))[0]
best = int(probabilities.argmax())
names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
print(f"class {best} ({names[best]})  probability {probabilities[best]:.4f}", flush=True)
