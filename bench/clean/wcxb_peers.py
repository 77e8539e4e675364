#!/usr/bin/env python3
"""Run one peer extractor (readability.js or defuddle.js, node + jsdom) over pages so that
EVERY page gets a result, whatever the machine load, and cache the results.

  wcxb_peers.py PEER CACHE_DIR FILE.html...      PEER is readability or defuddle

CACHE_DIR/PEER/<id>.txt is the peer's text for a page, CACHE_DIR/PEER/<id>.author the author
it found, and CACHE_DIR/PEER/status.tsv has one line per page: id, "ok" or "fail:REASON", CPU
seconds of parse + extract. Pages already in status.tsv (with an author file, when ok) are not
run again, so an interrupted run resumes and a finished one costs nothing.

The peer runs in one node process over the pages still to do (warm JIT, as in a real batch).
It prints "start ID" before and "done ID SECONDS" after each page. A watchdog reads the
process's CPU time from /proc (not wall time: the limit must not depend on load): when one page
has used more than LIMIT CPU seconds (default 300), or the process dies on a page (heap, crash),
that page is recorded as failed with an empty text (it scores 0) and the process is restarted
on the pages after it. The final line printed is
  pages N seconds S failed F
with S the CPU seconds of the pages that finished.
"""
import os, pathlib, subprocess, sys, time

HERE = pathlib.Path(__file__).resolve().parent
LIMIT = float(os.environ.get("PEER_CPU_LIMIT", "300"))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (0 when it is gone)."""
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def load_status(path):
    st = {}
    if path.exists():
        for line in path.read_text().splitlines():
            p = line.split("\t")
            if len(p) == 3:
                st[p[0]] = (p[1], float(p[2]))
    return st


def run_batch(peer, outdir, todo, status_f):
    """Runs the peer on todo (list of (id, file)); returns the ids it recorded."""
    cmd = ["node", "--max-old-space-size=4096", str(HERE / f"{peer}.js"), str(outdir)] + [f for _, f in todo]
    env = dict(os.environ, PEER_PROGRESS="1")
    if peer == "readability":
        env["READABILITY_BLOCKS_DIR"] = str(outdir)  # the scored, block-separated text
        cmd[3] = str(outdir / "raw")
        (outdir / "raw").mkdir(exist_ok=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    os.set_blocking(proc.stdout.fileno(), False)
    done, cur, cur_t0, buf = [], None, 0.0, ""
    while True:
        exited = proc.poll() is not None  # checked before reading: its last lines are drained
        while True:
            try:
                b = os.read(proc.stdout.fileno(), 65536)
            except BlockingIOError:
                break
            if not b:
                break
            buf += b.decode()
        while "\n" in buf:
            line, buf = buf.split("\n", 1)
            w = line.split()
            if len(w) == 2 and w[0] == "start":
                cur, cur_t0 = w[1], cpu_seconds(proc.pid)
            elif len(w) == 3 and w[0] == "done":
                status_f.write(f"{w[1]}\tok\t{float(w[2]):.6f}\n"); status_f.flush()
                done.append(w[1]); cur = None
        if exited:
            if cur is not None:  # died on this page
                reason = f"exit{proc.returncode}"
                (outdir / f"{cur}.txt").write_text("")
                status_f.write(f"{cur}\tfail:{reason}\t0\n"); status_f.flush()
                done.append(cur)
            return done
        if cur is not None and cpu_seconds(proc.pid) - cur_t0 > LIMIT:
            proc.kill(); proc.wait()
            (outdir / f"{cur}.txt").write_text("")
            status_f.write(f"{cur}\tfail:cpu>{LIMIT:.0f}s\t{LIMIT:.6f}\n"); status_f.flush()
            done.append(cur)
            return done
        time.sleep(0.2)


def main():
    peer, cache, files = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
    outdir = cache / peer
    outdir.mkdir(parents=True, exist_ok=True)
    spath = outdir / "status.tsv"
    pages = [(pathlib.Path(f).name[:-5], f) for f in files]
    with open(spath, "a") as status_f:
        stalls = 0
        while True:
            st = load_status(spath)
            todo = [(i, f) for i, f in pages
                    if i not in st or (st[i][0] == "ok" and not (outdir / f"{i}.author").exists())]
            if not todo:
                break
            got = run_batch(peer, outdir, todo, status_f)
            stalls = stalls + 1 if not got else 0
            if stalls >= 3:  # the peer cannot even start: record the rest as failed
                for i, _ in todo:
                    (outdir / f"{i}.txt").write_text("")
                    status_f.write(f"{i}\tfail:nostart\t0\n")
                break
    st = load_status(spath)
    ids = [i for i, _ in pages]
    secs = sum(st[i][1] for i in ids if st[i][0] == "ok")
    failed = [i for i in ids if st[i][0] != "ok"]
    print(f"pages {len(ids)} seconds {secs:.6f} failed {len(failed)}")
    for i in failed:
        print(f"   failed {i} {st[i][0]}", file=sys.stderr)


if __name__ == "__main__":
    main()
