# An input folder that is missing is a failure the exit code and summary
# show (the source is stopped: exit 2), never a quiet exit 0, and `winnow
# check` fails on it (78); with
# missing_ok: true it is a warning and the run is clean. A named file of
# a kind that cannot be read is a warning too.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/src"
printf 'A short text about the harbour council and its budget for the year.\n' >"$T/src/a.txt"
cat >"$T/c.yaml" <<YAML
version: 1
run: { output_dir: out }
sources:
  - { id: files, use: source_files, with: { paths: [src, mnt/today] } }
sinks:
  - { id: json, use: export_json }
YAML
# winnow check finds it before a run: every source is started and stopped.
run_w 78 check "$T/c.yaml"
has "$T/err" "mnt/today: No such file or directory"
run_w 2 run "$T/c.yaml"
has "$T/err" "mnt/today: No such file or directory"
has "$T/err" "stopped: 'files'"
json "$T/out/run.json" "d['status']=='partial'"
run_w 0 run "$T/c.yaml" --set files.missing_ok=true
json "$T/out/run.json" "d['status']=='ok' and d['records']['exported']==1"
# A file the config names that is not HTML or text is said, not passed
# over in silence (in a folder walk such files are only counted).
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >"$T/pic.png"
run_w 0 run "$T/c.yaml" --set 'files.paths=[src, pic.png]'
has "$T/err" "pic.png: not HTML or text"
finish
