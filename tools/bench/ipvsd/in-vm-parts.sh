#!/usr/bin/env bash
# Runs inside the VM for `run --parts`: where ipvsd's sync time goes, in rounds of fresh namespaces:
#   floor      ipvs-floor loads and lists 10k x 10
#   parts      ipvsd-sync-parts times each piece of a first sync and of a no-op resync alone, on the same table
#   addresses  addr-floor adds the 10k virtual IPs to a dummy link from C, 64 per send, then 5k in another namespace:
#              the kernel's own cost of binding them (and how it grows with their number)
#   ipvsd      ipvsd with `rules: none` (and sync-period 5s): its first sync and NOOPS no-op resyncs without the
#              nftables rules, whose cost is then the difference from the main run's figures
# Usage: in-vm-parts.sh SERVICES-10K.tar FLOOR IPVSD SYNC-PARTS ADDR-FLOOR OUT
set -euo pipefail
stage=$(mktemp -d /dev/shm/ipvsd-parts.XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$1" "$stage/services-10k.tar"; cp "$2" "$stage/ipvs-floor"; cp "$3" "$stage/ipvsd"; cp "$4" "$stage/ipvsd-sync-parts"
cp "$5" "$stage/addr-floor"
out=$6
rounds=${ROUNDS:-2} noops=${NOOPS:-3}

source "$(dirname "$0")/../lib/namespaces.sh"
source "$(dirname "$0")/daemon.sh"

: >"$out"
echo "kernel $(uname -r)" | tee -a "$out"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds ($(date +%T))"
  echo "round $round" >>"$out"
  fresh_namespace bench-floor
  ip netns exec bench-floor "$stage/ipvs-floor" 10000 10 | tee -a "$out"
  done_with bench-floor

  fresh_namespace bench-parts
  rm -rf "$stage/parts" && mkdir -p "$stage/parts" && tar -xf "$stage/services-10k.tar" -C "$stage/parts"
  ip netns exec bench-parts "$stage/ipvsd-sync-parts" "$stage/parts/services" | tee -a "$out"
  done_with bench-parts

  for count in 10000 5000; do
    fresh_namespace bench-addresses
    ip -n bench-addresses link add d0 type dummy
    ip -n bench-addresses link set d0 up
    ip netns exec bench-addresses "$stage/addr-floor" "$count" 64 | tee -a "$out"
    done_with bench-addresses
  done

  start_ipvsd bench-ipvsd "$stage/services-10k.tar" "sync-period: 5s
rules: none"
  ready=$(wait_for_lines "ready: " 1 900)
  echo "ready10k-norules: first_sync_ms=$(sed -E 's/.*first sync ([0-9]+) ms.*/\1/' <<<"$ready") start_to_ready_s=$(seconds_to "$ready")" | tee -a "$out"
  wait_for_lines "sync full: nothing to change" "$noops" $((90 * noops)) >/dev/null
  noop_ms=$(lines_matching "sync full: nothing to change" | sed -E 's/.*, ([0-9]+) ms\)$/\1/' | paste -sd, -)
  echo "noop-norules: noop_ms=$noop_ms rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$ipvsd_pid/status") hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$ipvsd_pid/status")" | tee -a "$out"
  stop_ipvsd
  keep_log "$round"
  done_with bench-ipvsd
done
