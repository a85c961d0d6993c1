#!/usr/bin/env bash
# Refreshes the French catalogue from the code, then compiles it. New strings show up as
# unfinished in resources/translations/csu_fr.ts: translate them (Qt Linguist, or by hand),
# rerun, commit both files. tests/unit/test_translations.py fails while any is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
"$BIN/pyside6-lupdate" $(git ls-files 'app/*.py' 'widgets/*.py' 'maps/*.py') \
  -ts resources/translations/csu_fr.ts -source-language en -target-language fr -no-obsolete
"$BIN/pyside6-lrelease" resources/translations/csu_fr.ts -qm resources/translations/csu_fr.qm
