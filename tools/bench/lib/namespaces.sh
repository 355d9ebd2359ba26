# Sourced by the benchmarks that run inside the VM: a fresh namespace per contender, and a wait after deleting one.

# A network namespace with loopback up and a route to the benchmark's addresses (IPVS refuses masquerade real
# servers it has no route to: "address not unicast").
fresh_namespace() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  ip -n "$1" link add bench0 type dummy
  ip -n "$1" link set bench0 up
  ip -n "$1" route add 198.18.0.0/15 dev bench0
}

# Tearing down a namespace with a large IPVS table keeps a kernel worker busy long after "ip netns delete"
# returns; the next contender starts only when the CPUs have been idle (at most 5% busy) for a whole second,
# waiting at most SETTLE_SECONDS (180).
done_with() {
  ip netns delete "$1"
  local _ u1 n1 s1 i1 w1 q1 sq1 u2 n2 s2 i2 w2 q2 sq2 busy idle
  for _ in $(seq "${SETTLE_SECONDS:-180}"); do
    read -r _ u1 n1 s1 i1 w1 q1 sq1 _ </proc/stat
    sleep 1
    read -r _ u2 n2 s2 i2 w2 q2 sq2 _ </proc/stat
    busy=$(((u2 + n2 + s2 + q2 + sq2) - (u1 + n1 + s1 + q1 + sq1)))
    idle=$(((i2 + w2) - (i1 + w1)))
    ((busy * 20 <= busy + idle)) && return 0
  done
  echo "the kernel was still busy ${SETTLE_SECONDS:-180} s after deleting $1" >&2
}
