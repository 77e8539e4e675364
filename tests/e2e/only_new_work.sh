# Only new work: every terminal outcome is remembered. A repeat run over an
# unchanged folder skips at the source what earlier runs exported, dropped
# by a rule or found to be duplicates, so no stage reads them again; a
# file whose content changed is done again; --reprocess does everything.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/src"
python3 - "$T/src" <<'PY'
import random, sys
d = sys.argv[1]
words = ("harbour council budget river ferry school market energy plant robot city "
         "mayor report growth bank trade policy wind solar rail bridge port water tariff "
         "library museum hospital clinic farm coffee copper mine union strike court").split()
def article(seed):
    rnd = random.Random(seed)
    return "\n\n".join(" ".join(rnd.choice(words) for _ in range(60)).capitalize() + "."
                       for _ in range(5)) + "\n"
for i in range(4):                      # 4 articles, each with 2 exact copies
    for c in range(3):
        open(f"{d}/a{i}-{c}.txt", "w").write(article(i))
for i in range(3):                      # 3 too short: dropped by the quality rule
    open(f"{d}/short{i}.txt", "w").write(f"Brief note number {i} about the harbour.\n")
PY
cat >"$T/c.yaml" <<YAML
version: 1
run: { output_dir: "out/\${RUN_ID}", state: state.db }
sources:
  - { id: files, use: source_files, with: { paths: [src] } }
pipeline:
  - { id: text, use: clean_text }
  - { id: quality, use: filter_quality, with: { min_words: 50 } }
sinks:
  - { id: json, use: export_json }
YAML
stage_in() { python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(s['in'] for s in d['stages'] if s['id'] == 'text'))" "$T/out/latest/run.json"; }

run_w 0 run "$T/c.yaml"
json "$T/out/latest/run.json" "d['records']['exported']==4 and d['records']['duplicates']==8 and d['records']['dropped']==3"

# Unchanged: all 15 skipped at the source, none through the quality stage.
run_w 0 run "$T/c.yaml"
json "$T/out/latest/run.json" "d['records']['read']==15 and d['records']['seen']==15 and d['records']['exported']==0"
check "no stage read an unchanged record" test "$(stage_in)" = 0

# A dropped file grows into an article: done again, and exported.
python3 -c "
import sys
open(sys.argv[1], 'w').write(' '.join(['The council met the harbour union about the new ferry.'] * 12) + '\n')" "$T/src/short1.txt"
run_w 0 run "$T/c.yaml"
json "$T/out/latest/run.json" "d['records']['exported']==1 and d['records']['seen']==14"
has "$T/out/latest/articles.jsonl" '"path":"short1.txt"'
check "only the changed record went through the stage" test "$(stage_in)" = 1

# --reprocess ignores the memory: everything is read through the stages.
run_w 0 run "$T/c.yaml" --reprocess
json "$T/out/latest/run.json" "d['records']['seen']==0"
check "reprocess reads every record through the stage" test "$(stage_in)" = 15
finish
