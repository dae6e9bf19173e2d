#!/bin/sh
# Writes dev_figures.md: the development figures of the default lexicon before the evidence-driven revision
# (commit 950c0ba) and as it is now, on the development pages present when this is run.
set -e
cd "$(dirname "$0")/../../.."
PY=${PYTHON:-python}
BEFORE=$(mktemp --suffix=.toml)
git show 950c0ba:discourse/data/lexicon.toml > "$BEFORE"
{
  echo "# Development figures of the default lexicon"
  echo
  echo "Written by \`tests/data/karabakh_comments/dev_figures.sh\` with \`evaluate.py\`: only pages of the development"
  echo "part (GUIDELINES.md) are read. Topic F1 is per comment (a topic is tagged or not); sentiment uses the ±0.05"
  echo "thresholds. The test part is measured once, elsewhere."
  echo
  "$PY" tests/data/karabakh_comments/evaluate.py --lexicon "$BEFORE" --title "Before: the default lexicon of commit 950c0ba"
  echo
  "$PY" tests/data/karabakh_comments/evaluate.py --title "After: the default lexicon of this commit"
} > tests/data/karabakh_comments/dev_figures.md
rm -f "$BEFORE"
