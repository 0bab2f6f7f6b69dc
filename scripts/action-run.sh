#!/usr/bin/env bash
# The GitHub Action's run step (action.yml), runnable on its own:
#   INPUT_PATHS='src tests' INPUT_ARGS='--select CL1' INPUT_SARIF_FILE=out.sarif INPUT_ANNOTATIONS=true \
#     bash scripts/action-run.sh
# Writes the SARIF file (when INPUT_SARIF_FILE is set), prints workflow annotations (when
# INPUT_ANNOTATIONS is true), sets the step outputs sarif-file, findings and exit-code in
# $GITHUB_OUTPUT, and exits with conn-lint's exit code: 0 no findings (or --exit-zero), 1 findings, 2 error.
set -uo pipefail
root=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
# --force-exclude: paths given as inputs (changed files, say) still honour the config's exclusions.
conn_lint=(node "$root/bin/conn-lint" --force-exclude)

# Inputs are split on whitespace, with no glob expansion (conn-lint walks directories itself).
set -f
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}"
read -r -d '' -a args <<<"${INPUT_ARGS:-}"
set +f
[ ${#paths[@]} -eq 0 ] && paths=(.)
sarif=${INPUT_SARIF_FILE:-}
annotations=${INPUT_ANNOTATIONS:-true}

status=0
findings=
if [ -n "$sarif" ]; then
  mkdir -p "$(dirname "$sarif")"
  "${conn_lint[@]}" "${paths[@]}" "${args[@]}" --format sarif --output-file "$sarif"
  status=$?
  if [ "$status" -le 1 ] && [ -f "$sarif" ]; then
    findings=$(node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(s.runs.reduce((n, r) => n + r.results.length, 0))' "$sarif")
  fi
fi
if [ "$annotations" = true ] && [ "$status" -le 1 ]; then
  out=$(mktemp)
  "${conn_lint[@]}" "${paths[@]}" "${args[@]}" --format github >"$out"
  code=$?
  cat "$out"
  if [ -z "$findings" ] && [ "$code" -le 1 ]; then findings=$(grep -c '^::\(error\|warning\|notice\) .*title=conn-lint (CL' "$out"); fi
  rm -f "$out"
  if [ -z "$sarif" ] || [ "$code" -gt "$status" ]; then status=$code; fi
fi
if [ -z "$sarif" ] && [ "$annotations" != true ]; then
  "${conn_lint[@]}" "${paths[@]}" "${args[@]}"
  status=$?
fi

echo "conn-lint: ${findings:-?} finding(s)${sarif:+; SARIF written to $sarif}; exit code $status"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif-file=$sarif"
    echo "findings=${findings:-}"
    echo "exit-code=$status"
  } >>"$GITHUB_OUTPUT"
fi
exit "$status"
