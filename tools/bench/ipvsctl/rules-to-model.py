#!/usr/bin/env python3
"""rules-to-model.py < rules > model.yaml : the ipvsadm -R script of ../shared/bench/gen-rules.py (-A -t VIP:PORT -s S,
-a -t VIP:PORT -r RIP:PORT -m -w W) as an ipvsctl declarative model, so that `ipvsctl apply` loads the same table."""
import sys

services = {}
order = []
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    vip = words[words.index("-t") + 1]
    if words[0] == "-A":
        services[vip] = {"sched": words[words.index("-s") + 1], "dests": []}
        order.append(vip)
    elif words[0] == "-a":
        rip = words[words.index("-r") + 1]
        weight = words[words.index("-w") + 1]
        forward = "nat" if "-m" in words else "direct"
        services[vip]["dests"].append((rip, weight, forward))

out = ["services:"]
for vip in order:
    s = services[vip]
    out.append(f"- address: tcp://{vip}")
    out.append(f"  sched: {s['sched']}")
    if s["dests"]:
        out.append("  destinations:")
        for rip, weight, forward in s["dests"]:
            out.append(f"  - address: {rip}")
            out.append(f"    weight: {weight}")
            out.append(f"    forward: {forward}")
sys.stdout.write("\n".join(out) + "\n")
