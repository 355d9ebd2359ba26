# Shared by tools/test and tools/native-tests: run one ring of xunit v3 tests and keep its counts.
# A ring that ran no test, or whose runner died without a report, counts as failed: nothing passes by not running.

RING_PASSED=0
RING_FAILED=0
RING_SUMMARY=()

# ring_count NAME CTRF_FILE EXIT_CODE: adds the ring's counts from its CTRF report to the totals.
ring_count() {
  local name=$1 report=$2 status=$3 counts passed failed
  if [[ ! -s $report ]]; then
    echo "ring $name: no test report (runner exit $status)" >&2
    RING_FAILED=$((RING_FAILED + 1))
    RING_SUMMARY+=("$name: no report (exit $status)")
    return
  fi
  counts=$(python3 - "$report" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["results"]["summary"]
# Skipped, pending and other outcomes are failures here: a native test that cannot do its real work must not pass.
failed = s["failed"] + s.get("skipped", 0) + s.get("pending", 0) + s.get("other", 0)
print(s["passed"], failed, s["tests"])
PY
)
  read -r passed failed total <<<"$counts"
  if [[ $total -eq 0 ]]; then
    echo "ring $name: ran no test" >&2
    failed=1
  elif [[ $status -ne 0 && $failed -eq 0 ]]; then
    echo "ring $name: runner exited $status with no failed test reported" >&2
    failed=1
  fi
  RING_PASSED=$((RING_PASSED + passed))
  RING_FAILED=$((RING_FAILED + failed))
  RING_SUMMARY+=("$name: $passed passed, $failed failed")
  echo "ring $name: $passed passed, $failed failed"
}

ring_print_summary() {
  echo "---- rings ----"
  local line
  for line in "${RING_SUMMARY[@]}"; do echo "  $line"; done
}

# ring_add_counts NAME LOG EXIT_CODE: adds the counts of the last "N passed, N failed" line in LOG (a script's
# output) to the totals. No such line counts as one failure; so does a non-zero exit with nothing failed.
ring_add_counts() {
  local name=$1 log=$2 status=$3 passed failed
  read -r passed failed < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ {print $1, $3}' "$log" | tail -n 1) || true
  if [[ -z ${passed:-} ]]; then
    echo "ring $name: printed no total (exit $status)" >&2
    passed=0; failed=1
  elif [[ $status -ne 0 && $failed -eq 0 ]]; then
    echo "ring $name: exited $status with no failure counted" >&2
    failed=1
  fi
  RING_PASSED=$((RING_PASSED + passed))
  RING_FAILED=$((RING_FAILED + failed))
  RING_SUMMARY+=("$name: $passed passed, $failed failed")
  echo "ring $name: $passed passed, $failed failed"
}
