#!/usr/bin/env bash
# The benchmark in one command: MnistTrainer against the lesson's PyTorch code and PyTorch at its best,
# on this machine and Fashion-MNIST; writes docs/benchmarks.md. See docs/benchmarks.md for what it measures.
#
#   bench/run.sh [--no-build] [benchmark.py options: --quick, --stock-blas, --threads 1,2, --runs N, ...]
#
# Installs what is missing (Debian packages python3-torch, python3-torchvision, dataset-fashion-mnist;
# needs root), publishes the app (Release, ReadyToRun: as a user installs it) and builds it and bench/Probe in
# Release unless --no-build, then runs bench/benchmark.py.
# Nothing is installed for OpenBLAS: benchmark.py unpacks Debian's package into a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for a in "$@"; do
  if [ "$a" = --no-build ]; then build=0; else args+=("$a"); fi
done

packages=()
/usr/bin/python3 -c 'import torch' 2>/dev/null || packages+=(python3-torch)
/usr/bin/python3 -c 'import torchvision' 2>/dev/null || packages+=(python3-torchvision)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || packages+=(dataset-fashion-mnist)
if [ ${#packages[@]} -gt 0 ]; then
  echo "installing ${packages[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

if [ "$build" = 1 ]; then
  dotnet build -c Release src/MnistTrainer -v quiet -nologo
  dotnet publish -c Release src/MnistTrainer -o src/MnistTrainer/bin/publish -v quiet -nologo
  dotnet build -c Release bench/Probe -v quiet -nologo
fi

exec /usr/bin/python3 bench/benchmark.py "${args[@]}"
