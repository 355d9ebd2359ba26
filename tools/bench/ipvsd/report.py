#!/usr/bin/env python3
"""report.py BENCH.TXT [K8S.TXT]: the table of tools/bench/ipvsd/run from what in-vm.sh wrote: each figure's median and
its spread (min-max) over all runs, the ratios of medians with the spread of the same ratio taken pair by pair (a floor
run and the ipvsd start right after it; within a round for the rest), the targets, and the `ipvsd-bench ...` line.
Then, given K8S.TXT (what k8s/run printed on the host), its lines as k8s-bench printed them (its first syncs, its
table, its `k8s-bench ...` line last), without the line of each change."""
import re
import statistics
import sys

kernel, rounds = "?", []
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("kernel "):
        kernel = line.split()[1]
    elif line.startswith("round "):
        rounds.append({})
    m = re.match(r"([\w-]+): (.*)", line)
    if not m or not rounds:
        continue
    name, fields = m.group(1), dict(re.findall(r"(\w+)=([\d.,]+)", m.group(2)))
    r = rounds[-1]
    add = lambda key, *values: r.setdefault(key, []).extend(values)
    if name == "floor":
        add("floor_load", float(fields["load_s"]))
        add("floor_list", float(fields["list_s"]))
    elif name in ("ready10k", "ready10k-norules"):
        suffix = name.removeprefix("ready10k")
        add("first" + suffix, int(fields["first_sync_ms"]) / 1000)
        add("ready" + suffix, float(fields["start_to_ready_s"]))
    elif name in ("noop", "noop-norules"):
        suffix = name.removeprefix("noop")
        add("noop" + suffix, *(int(ms) / 1000 for ms in fields["noop_ms"].split(",")))
        add("rss" + suffix, int(fields["rss_kb"]) / 1024)
        add("hwm" + suffix, int(fields["hwm_kb"]) / 1024)
    elif name == "addresses":  # addr-floor in the main run
        add("floor_addresses", float(fields["add_s"]))
        add("floor_node", r["floor_load"][-1] + float(fields["add_s"]))  # the IPVS load just before, plus this
    elif name == "addr-floor":
        add(f"parts addresses_{fields['n']}_floor_ms", float(fields["add_s"]) * 1000)
    elif name == "parts":
        for key, value in fields.items():
            add("parts " + key, float(value))
    elif name in ("change10k", "change100") and "latency_ms" in fields:
        add(name, float(fields["latency_ms"]))
    elif name.endswith("-syncs"):
        key = name.removesuffix("-syncs")
        add(key + "_sync", *(float(ms) for ms in fields.get("incremental_ms", "").split(",") if ms))
        add(key + "_full", int(fields["periodic_full_syncs"]))


def every(key):
    return [v for r in rounds for v in r.get(key, [])]


def median(key):
    return statistics.median(every(key))


def spread(values, digits):
    return f"{min(values):.{digits}f}-{max(values):.{digits}f}"


def pairs(top, bottom):
    """The ratio per pair: each ipvsd start over the floor run just before it."""
    return [t / b for r in rounds for t, b in zip(r.get(top, []), r.get(bottom, []))]


def per_round(top, bottom):
    return [statistics.median(r[top]) / statistics.median(r[bottom]) for r in rounds if r.get(top) and r.get(bottom)]


def report_parts():
    """The --parts run: ipvsd without rules beside the floor, and each part of a sync timed alone (ipvsd-sync-parts)."""
    print(f"{'ratio (of the medians), rules: none':<38} {'value':>9}  {'pair by pair':<17}")
    for name, top, bottom, by in [("initial_vs_floor", "first-norules", "floor_load", pairs),
                                  ("noop_resync_vs_floor_list", "noop-norules", "floor_list", per_round)]:
        print(f"{name:<38} {median(top) / median(bottom):>9.2f}  {spread(by(top, bottom), 2):<17}")
    print(f"{'part (ipvsd-sync-parts)':<38} {'median':>9}  {'min-max':<17} {'n':>3}")
    for key in sorted({k for r in rounds for k in r if k.startswith("parts ")}, key=list(rounds[0]).index):
        print(f"{key.removeprefix('parts '):<38} {median(key):>9.1f}  {spread(every(key), 1):<17} {len(every(key)):>3}")


rows = [
    ("floor load, s", "floor_load", 3), ("floor list, s", "floor_list", 3),
    ("addr-floor binding 10,000 VIPs, s", "floor_addresses", 3), ("floor load + binding, s", "floor_node", 3),
    ("ipvsd first sync, s", "first", 3), ("ipvsd no-op full resync, s", "noop", 3),
    ("ipvsd start to ready, s", "ready", 1),
    ("ipvsd first sync, rules: none, s", "first-norules", 3), ("ipvsd no-op resync, rules: none, s", "noop-norules", 3),
    ("ipvsd VmRSS, rules: none, MiB", "rss-norules", 1),
    ("ipvsd VmRSS holding 10k x 10, MiB", "rss", 1), ("ipvsd VmHWM (peak), MiB", "hwm", 1),
    ("edit to kernel, 10,000 services, ms", "change10k", 1), ("edit to kernel, 100 services, ms", "change100", 1),
    ("  its incremental sync, 10,000, ms", "change10k_sync", 0), ("  its incremental sync, 100, ms", "change100_sync", 0),
]
print(f"kernel {kernel}, 10000 services x 10 real servers, {len(rounds)} rounds")
print(f"{'figure':<38} {'median':>9}  {'min-max':<17} {'n':>3}")
for label, key, digits in rows:
    values = every(key)
    if values:
        print(f"{label:<38} {statistics.median(values):>9.{digits}f}  {spread(values, digits):<17} {len(values):>3}")
if every("parts read_ms"):
    report_parts()
    sys.exit(0)
print(f"periodic full resyncs while editing: {sum(every('change10k_full'))} (10,000), {sum(every('change100_full'))} (100)")

ratios = [
    ("initial_vs_floor", "first", "floor_node", pairs, 1.5),
    ("noop_resync_vs_floor_list", "noop", "floor_list", per_round, 1.5),
    ("one_change_10k_vs_100", "change10k", "change100", per_round, 2.0),
]
values = {name: median(top) / median(bottom) for name, top, bottom, _, _ in ratios}
print(f"{'ratio (of the medians)':<38} {'value':>9}  {'pair by pair':<17} {'target':>6}")
for name, top, bottom, by, target in ratios:
    verdict = "met" if values[name] <= target else "MISSED"
    print(f"{name:<38} {values[name]:>9.2f}  {spread(by(top, bottom), 2):<17} <= {target} {verdict}")
alone = median("first") / median("floor_load")
print(f"{'  first sync vs the IPVS load alone':<38} {alone:>9.2f}  {spread(pairs('first', 'floor_load'), 2):<17} (VIPs not in the floor)")
rss = median("rss")
print(f"{'rss_mb':<38} {rss:>9.0f}  {spread(every('rss'), 0):<17} <= 100 {'met' if rss <= 100 else 'MISSED'}")
print(f"ipvsd-bench services=10000 dests=10 initial_vs_floor={values['initial_vs_floor']:.2f} "
      f"noop_resync_vs_floor_list={values['noop_resync_vs_floor_list']:.2f} "
      f"one_change_10k_vs_100={values['one_change_10k_vs_100']:.2f} rss_mb={rss:.0f}")
if len(sys.argv) > 2:
    # k8s-bench's own medians: it alone knows which change of which size ran in which round.
    for line in open(sys.argv[2]):
        if not line.startswith("k8s-change "):
            print(line.rstrip("\n"))
