# Shared by the macro benchmark scripts; `source` it after defining say().

# apt_install <package...>: installs Debian packages (root or sudo), quietly.
apt_install() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" </dev/null
}
