#!/usr/bin/env bash
# Runs inside the VM (see ./run). Each contender works in a fresh network namespace (after a flush the kernel
# re-adds real servers ~60x slower, so one is never reused), timed as a whole process from the shell:
#   ipvsadm -R < rules, then ipvsadm -Sn;   ipvsctl -R < rules, then ipvsctl -Sn;   ipvsctl apply -f model.
# Both saves must print the same table. Usage: in-vm.sh RULES MODEL IPVSCTL SERVICES DESTS OUT
# Both programs and their inputs are copied to tmpfs first: the VM's root is the host's over 9p, which pages an
# executable in again on every run, at a cost that grows with its size and that no real disk would charge.
set -euo pipefail
stage=$(mktemp -d /dev/shm/ipvsctl-bench.XXXXXX)
cp "$1" "$stage/rules"; cp "$2" "$stage/model.yaml"; cp "$3" "$stage/ipvsctl"; cp "$(command -v ipvsadm)" "$stage/ipvsadm"
rules=$stage/rules model=$stage/model.yaml ipvsctl=$stage/ipvsctl ipvsadm=$stage/ipvsadm services=$4 dests=$5 out=$6
expected=$((services + services * dests))
trap 'rm -rf "$stage"' EXIT

source "$(dirname "$0")/../lib/namespaces.sh"

elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

: >"$out"
echo "kernel $(uname -r)" >>"$out"
reference=$(mktemp)

for round in $(seq "${ROUNDS:-3}"); do
  fresh_namespace bench-ipvsadm
  t0=$EPOCHREALTIME
  ip netns exec bench-ipvsadm "$ipvsadm" -R <"$rules"
  t1=$EPOCHREALTIME
  ip netns exec bench-ipvsadm "$ipvsadm" -Sn >"$reference"
  t2=$EPOCHREALTIME
  [[ $(wc -l <"$reference") -eq $expected ]] || { echo "ipvsadm -Sn: $(wc -l <"$reference") lines, expected $expected" >&2; exit 1; }
  echo "ipvsadm: restore_s=$(elapsed "$t0" "$t1") save_s=$(elapsed "$t1" "$t2")" | tee -a "$out"
  done_with bench-ipvsadm

  fresh_namespace bench-ipvsctl
  t0=$EPOCHREALTIME
  ip netns exec bench-ipvsctl "$ipvsctl" -R <"$rules"
  t1=$EPOCHREALTIME
  ip netns exec bench-ipvsctl "$ipvsctl" -Sn >"$reference.ctl"
  t2=$EPOCHREALTIME
  cmp -s "$reference" "$reference.ctl" || { echo "ipvsctl -Sn differs from ipvsadm -Sn of the same table" >&2; exit 1; }
  ip netns exec bench-ipvsctl ipvsadm -Sn | cmp -s "$reference" - || { echo "ipvsctl -R loaded a different table" >&2; exit 1; }
  echo "ipvsctl: restore_s=$(elapsed "$t0" "$t1") save_s=$(elapsed "$t1" "$t2")" | tee -a "$out"
  done_with bench-ipvsctl

  fresh_namespace bench-apply
  t0=$EPOCHREALTIME
  ip netns exec bench-apply "$ipvsctl" apply -f "$model"
  t1=$EPOCHREALTIME
  ip netns exec bench-apply "$ipvsctl" apply -f "$model"
  t2=$EPOCHREALTIME
  ip netns exec bench-apply ipvsadm -Sn | cmp -s "$reference" - || { echo "ipvsctl apply loaded a different table" >&2; exit 1; }
  echo "apply: apply_s=$(elapsed "$t0" "$t1") reapply_s=$(elapsed "$t1" "$t2")" | tee -a "$out"
  done_with bench-apply
done
