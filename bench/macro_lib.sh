# Shared by the macro benchmark scripts; `source` it after defining say().

# apt_install <package...>: installs Debian packages (root or sudo), quietly.
apt_install() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

# Exits 1 unless $SAMESTORY is an executable (this library builds nothing); then sets BIN_START
# to bin_id's answer, to notice a rebuild during the run (concurrent work in the tree).
require_samestory() {
  if [[ ! -x "$SAMESTORY" ]]; then
    say "$SAMESTORY not found. This script builds nothing; build it first:"
    say "  cd $ROOT && cmake --preset release && cmake --build --preset release"
    exit 1
  fi
  BIN_START=$(bin_id)
}
bin_id() { echo "sha256 $(sha256sum "$SAMESTORY" | cut -c1-12), built $(date -u -r "$SAMESTORY" '+%Y-%m-%d %H:%M:%S UTC')"; }
