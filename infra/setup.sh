#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 machine for ScaleSweep: installs the Debian packages the project
# needs (data sets, Redis for cluster mode) when they are missing, and checks the .NET SDK. Safe to re-run.
set -euo pipefail

# gcc and libc6-dev build the heap-poisoning shim of the determinism tests. python3-torch (PyTorch for
# /usr/bin/python3) and an optimized BLAS run the examples/pytorch command trials.
# openssl makes the development certificates of a TLS cluster (infra/make-dev-certs.sh, the security tests).
packages=(dataset-fashion-mnist bible-kjv redis-server gcc libc6-dev python3-torch libopenblas0-pthread openssl)

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages present: ${packages[*]}"
fi

# The embedded Redis used by tests is started by the tests themselves on a free loopback port; make sure the
# distribution's service (if any) does not matter: nothing here starts or stops it.

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (dotnet not found on PATH); install it from Microsoft's packages" >&2
  exit 1
fi
echo "setup: $(dotnet --version) .NET SDK"
