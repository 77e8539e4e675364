# A private PostgreSQL server for the end-to-end tests, sourced after
# lib.sh: initdb + pg_ctl in $T/pg, Unix socket only, stopped when the
# test ends. Not a test itself (the e2e glob takes *.sh only).
#
#   pg_bin           sets $pg_bin to the server's bin folder; 1 when the
#                    server binaries are not installed
#   pg_init          initdb, start, export PGHOST PGPORT PGUSER PGDATABASE;
#                    exits 1 with the server's log when it cannot
#   pg_start         start again after pg_stop
#   pg_stop [MODE]   pg_ctl stop (fast, or immediate: a server that dies)
#   q SQL            one statement through psql, unaligned tuples only

pg_bin() {
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] && [ -x "$pg_bin/pg_ctl" ]
}

# initdb refuses root: run the server as the postgres user when we are root
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_start() {
	as_pg "$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -t 60 \
		-o "-k $pg -c listen_addresses='' -p 5432 -c fsync=off" start >/dev/null
}

pg_stop() { as_pg "$pg_bin/pg_ctl" -D "$pg/data" -m "${1:-fast}" -w stop >/dev/null 2>&1; }

q() { "$pg_bin/psql" -XAtqc "$1"; }

pg_init() {
	pg_bin || { echo "postgresql server binaries not found" >&2; exit 1; }
	pg="$T/pg"
	mkdir -p "$pg"
	if [ "$(id -u)" = 0 ]; then chmod 755 "$T" && chown postgres "$pg"; fi
	as_pg "$pg_bin/initdb" -D "$pg/data" -U postgres -A trust >"$T/initdb.log" 2>&1 ||
		{ cat "$T/initdb.log" >&2; exit 1; }
	pg_start || { cat "$pg/log" >&2; exit 1; }
	trap 'pg_stop immediate; rm -rf "$T"' EXIT
	export PGHOST="$pg" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}

# True when this build has export_postgres (a .so, or built in).
pg_plugin() {
	[ -f "$WN_BUILD/plugins/export_postgres.so" ] ||
		[ "$("$WINNOW" plugins 2>/dev/null | grep -c export_postgres)" != 0 ]
}
