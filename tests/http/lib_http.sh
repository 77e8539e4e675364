# Helpers for the HTTP end-to-end tests (sourced after tests/e2e/lib.sh):
# start_server [ARGS] starts tests/http/server.py on a free 127.0.0.1 port
# and sets $PORT and $BASE; it is stopped when the test exits.
# No proxy may take our 127.0.0.1 traffic.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
SERVER_PIDS=""

start_server() {
	local pf="$T/port.$RANDOM"
	python3 "$WN_SRC/tests/http/server.py" --port-file "$pf" "$@" &
	SERVER_PIDS="$SERVER_PIDS $!"
	for _ in $(seq 1 100); do
		[ -s "$pf" ] && break
		sleep 0.05
	done
	PORT=$(cat "$pf")
	BASE="http://127.0.0.1:$PORT"
}

stop_servers() {
	for p in $SERVER_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	SERVER_PIDS=""
}
trap 'stop_servers; rm -rf "$T"' EXIT

# stats PYEXPR: a Python expression over `s` (the server's /stats) is true.
stats() {
	if python3 - "$BASE" "$1" <<'PY'; then ok; else bad "server stats: $1"; fi
import json, sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
s = json.load(opener.open(sys.argv[1] + "/stats"))
if not eval(sys.argv[2]):
    sys.stderr.write(json.dumps(s)[:600] + "\n")
    sys.exit(1)
PY
}
