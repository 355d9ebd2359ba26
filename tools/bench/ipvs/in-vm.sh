#!/usr/bin/env bash
# Runs inside the VM (see ./run): each contender loads the same table in a fresh network namespace, then lists
# it back. A namespace is never reused: after a flush the kernel re-adds real servers ~60x slower.
# Usage: in-vm.sh RULES FLOOR-BINARY LIBRARY-BINARY SERVICES DESTS OUT
set -euo pipefail
rules=$1 floor=$2 library=$3 services=$4 dests=$5 out=$6

source "$(dirname "$0")/../lib/namespaces.sh"

: >"$out"
echo "kernel $(uname -r)" >>"$out"

# The VM's timings wander by 10-20% from run to run, so the library and the floor each run ROUNDS times,
# alternately, and the report takes each one's median.
for round in $(seq "${ROUNDS:-3}"); do
  fresh_namespace bench-library
  ip netns exec bench-library "$library" "$rules" | tee -a "$out"
  done_with bench-library

  fresh_namespace bench-floor
  ip netns exec bench-floor "$floor" "$services" "$dests" | tee -a "$out"
  done_with bench-floor
done

fresh_namespace bench-ipvsadm
start=$EPOCHREALTIME
ip netns exec bench-ipvsadm ipvsadm -R <"$rules"
load_end=$EPOCHREALTIME
lines=$(ip netns exec bench-ipvsadm ipvsadm -Sn | wc -l)
list_end=$EPOCHREALTIME
expected=$((services + services * dests))
if [[ $lines -ne $expected ]]; then
  echo "ipvsadm -Sn printed $lines lines, expected $expected" >&2
  exit 1
fi
python3 -c "import sys; a,b,c=map(float,sys.argv[1:]); print(f'ipvsadm: services=$services dests=$((services * dests)) load_s={b-a:.3f} list_s={c-b:.3f}')" \
  "$start" "$load_end" "$list_end" | tee -a "$out"
