#!/usr/bin/env bash
# clean_html_train: clean_train end to end on a small synthetic set (pages
# of 10 made-up sites: a story between a menu, a sidebar of links and a
# footer; listing pages of link cards), as a user retraining on their own
# pages would run it. Asserts that it exits 0, writes every table of the
# header with no NaN in them, writes the same bytes twice, and scores at
# least 0.85 out of fold (about 0.96 today): a floor that a broken
# labelling, fit or threshold search falls through, not a quality figure.
#
# Usage: train_smoke.sh CLEAN_TRAIN WORKDIR
set -euo pipefail
train=$1 work=$2
rm -rf "$work" && mkdir -p "$work/html" "$work/gold"
cd "$work"

words=(river council budget station harbour teacher market bridge winter
  garden museum doctor village railway festival library factory orchard
  election mountain island weather theatre hospital school kitchen
  airport farmer singer painter)
promo_words=(offer discount subscribe member premium voucher deal coupon
  bonus points checkout basket newsletter signup account trial)
# sentence N M [promo]: a deterministic sentence from seed N, M words long
# (from the promotion's words with a third argument)
sentence() {
  local s=$1 m=$2 out="" i
  local -n pool=words
  [ $# -gt 2 ] && pool=promo_words
  for ((i = 0; i < m; i++)); do
    s=$(((s * 1103515245 + 12345) % 2147483648))
    out+="${pool[s % ${#pool[@]}]} "
  done
  printf 'The %swas seen again today.' "$out"
}

# promo SEED: a box of long sentences of other words inside the story's
# element or after the cards, not content
promo() {
  local p out=""
  for p in 1 2 3; do
    out+="<p>$(sentence $(($1 * 17 + p)) 18 promo)</p>"
  done
  printf '<div class="promo-box">%s</div>' "$out"
}

page() { # id site type seed
  local id=$1 site=$2 type=$3 seed=$4 p gold="" body=""
  if [ "$type" = article ]; then
    for p in 1 2 3 4 5; do
      local t
      t="$(sentence $((seed * 7 + p)) 14) $(sentence $((seed * 11 + p)) 12)"
      body+="<p>$t</p>"
      gold+="$t"$'\n'
    done
    body="<article class=\"s$site-post\"><h1>Story $id</h1>$body$(promo "$seed")</article>"
    gold="Story $id"$'\n'"$gold"
  else
    for p in 1 2 3 4 5 6; do
      local t
      t=$(sentence $((seed * 13 + p)) 6)
      body+="<div class=\"card\"><h3><a href=\"/i/$p\">Item $p</a></h3><p>$t</p></div>"
      gold+="Item $p"$'\n'"$t"$'\n'
    done
    body="<div class=\"s$site-grid\">$body</div>$(promo "$seed")"
  fi
  local nav="" side=""
  for p in Home News Sport Weather About Contact; do
    nav+="<li><a href=\"/$p\">$p</a></li>"
  done
  for p in 1 2 3 4 5; do
    side+="<li><a href=\"/more/$p\">Read more from site $site number $p</a></li>"
  done
  cat >"html/$id.html" <<EOF
<!doctype html><html><head><title>Story $id - Site $site</title></head><body>
<header class="top"><nav><ul>$nav</ul></nav></header>
<main>$body<aside class="related"><h2>Popular</h2><ul>$side</ul></aside></main>
<footer><p>Copyright Site $site. All rights reserved.</p><p><a href="/privacy">Privacy</a></p></footer>
</body></html>
EOF
  printf '%s' "$gold" >"gold/$id.txt"
  printf '%s\n' "$id" >>ids
  printf '%s\t%s\tsite%s.example\n' "$id" "$type" "$site" >>types.tsv
}

: >ids
: >types.tsv
n=0
for site in 0 1 2 3 4 5 6 7 8 9; do
  for k in 0 1 2 3 4; do
    n=$((n + 1))
    type=article
    [ "$k" -ge 3 ] && type=listing
    page "$(printf 'p%03d' $n)" "$site" "$type" "$n"
  done
done

# fewer trees than the shipped 200 and 100: the same code paths, a
# quarter of the time (the sanitizer build runs it too)
export CLEAN_TRAIN_TREES=50 CLEAN_TRAIN_PT_TREES=25
"$train" html gold ids types.tsv out1.h 2>log1
"$train" html gold ids types.tsv out2.h 2>log2
cmp out1.h out2.h || { echo "train_smoke: two runs wrote different tables" >&2; exit 1; }
for want in '#define WN_BM_NDENSE' '#define WN_BM_NSTAGE2' 'wn_bm_thr' 'wn_gb_leaf' '#define WN_PT_NCLASS' 'wn_pt_blend'; do
  grep -q -- "$want" out1.h || { echo "train_smoke: $want missing from the header" >&2; exit 1; }
done
# the out-of-fold mean page F1 over all pages (pages no model of their site saw)
f1=$(awk '$1 == "all" && NF >= 3 { print $3; exit }' log1)
[ -n "$f1" ] || { echo "train_smoke: no out-of-fold line" >&2; cat log1 >&2; exit 1; }
awk -v f="$f1" 'BEGIN { exit !(f >= 0.85) }' || {
  echo "train_smoke: out-of-fold F1 $f1 under 0.85 on an easy set" >&2
  exit 1
}
# no NaN or infinity in the tables
! grep -Eqi 'nan|inf[^a-z]' out1.h || { echo "train_smoke: NaN/inf in the header" >&2; exit 1; }
echo "train_smoke: ok (out of fold F1 $f1)"
