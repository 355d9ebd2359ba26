#!/usr/bin/env python3
"""gen-services.py SERVICES DESTS DIR : a services directory for ipvsd, one model file per service
(DIR/svc-NNNNN.yaml), holding the table ../shared/bench/gen-rules.py and ipvs-floor.c load: TCP services
198.18.(i/250).(i%250+1):80 with scheduler wrr, each with DESTS masquerade real servers
198.19.((k/250)%256).(k%250+1):(8000+k/64000) of weight j%5+1, where k = i*DESTS+j. The same table, so ipvsd and
the floor do the same work in the kernel."""
import os
import sys

n, d, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
for i in range(n):
    lines = ["services:", f"  - address: tcp://198.18.{i // 250}.{i % 250 + 1}:80", "    sched: wrr", "    destinations:"]
    for j in range(d):
        k = i * d + j
        lines.append(f"      - {{ address: 198.19.{(k // 250) % 256}.{k % 250 + 1}:{8000 + k // 64000}, forward: nat, weight: {j % 5 + 1} }}")
    with open(os.path.join(out, f"svc-{i:05d}.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
