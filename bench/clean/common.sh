# bench/clean/common.sh: what the bench/clean scripts share; sourced after
# they set $here (this directory) and $root (the project).

# The shared data (bench data, scorers, samples): $WINNOW_SHARED, else
# ../shared beside the project, else /work/shared.
shared=${WINNOW_SHARED:-$root/../shared}
[ -d "$shared" ] || shared=/work/shared

# Prints the comment block at the top of script $1 (after the #! line),
# without the comment marks: the scripts' help.
wn_help() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$1"
}

# Installs the renderers a scraper would use (w3m, lynx, html2text) with
# apt-get when one is missing.
wn_renderers() {
  if ! command -v w3m >/dev/null || ! command -v lynx >/dev/null || ! command -v html2text >/dev/null; then
    echo "== installing w3m, lynx, html2text"
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y w3m lynx html2text >/dev/null
  fi
}

# Waits for the background jobs whose pids are the arguments after the
# first; when one fails, kills the others and exits 1 with the message $1.
wn_wait_all() {
  local msg=$1 pid
  shift
  for pid in "$@"; do
    wait "$pid" || {
      echo "$msg" >&2
      kill "$@" 2>/dev/null || true
      exit 1
    }
  done
}
