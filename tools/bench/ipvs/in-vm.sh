#!/usr/bin/env bash
# Runs inside the VM (see ./run): each contender loads the same table in a fresh network namespace, then lists
# it back. A namespace is never reused: after a flush the kernel re-adds real servers ~60x slower.
# Usage: in-vm.sh RULES FLOOR-BINARY LIBRARY-BINARY SERVICES DESTS OUT [SMALL-FLOOR-BINARY]
# The VM's timings wander by a fifth or more from one minute to the next (the host is shared), so the library and
# the floor (and the floor built with small receives, when given) run ROUNDS times each (default 11), one after the
# other, each round starting with the next one, and the report takes medians and each round's ratios. ipvsadm, whose load alone takes longer than a round, loads once, halfway through, and
# lists IPVSADM_LISTS times (default 2). Every program runs from tmpfs: the VM's root is the host's over 9p, which
# would page code in during the timed part.
set -euo pipefail
rules=$1 floor=$2 library=$3 services=$4 dests=$5 out=$6 small_floor=${7:-}
rounds=${ROUNDS:-11}

stage=$(mktemp -d /dev/shm/ipvs-bench.XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$rules" "$stage/rules"; cp "$floor" "$stage/ipvs-floor"; cp "$library" "$stage/ipvs-bench"; cp "$(command -v ipvsadm)" "$stage/ipvsadm"
rules=$stage/rules floor=$stage/ipvs-floor library=$stage/ipvs-bench ipvsadm=$stage/ipvsadm
contenders=(library floor)
if [[ -n $small_floor ]]; then
  cp "$small_floor" "$stage/ipvs-floor-small"
  small_floor=$stage/ipvs-floor-small
  contenders+=(floor-small)
fi

source "$(dirname "$0")/../lib/namespaces.sh"

: >"$out"
echo "kernel $(uname -r)" >>"$out"
echo "rounds $rounds" >>"$out"
started=$SECONDS

run_library() {
  fresh_namespace bench-library
  ip netns exec bench-library "$library" "$rules" | sed "s/^/round=$1 /" | tee -a "$out"
  done_with bench-library
}

run_floor() {
  fresh_namespace bench-floor
  ip netns exec bench-floor "$floor" "$services" "$dests" | sed "s/^/round=$1 /" | tee -a "$out"
  done_with bench-floor
}

run_floor-small() {
  fresh_namespace bench-floor
  ip netns exec bench-floor "$small_floor" "$services" "$dests" | sed "s/^floor:/floor-small:/; s/^/round=$1 /" | tee -a "$out"
  done_with bench-floor
}

elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

run_ipvsadm() {
  local expected=$((services + services * dests)) start loaded listed lines i
  fresh_namespace bench-ipvsadm
  start=$EPOCHREALTIME
  ip netns exec bench-ipvsadm "$ipvsadm" -R <"$rules"
  loaded=$EPOCHREALTIME
  echo "ipvsadm: services=$services dests=$((services * dests)) load_s=$(elapsed "$start" "$loaded")" | tee -a "$out"
  for i in $(seq "${IPVSADM_LISTS:-2}"); do
    start=$EPOCHREALTIME
    lines=$(ip netns exec bench-ipvsadm "$ipvsadm" -Sn | wc -l)
    listed=$EPOCHREALTIME
    if [[ $lines -ne $expected ]]; then
      echo "ipvsadm -Sn printed $lines lines, expected $expected" >&2
      exit 1
    fi
    echo "ipvsadm: list $i list_s=$(elapsed "$start" "$listed")" | tee -a "$out"
  done
  done_with bench-ipvsadm
}

for round in $(seq "$rounds"); do
  for i in "${!contenders[@]}"; do
    "run_${contenders[(round - 1 + i) % ${#contenders[@]}]}" "$round"
  done
  if ((round == (rounds + 1) / 2)); then
    run_ipvsadm
  fi
  echo "round $round done at $((SECONDS - started)) s" | tee -a "$out"
done
