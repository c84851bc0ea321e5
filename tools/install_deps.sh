#!/usr/bin/env bash
# Installs the Debian packages samestory builds, tests and benchmarks with, when they are missing.
# Safe to run again: it only calls apt-get when a package is absent. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3
  libfaiss-dev libopenblas-dev libicu-dev libxxhash-dev libstemmer-dev
  libsimdjson-dev libcli11-dev zlib1g-dev libbenchmark-dev libgtest-dev
  # tests/cli/feed_audit_test.sh measures peak RSS (GNU time) and runs as another user (setpriv)
  time util-linux procps
  # the fuzz build (tools/test.sh step 3): clang with libFuzzer and its OpenMP runtime
  clang libclang-rt-14-dev libomp-dev
  # the Python package (pybind11) and its tests (pytest; pandas and scikit-learn for the
  # DataFrame input and sklearn.base.clone)
  pybind11-dev python3-dev python3-numpy python3-pytest python3-pandas python3-sklearn
  # samestory-mpi and its tests (Open MPI; mpirun)
  libopenmpi-dev openmpi-bin
)
# The benchmark peers (a plain-Python MinHash, scikit-learn, FAISS's Python module) use Debian's
# own python3, not a pyenv or venv interpreter: pass --peers to install them too.
if [[ "${1:-}" == "--peers" ]]; then
  packages+=(python3 python3-numpy python3-sklearn python3-scipy python3-faiss python3-stemmer
             python3-networkx python3-igraph python3-leidenalg python3-matplotlib)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install_deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
