#!/usr/bin/env bash
# Latency of serve's POST /api/predict for one 28×28 PNG (test image 0), with 1 and 16 concurrent clients
# on loopback; each level stops after 2,000 answers or 20 seconds. Then /healthz under load: 16 clients
# uploading, for 10 seconds, a PNG of a few KB that declares 7000×7000 pixels, then one of 2000×2000
# (the largest serve decodes), while /healthz is asked every 20 ms. Figures for docs/benchmarks.md.
#
#   bench/serve-latency.sh MODEL DATA_DIR [predict|load]   (DATA_DIR: a folder with the model's t10k test
#                                                          files; the third argument runs one part only)
#
# Builds the app and bench/Probe in Release, starts `serve --port 0`, runs `Probe latency`, stops serve.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1 data=$2 part=${3:-all}
work=$(mktemp -d)
trap 'kill -TERM "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release src/MnistTrainer -v quiet -nologo >/dev/null
dotnet build -c Release bench/Probe -v quiet -nologo >/dev/null
app=src/MnistTrainer/bin/Release/net10.0/MnistTrainer.dll
probe=bench/Probe/bin/Release/net10.0/Probe.dll

dotnet "$app" export-sample --data-dir "$data" --no-download --index 0 --output "$work/seven.png" >/dev/null
dotnet "$app" serve --model "$model" --data-dir "$data" --port 0 >"$work/serve.log" &
server=$!
for _ in $(seq 600); do
  url=$(sed -nE 's/^Serving the drawing page at (http:[^ ]+) .*/\1/p' "$work/serve.log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

nproc | sed 's/^/cores: /'
uptime | sed 's/.*load/load/'
if [ "$part" != load ]; then
  for clients in 1 16; do
    dotnet "$probe" latency --url "$url" --png "$work/seven.png" --clients "$clients" --requests 2000 --seconds 20
  done
fi
if [ "$part" != predict ]; then
  for side in 7000 2000; do
    dotnet "$probe" huge-png --side "$side" --out "$work/huge.png"
    dotnet "$probe" healthz --url "$url" --png "$work/huge.png" --clients 16 --seconds 10
  done
  grep -E '^VmHWM' "/proc/$server/status" | sed 's/^VmHWM:/serve peak resident memory:/'
fi
uptime | sed 's/.*load/load/'
