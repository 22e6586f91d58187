# Sourced by the scripts that install Debian packages they need.
# The caller defines say (a progress line) and die (an error, then exit).
install_packages() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    say "installing $* (apt-get)"
    $sudo apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null ||
        die "apt-get install $* failed"
}
