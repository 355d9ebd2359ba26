#!/usr/bin/env bash
# Runs inside the VM (see ./run). Each round, every contender in a fresh network namespace of its own, one after the
# other (the VM's speed drifts, so the contenders alternate rather than each running all its rounds in one block):
#   floor      ipvs-floor loads 10k x 10 and lists it back (its own load_s and list_s)
#   addresses  addr-floor binds the table's 10,000 virtual IPs to a dummy link from C, 64 requests a send: the
#              kernel's own cost of the other half of what ipvsd's first sync does (see run)
#   ipvsd      ipvsd starts on the 10k services directory with sync-period 5s: its first sync ("ready: ... first
#              sync X ms"), then NOOPS full resyncs that change nothing ("sync full: nothing to change (..., X ms)"),
#              then its VmRSS (and VmHWM) holding the table
#   floor      again, so each ipvsd start has a floor run just before it
#   change10k  ipvsd (default settings) on the 10k directory: its first sync too, then ipvsd-change-bench edits one
#              service's file CHANGES times and times each edit until the kernel holds it
#   floor      a third time (its listing varies the most from run to run)
#   change100  the same on a directory of the first 100 of those services
# Everything runs from tmpfs (/dev/shm): the VM's root is the host's over 9p, which pages an executable in again on
# every run and would make every file ipvsd reads cost a round trip to the host.
# Usage: in-vm.sh SERVICES-10K.tar SERVICES-100.tar FLOOR IPVSD CHANGE-BENCH ADDR-FLOOR OUT
set -euo pipefail
stage=$(mktemp -d /dev/shm/ipvsd-bench.XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$1" "$stage/services-10k.tar"; cp "$2" "$stage/services-100.tar"
cp "$3" "$stage/ipvs-floor"; cp "$4" "$stage/ipvsd"; cp "$5" "$stage/ipvsd-change-bench"; cp "$6" "$stage/addr-floor"
out=$7
rounds=${ROUNDS:-3} noops=${NOOPS:-3} changes=${CHANGES:-10}
# The service edited: the first one (svc-00000.yaml, 198.18.0.1:80, in both directories); its last real server
# (198.19.0.10:8000) is swapped for one the table does not use (gen-services.py gives hosts .1 to .250 only).
edited=(svc-00000.yaml 198.18.0.1:80 198.19.0.10:8000 198.19.255.251:8000)

source "$(dirname "$0")/../lib/namespaces.sh"
source "$(dirname "$0")/daemon.sh"

: >"$out"
echo "kernel $(uname -r)" | tee -a "$out"

floor() {
  fresh_namespace bench-floor
  ip netns exec bench-floor "$stage/ipvs-floor" 10000 10 | tee -a "$out"
  done_with bench-floor
}

addresses() {
  fresh_namespace bench-addresses
  ip -n bench-addresses link add d0 type dummy
  ip -n bench-addresses link set d0 up
  ip netns exec bench-addresses "$stage/addr-floor" 10000 64 | sed 's/^addr-floor:/addresses:/' | tee -a "$out"
  done_with bench-addresses
}

# ipvsd's first sync of 10k x 10 and the time from its start to then (reading the 10k files is most of it).
ready10k() {
  local ready
  ready=$(wait_for_lines "ready: " 1 900)
  echo "ready10k: first_sync_ms=$(sed -E 's/.*first sync ([0-9]+) ms.*/\1/' <<<"$ready") start_to_ready_s=$(seconds_to "$ready")" | tee -a "$out"
}

for round in $(seq "$rounds"); do
  echo "round $round of $rounds ($(date +%T))"
  echo "round $round" >>"$out"
  floor
  addresses

  start_ipvsd bench-ipvsd "$stage/services-10k.tar" "sync-period: 5s"
  ready10k
  wait_for_lines "sync full: nothing to change" "$noops" $((90 * noops)) >/dev/null
  noop_ms=$(lines_matching "sync full: nothing to change" | sed -E 's/.*, ([0-9]+) ms\)$/\1/' | paste -sd, -)
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$ipvsd_pid/status")
  hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$ipvsd_pid/status")
  echo "noop: noop_ms=$noop_ms rss_kb=$rss_kb hwm_kb=$hwm_kb" | tee -a "$out"
  stop_ipvsd
  keep_log "$round"
  done_with bench-ipvsd

  floor
  for size in 10k 100; do
    [[ $size == 100 ]] && floor # the floor's timings wander most: a third sample each round
    start_ipvsd "bench-change$size" "$stage/services-$size.tar" ""
    if [[ $size == 10k ]]; then ready10k; else wait_for_lines "ready: " 1 300 >/dev/null; fi
    ip netns exec "bench-change$size" "$stage/ipvsd-change-bench" "change$size" "$ipvsd_node/services/${edited[0]}" \
      "${edited[1]}" "${edited[2]}" "${edited[3]}" "$changes" | tee -a "$out"
    # The syncs that took the edits: their own duration, beside the latency measured from outside. The last one may
    # still be running (the kernel holds the edit before the sync has finished its other work), so wait for its line.
    # The first sync is a full one; any other full one came on the sync-period, during the edits.
    wait_for_lines "sync incremental: " "$changes" 120 >/dev/null
    sync_ms=$(lines_matching "sync incremental: " | sed -E 's/.* in ([0-9]+) ms.*/\1/' | paste -sd, -)
    echo "change$size-syncs: incremental_ms=$sync_ms periodic_full_syncs=$(($(lines_matching "sync full: " | wc -l) - 1))" | tee -a "$out"
    stop_ipvsd
    keep_log "$round"
    done_with "bench-change$size"
  done
done
