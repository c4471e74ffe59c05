#!/usr/bin/env bash
# Mutation testing of bot/core: mutmut changes the core one small edit at a time (a `<`
# for a `<=`, a state left out, a string emptied) and runs the core's tests against each
# change; a change no test notices ("survived") is a rule no test pins down.
#
#   scripts/mutation.sh            run it and print the score
#   scripts/mutation.sh results    list the survivors again; `mutmut show <name>` shows one
#
# A report, not a gate: it takes minutes, so it is not part of .ci/run. Configured in
# pyproject.toml ([tool.mutmut]); known equivalent mutants are explained in
# scripts/mutation-equivalents.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT="${MUTMUT:-.venv/bin/mutmut}"

if [[ "${1:-}" == "results" ]]; then
    exec "$MUTMUT" results
fi

rm -rf mutants
"$MUTMUT" run --max-children "${MUTATION_JOBS:-2}" >/dev/null
"$MUTMUT" export-cicd-stats >/dev/null
python3 - <<'PY'
import json

stats = json.load(open("mutants/mutmut-cicd-stats.json"))
tested = stats["total"] - stats["skipped"] - stats.get("no_tests", 0)
print(
    f"bot/core: {stats['killed']} of {stats['total']} mutants killed"
    f" ({100 * stats['killed'] / stats['total']:.1f} %); survived {stats['survived']},"
    f" no tests {stats.get('no_tests', 0)}, timeout {stats.get('timeout', 0)},"
    f" suspicious {stats.get('suspicious', 0)}, skipped {stats['skipped']}"
)
PY
"$MUTMUT" results | sed 's/^/  /'
