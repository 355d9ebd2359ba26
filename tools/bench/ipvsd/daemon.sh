# Sourced by in-vm.sh (after ../lib/namespaces.sh): one ipvsd at a time in a fresh namespace, its log watched
# without starting a process per look (a process start costs tens of milliseconds of CPU in the VM, which the daemon
# being measured would feel).

# A sleep that forks nothing: a read that times out on a FIFO nobody writes.
mkfifo "$stage/.sleep"
exec {sleep_fd}<>"$stage/.sleep"
quiet_sleep() { read -r -t "$1" -u "$sleep_fd" _ || true; }

# start_ipvsd NAMESPACE SERVICES-TAR EXTRA-SETTINGS: a fresh namespace and node directory (services/ from the tar,
# state/, ipvsd.yaml), then ipvsd in the background with debug logging (which adds the no-op resync lines).
# `ip netns exec` execs ipvsd in place, so $! is ipvsd's own process id. Sets ipvsd_ns, ipvsd_node, ipvsd_log,
# ipvsd_pid and ipvsd_started (epoch seconds).
start_ipvsd() {
  fresh_namespace "$1"
  ipvsd_ns=$1 ipvsd_node=$stage/$1
  rm -rf "$ipvsd_node"
  mkdir -p "$ipvsd_node"
  tar -xf "$2" -C "$ipvsd_node"
  printf 'services: services\nstate-directory: state\n%s\n' "$3" >"$ipvsd_node/ipvsd.yaml"
  ipvsd_log=$ipvsd_node/log
  : >"$ipvsd_log" # now, not when the background job gets round to its redirection
  ipvsd_started=$EPOCHREALTIME
  IPVSD_DEBUG=1 ip netns exec "$1" "$stage/ipvsd" --config "$ipvsd_node/ipvsd.yaml" >"$ipvsd_log" 2>&1 &
  ipvsd_pid=$!
}

# The log lines containing TEXT.
lines_matching() {
  local line
  while IFS= read -r line; do
    [[ $line == *"$1"* ]] && printf '%s\n' "$line"
  done <"$ipvsd_log"
  return 0
}

# wait_for_lines TEXT COUNT TIMEOUT-S: waits until the log holds COUNT lines containing TEXT and prints the last;
# fails with the log when ipvsd exits first or the time runs out. (No process substitution: the VM has no /dev/fd.)
wait_for_lines() {
  local deadline=$((SECONDS + $3)) line last count
  while :; do
    count=0
    while IFS= read -r line; do
      [[ $line == *"$1"* ]] && { count=$((count + 1)) last=$line; }
    done <"$ipvsd_log"
    ((count >= $2)) && { printf '%s\n' "$last"; return 0; }
    if ! kill -0 "$ipvsd_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      echo "ipvsd in $ipvsd_ns: no ${2}th line with '$1' (exited, or more than $3 s); its log:" >&2
      cat "$ipvsd_log" >&2
      return 1
    fi
    quiet_sleep 1
  done
}

# Seconds from starting ipvsd to the time stamp of log LINE (UTC, milliseconds).
seconds_to() {
  local at
  at=$(date -u -d "${1%%Z *}Z" +%s.%N)
  python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.1f}')" "$at" "$ipvsd_started"
}

# SIGTERM (ipvsd leaves the kernel as it is), then waits for it to exit.
stop_ipvsd() {
  kill -TERM "$ipvsd_pid"
  wait "$ipvsd_pid" || true
}

# keep_log ROUND: ipvsd's log goes back with the results, for a look at what each sync did.
keep_log() { cp "$ipvsd_log" "$(dirname "$out")/$ipvsd_ns-$1.log"; }
