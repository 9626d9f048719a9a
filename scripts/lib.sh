# Shared by scripts/run and scripts/test: install what is missing, then
# configure and build a preset. Sourced, not executed.
set -euo pipefail

TCPMC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages the build, the tests and the tools need. One list, so the
# two README commands cannot drift apart.
TCPMC_PACKAGES=(
  cmake ninja-build g++-12 pkg-config
  clang-19 libclang-rt-19-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  libz3-dev graphviz spin gcc time
  libtins-dev libpcap-dev tcpdump gcovr
  iproute2 ethtool libsodium-dev
  iputils-ping curl python3 tshark
)

tcpmc::log() { printf '[tcpmc] %s\n' "$*" >&2; }

# Installs only the packages that are not installed yet, so a second run
# neither touches apt nor needs the network.
tcpmc::install_missing() {
  local missing=() p
  for p in "${TCPMC_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    tcpmc::log "missing Debian packages: ${missing[*]}"
    tcpmc::log "run this script as root, or install them with: sudo apt-get install ${missing[*]}"
    exit 1
  fi
  tcpmc::log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configures a preset once, then builds incrementally.
tcpmc::build() {
  local preset=$1
  cd "$TCPMC_ROOT"
  if [[ ! -f build/$preset/CMakeCache.txt ]]; then
    cmake --preset "$preset" >/dev/null
  fi
  cmake --build --preset "$preset"
}
