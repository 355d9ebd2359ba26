#!/usr/bin/env bash
# tools/lib/demo-scenario.sh IPVSD IPVSCTL EXAMPLES_DIR
# The seed scenario that tools/demo shows, run on the current kernel (which must have IPVS): a client, a node and
# three pods, each a network namespace made here and joined by veth pairs (198.18.1.0/24 client side,
# 198.19.N.0/24 pod side); ipvsd runs in the node with a copy of EXAMPLES_DIR. Every namespace, process and file it
# makes is removed on exit, also on failure or Ctrl-C. Exits non-zero when anything is not as it says.
set -euo pipefail
ipvsd_binary=${1:?usage: demo-scenario.sh IPVSD IPVSCTL EXAMPLES_DIR}
ipvsctl_binary=${2:?usage: demo-scenario.sh IPVSD IPVSCTL EXAMPLES_DIR}
examples=${3:?usage: demo-scenario.sh IPVSD IPVSCTL EXAMPLES_DIR}

vip=198.18.97.97
url=http://$vip/
drain_timeout=20
work=$(mktemp -d "${TMPDIR:-/tmp}/ipvsd-demo.XXXXXX")
prefix=ipvsd-demo-$$
node=$prefix-node client=$prefix-client
pods=("$prefix-pod1" "$prefix-pod2" "$prefix-pod3")
namespaces=("$node" "$client" "${pods[@]}")
config=$work/ipvsd/ipvsd.yaml
services=$work/ipvsd/services/seed.yaml
ipvsd_pid= hold_pid= cleaned_up=false unexpected=0 log_shown=0

step() { printf '\n== %s\n' "$*"; }
say() { printf '   %s\n' "$@"; }
expect() { # DESCRIPTION COMMAND...: says whether COMMAND held; a failure is counted and the demo goes on
  local what=$1
  shift
  if "$@"; then say "ok: $what"; else say "UNEXPECTED: not $what"; unexpected=$((unexpected + 1)); fi
}
in_node() { ip netns exec "$node" "$@"; }
ipvsctl() { in_node "$work/bin/ipvsctl" "$@"; }
table() { ipvsctl -Ln "$@" | sed 's/^/   /'; }
ipvsd_log() { # the daemon's lines since the last call
  local total
  total=$(wc -l <"$work/ipvsd.log")
  if ((total > log_shown)); then
    tail -n "+$((log_shown + 1))" "$work/ipvsd.log" | head -n "$((total - log_shown))" | shorten 'ipvsd| '
    log_shown=$total
  fi
}
shorten() { # PREFIX: ipvsd's log lines as the time of day, the level and the message (no date, no logger's name)
  sed -E "s/^[0-9-]+T([0-9:.]+)Z ([a-z]+): [^ ]+\[[0-9]+\] /\1 \2: /; s/^/   $1/"
}
wait_for() { # SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds; prints how long it took
  local limit=$1 what=$2 start=$SECONDS
  shift 2
  until "$@"; do
    if ((SECONDS - start >= limit)); then
      say "UNEXPECTED: $what did not happen within ${limit} s"
      unexpected=$((unexpected + 1))
      [[ -n $ipvsd_pid ]] && ipvsd_log
      return 1
    fi
    if [[ -n $ipvsd_pid ]] && ! kill -0 "$ipvsd_pid" 2>/dev/null; then
      say "UNEXPECTED: ipvsd exited while waiting for $what"
      ipvsd_log
      exit 1
    fi
    sleep 0.5
  done
  say "($what after $((SECONDS - start)) s)"
}
requests() { # COUNT: one curl, one new connection per request (busybox httpd closes each), one body per line
  local urls=()
  for ((i = 0; i < $1; i++)); do urls+=("$url"); done
  ip netns exec "$client" curl -sS --max-time 10 -w '\n' "${urls[@]}"
}
lacks() { ! grep -qx "$1" <<<"$2"; }
spread() { sort | uniq -c | awk '{printf "%s: %s   ", $2, $1} END {print ""}'; }
weight_of() { ipvsctl -Ln | awk -v rs="$1:80" '$2 == rs {print $4}'; }   # ADDRESS: empty when not a real server
weight_is() { [[ $(weight_of "$1") == "$2" ]]; }
gone() { [[ -z $(weight_of "$1") ]]; }
real_servers() { ipvsctl -Ln | grep -c -- '->.*Masq' || true; }
real_servers_are() { [[ $(real_servers) == "$1" ]]; }
table_shows() { ipvsctl -Ln | grep -q -- "$1"; }
serves() { [[ $(in_node curl -s --max-time 2 "http://$1/") == "$2" ]]; }

cleanup() {
  set +e
  [[ -n $hold_pid ]] && kill "$hold_pid" 2>/dev/null
  if [[ -n $ipvsd_pid ]] && kill -0 "$ipvsd_pid" 2>/dev/null; then
    kill -TERM "$ipvsd_pid"
    wait "$ipvsd_pid" 2>/dev/null
  fi
  if ! $cleaned_up && [[ -e /run/netns/$node ]]; then
    in_node "$work/bin/ipvsd" --config "$config" --cleanup >/dev/null 2>&1
  fi
  for ns in "${namespaces[@]}"; do
    [[ -e /run/netns/$ns ]] || continue
    ip netns pids "$ns" | xargs -r kill -9 2>/dev/null
    ip netns delete "$ns"
  done
  wait 2>/dev/null
  rm -rf "$work"
  printf '\n== The namespaces, processes and files of the demo are removed.\n'
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "1. A client, a node and three pods, each a network namespace, joined through the node by veth pairs"
ip -batch - <<EOF
$(for ns in "${namespaces[@]}"; do echo "netns add $ns"; done)
link add eth0 netns $client type veth peer name client netns $node
$(for n in 1 2 3; do echo "link add eth0 netns ${pods[n - 1]} type veth peer name pod$n netns $node"; done)
EOF
ip -n "$client" -batch - <<EOF
link set lo up
addr add 198.18.1.2/24 dev eth0
link set eth0 up
route add default via 198.18.1.1
EOF
for n in 1 2 3; do
  ip -n "${pods[n - 1]}" -batch - <<EOF
link set lo up
addr add 198.19.$n.2/24 dev eth0
link set eth0 up
route add default via 198.19.$n.1
EOF
done
ip -n "$node" -batch - <<EOF
link set lo up
addr add 198.18.1.1/24 dev client
link set client up
$(for n in 1 2 3; do printf 'addr add 198.19.%s.1/24 dev pod%s\nlink set pod%s up\n' "$n" "$n" "$n"; done)
EOF
in_node sysctl -qw net.ipv4.ip_forward=1
# Programs run from a local copy: in the VM the root arrives over 9p, which is slow to page a program in from.
mkdir -p "$work/bin" "$work/state"
cp "$ipvsd_binary" "$ipvsctl_binary" "$work/bin/"
for n in 1 2 3; do
  root=$work/www/pod$n
  mkdir -p "$root/cgi-bin"
  printf 'pod%s' "$n" >"$root/index.html"
  # A long download: the pod's name, then a dot a second for as long as the client stays.
  printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\npod%s\\n"\nwhile sleep 1; do echo . || exit 0; done\n' "$n" >"$root/cgi-bin/hold"
  chmod +x "$root/cgi-bin/hold"
  # Disowned: cleanup kills everything left in the namespaces, and bash need not report each kill.
  ip netns exec "${pods[n - 1]}" busybox httpd -f -p 80 -h "$root" &
  disown
done
for n in 1 2 3; do
  wait_for 30 "pod$n serving" serves "198.19.$n.2" "pod$n" >/dev/null
done
say "client 198.18.1.2 ---- 198.18.1.1 node 198.19.N.1 ---- 198.19.N.2 podN   (N = 1, 2, 3)" \
  "each pod runs busybox httpd answering with its name: $(ip netns exec "$client" curl -s http://198.19.1.2/) ..."

step "2. ipvsd starts in the node with examples/ipvsd: one service, $vip:80, rr, masquerade over the three pods"
cp -r "$examples" "$work/ipvsd"
sed -i -E "s|^(state-directory:) *[^ #]+|\1 $work/state|; s|^(drain-timeout:) *[^ #]+|\1 ${drain_timeout}s|" "$config"
say "the demo's copy of ipvsd.yaml differs from the example in:"
diff "$examples/ipvsd.yaml" "$config" | sed -n 's/^> /     /p' || true
say "services/seed.yaml:"
grep -v '^#' "$services" | sed 's/^/     /'
# Started by ip itself, not through a function: a function in the background is a subshell, and $! would name it.
ip netns exec "$node" "$work/bin/ipvsd" --config "$config" >"$work/ipvsd.log" 2>&1 &
ipvsd_pid=$!
wait_for 60 "the service in the kernel" real_servers_are 3
ipvsd_log
table

step "3. Nine requests from the client to $url: round robin sends three to each pod"
bodies=$(requests 9)
say "$(spread <<<"$bodies")"
expect "3 each" test "$(sort <<<"$bodies" | uniq -c | awk '{print $1}' | tr '\n' ' ')" == "3 3 3 "

step "4. Session affinity: services/seed.yaml gets 'persistent: 300'; ipvsd sees the edit and applies it"
cp "$services" "$work/seed.before"
sed -i 's/^    sched: rr$/&\n    persistent: 300/' "$services"
diff -u "$work/seed.before" "$services" | tail -n +3 | sed 's/^/     /' || true
wait_for 30 "ipvsd applied it" table_shows "persistent 300"
ipvsd_log
bodies=$(requests 6)
say "six requests: $(tr '\n' ' ' <<<"$bodies")"
expect "all six on one pod" test "$(sort -u <<<"$bodies" | wc -l)" == 1
pinned=$(head -n 1 <<<"$bodies")
pinned_address=198.19.${pinned#pod}.2

step "5. A long download from $pinned is running when $pinned is removed from services/seed.yaml"
ip netns exec "$client" curl -sN --max-time 600 "${url}cgi-bin/hold" >"$work/hold.out" 2>&1 &
hold_pid=$!
wait_for 30 "the download started" test -s "$work/hold.out" >/dev/null
say "the download comes from $(head -n 1 "$work/hold.out")"
sed -i "/$pinned_address:80/d" "$services"
wait_for 30 "ipvsd set $pinned's weight to 0" weight_is "$pinned_address" 0
ipvsd_log
say "$pinned is draining: weight 0, so no new connection goes there; its download goes on (ActiveConn):"
table
bodies=$(requests 4)
say "four new requests, the client's affinity moved to another pod: $(tr '\n' ' ' <<<"$bodies")"
expect "none on $pinned" lacks "$pinned" "$bodies"

step "6. The download ends; ipvsd deletes $pinned once it has no connections, or after drain-timeout (${drain_timeout} s)"
kill "$hold_pid"
wait "$hold_pid" 2>/dev/null || true
hold_pid=
say "(a closed connection stays in IPVS's table for a while, 2 minutes in TIME_WAIT, counted in InActConn)"
wait_for $((drain_timeout + 60)) "$pinned deleted" gone "$pinned_address"
ipvsd_log
table

step "7. What the traffic did, by the kernel's counters: ipvsctl -Ln --stats"
table --stats
say "" "and ipvsd's own view, from its health and metrics addresses in the node:"
say "$(in_node curl -sS --max-time 10 http://127.0.0.1:10256/healthz)"
in_node curl -sS --max-time 10 http://127.0.0.1:10249/metrics \
  | grep -E '^ipvsd_(virtual_services|real_servers|changes_applied_total|sync_errors_total)' | sed 's/^/   /' || true

step "8. ipvsd stops on SIGTERM and leaves the kernel as it is; 'ipvsd --cleanup' removes what it made"
kill -TERM "$ipvsd_pid"
status=0
wait "$ipvsd_pid" || status=$?
ipvsd_pid=
ipvsd_log
say "ipvsd exited with status $status"
expect "status 0" test "$status" == 0
expect "the service still in the kernel" real_servers_are 2
in_node "$work/bin/ipvsd" --config "$config" --cleanup 2>&1 | shorten 'ipvsd --cleanup| '
cleaned_up=true
expect "an empty IPVS table after --cleanup" test -z "$(ipvsctl -Ln | grep -- '^TCP\|^UDP')"
table

if ((unexpected)); then
  printf '\n%s thing(s) were not as the demo says: see UNEXPECTED above.\n' "$unexpected"
  exit 1
fi
printf '\nEverything happened as described.\n'
