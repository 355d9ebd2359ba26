using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl;

/// <summary>
/// ipvsctl's ipvsadm mode against the real ipvsadm 1.31, line by line in twin namespaces: the same output, errors,
/// exit statuses and resulting kernel tables, for every command, option and listing format, and for bad input.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsadmDifferentialTests
{
    public static TheoryData<string> Scenarios => new(ScenarioLines.Keys);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_matches_ipvsadm(string scenario)
    {
        using var twin = new IpvsadmTwin();
        twin.CheckAll([.. ScenarioLines[scenario].Select(line => (line, (string?)null))]);
    }

    private static readonly Dictionary<string, string[]> ScenarioLines = new()
    {
        ["tcp service with masquerade and direct routing, every listing"] =
        [
            "-A -t 198.18.0.1:80 -s rr",
            "-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 3",
            "-a -t 198.18.0.1:80 -r 198.19.0.2 -g",
            "-a -t 198.18.0.1:80 -r 198.19.0.3:80 -x 100 -y 10",
            "-A -t 198.18.0.2:8080",
            "-Ln", "-L -n", "-l -n", "-Ln --stats", "-Ln --rate", "-Ln --thresholds", "-Ln --persistent-conn",
            "-Ln --tun-info", "-Ln --stats --exact", "-Ln --rate -X", "-Ln --nosort", "-Ln --sort", "-Sn", "-S -n",
            "-Ln -t 198.18.0.1:80", "-L -n -t 198.18.0.1:80 --stats", "-Ln --timeout", "-Ln --daemon", "-L --daemon",
            "--list --numeric", "--save --numeric", "-S", "-L",
        ],
        ["schedulers, flags, persistence, netmasks, one-packet, edits"] =
        [
            "-A -u 198.18.0.2:53 -s sh -b sh-fallback,sh-port -o",
            "-A -t 198.18.0.3:443 -p 600 -M 255.255.255.0 -s lc",
            "-A -t 198.18.0.4:0 -p",
            "-A -t 198.18.0.5:25 -s mh -b mh-port",
            "-A -t 198.18.0.6:26 -s wrr -b flag-1,flag-3",
            "-A --sctp-service 198.18.0.7:3868 -s sed -p 60 --pe sip",
            "-A -u 198.18.0.8:5060 -s nq -p 60 --pe sip",
            "-A -t 198.18.0.9:9 -s lblc", "-A -t 198.18.0.10:10 -s lblcr", "-A -t 198.18.0.11:11 -s dh",
            "-A -t 198.18.0.12:12 -s fo", "-A -t 198.18.0.13:13 -s ovf", "-A -t 198.18.0.14:14 -s twos",
            "-A -t 198.18.0.15:15 -s rr -p 60 -M 0.0.0.0",
            "-Ln", "-Sn",
            "-E -t 198.18.0.15:15 -s rr -p 60 -M 255.255.255.255", "-Sn", "-E -t 198.18.0.15:15 -s rr -p 60 -M 0.0.0.0",
            "-E -t 198.18.0.3:443 -s wrr",
            "-E -u 198.18.0.2:53 -s sh -b sh-port",
            "-E -t 198.18.0.4:0 -p 1000 -M 255.255.0.0",
            "-Ln", "-Sn", "-Ln --persistent-conn",
            "-D -t 198.18.0.14:14", "-Ln",
        ],
        ["firewall marks, IPv4 and IPv6"] =
        [
            "-A -f 1 -s rr",
            "-A -f 2 -6 -s lc -p 30 -M 64",
            "-A -f 4294967295",
            "-a -f 1 -r 198.19.0.5:0 -g -w 2",
            "-a -f 1 -r 198.19.0.6 -m",
            "-a -f 2 -6 -r [2001:db8::5]:0 -g",
            "-Ln", "-Sn", "-L -n -f 1", "-Ln -f 2 -6", "-Ln --stats",
            "-e -f 1 -r 198.19.0.6 -m -w 9", "-d -f 1 -r 198.19.0.5", "-Ln",
            "-D -f 2 -6", "-Sn",
        ],
        ["IPv6 services and real servers"] =
        [
            "-A -t [2001:db8::1]:80 -s wlc",
            "-a -t [2001:db8::1]:80 -r [2001:db8::10]:8080 -m -w 5",
            "-a -t [2001:db8::1]:80 -r [2001:db8::11] -g",
            "-A -u [2001:db8::2]:53 -p 100 -M 96",
            "-A -t 2001:db8::3 -p",
            "-Ln", "-Sn", "-Ln --stats", "-Ln --rate", "-Ln --thresholds", "-Ln -t [2001:db8::1]:80",
            "-a -t 198.18.0.20:80 -r [2001:db8::12] -i",
            "-A -t 198.18.0.20:80", "-a -t 198.18.0.20:80 -r [2001:db8::12] -i", "-a -t 198.18.0.20:80 -r [2001:db8::13] -m",
            "-Ln --tun-info", "-Sn",
        ],
        ["tunnels of every type"] =
        [
            "-A -t 198.18.0.9:80",
            "-a -t 198.18.0.9:80 -r 198.19.0.9 -i --tun-type gue --tun-port 6080 --tun-csum",
            "-a -t 198.18.0.9:80 -r 198.19.0.10 -i --tun-type gre --tun-nocsum",
            "-a -t 198.18.0.9:80 -r 198.19.0.11 -i",
            "-a -t 198.18.0.9:80 -r 198.19.0.12 -i --tun-type gue --tun-port 6081 --tun-remcsum",
            "-a -t 198.18.0.9:80 -r 198.19.0.13 -i --tun-type ipip",
            "-Ln --tun-info", "-Ln", "-Sn",
            "-e -t 198.18.0.9:80 -r 198.19.0.11 -i --tun-type gre --tun-csum", "-Ln --tun-info",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -i --tun-type gue",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -i --tun-type gre --tun-port 1",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -i --tun-type gre --tun-remcsum",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -i --tun-type ipip --tun-csum",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -i --tun-type gue --tun-port 1 --tun-csum --tun-nocsum",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -m --tun-type gue",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -i --tun-type vxlan",
            "-a -t 198.18.0.9:80 -r 198.19.0.14 -i --tun-type gue --tun-port 0",
        ],
        ["kernel errors"] =
        [
            "-A -t 198.18.0.1:80", "-A -t 198.18.0.1:80",
            "-D -t 198.18.0.2:80", "-E -t 198.18.0.2:80",
            "-a -t 198.18.0.2:80 -r 198.19.0.1",
            "-a -t 198.18.0.1:80 -r 198.19.0.1", "-a -t 198.18.0.1:80 -r 198.19.0.1",
            "-e -t 198.18.0.1:80 -r 198.19.0.2", "-d -t 198.18.0.1:80 -r 198.19.0.2",
            "-d -t 198.18.0.2:80 -r 198.19.0.2", "-e -t 198.18.0.2:80 -r 198.19.0.2",
            "-A -t 198.18.0.3:80 -s bogus", "-E -t 198.18.0.1:80 -s bogus",
            "-A -t 198.18.0.3:80 -p 10 --pe nope",
            "-a -t 198.18.0.1:80 -r 203.0.113.1:80 -m",
            "-Ln -t 198.18.0.9:80", "-Z -t 198.18.0.9:80", "-L -t 198.18.0.9:80 --stats",
            "--stop-daemon master", "--stop-daemon backup",
            "-Ln",
        ],
        ["command-line errors"] =
        [
            "-A -t 198.18.0.1", "-A -t 198.18.0.1:70000", "-A -t 198.18.0.1:http", "-A -u 198.18.0.1:domain -s rr",
            "-A -t 198.18.0.1:nosuchport", "-A -t 198.18.0.1:", "-A -t 80", "-A -t [2001:db8::1]", "-A -t [2001:db8::1",
            "-A -t [198.18.0.1]:80", "-A -t 198.18.0.1:80 -o", "-A -t 198.18.0.1:80 -b sh-port", "-A -t 198.18.0.1:80 -s sh -b mh-port",
            "-A -t 198.18.0.1:80 -b bogus", "-A -t 198.18.0.1:80 -p foo", "-A -t 198.18.0.1:80 -p 0", "-A -t 198.18.0.1:80 -p 2678401",
            "-A -t 198.18.0.1:80 -M 255.255.255.0", "-A -t 198.18.0.1:80 -p -M bogus.mask", "-A -t 198.18.0.1:80 -p -M 0xffffff00",
            "-A -t [2001:db8::1]:80 -p -M 0", "-A -t [2001:db8::1]:80 -p -M 129", "-A -f 0", "-A -f -1", "-A -f 4294967296", "-A -f 12x",
            "-A -6 -f 1", "-A -t 198.18.0.1:80 -s rr -s wrr", "-A -t 198.18.0.1:80 -r 198.19.0.1",
            "-a -t 198.18.0.1:80", "-a -t 198.18.0.1:80 -r 198.19.0.1 -w 70000", "-a -t 198.18.0.1:80 -r 198.19.0.1 -w -1",
            "-a -t 198.18.0.1:80 -r 198.19.0.1 -w abc", "-a -t 198.18.0.1:80 -r 198.19.0.1 -x -1", "-a -t 198.18.0.1:80 -r 198.19.0.1 -y 2147483648",
            "-a -t 198.18.0.1:80 -r [2001:db8::1]", "-a -t 198.18.0.1:80 -r 198.19.0.1 -m -g",
            "-a -t 198.18.0.1:80 -r 198.19.0.1 -s rr", "-d -t 198.18.0.1:80 -r 198.19.0.1 -w 2",
            "-D -t 198.18.0.1:80 -s rr", "-C -n", "-C extra", "-L -c --stats", "-L --timeout --persistent-conn",
            "-L --timeout --daemon", "-L -c -t 198.18.0.1:80", "-L -s rr", "-S -c", "-Z -n", "-R -n",
            "--set 1 2", "--set 1 2 3 4", "--set a b c", "--set -1 2 3", "--start-daemon foo", "--stop-daemon foo",
            "--start-daemon master --mcast-group 10.0.0.1", "--start-daemon master --mcast-group ff00::zz",
            "--start-daemon master --mcast-port 0", "--start-daemon master --mcast-ttl 256", "--start-daemon master --sync-maxlen 65508",
            "--start-daemon master --syncid 256", "--start-daemon master -n",
            "-Q", "-L -Q", "-L --bogus", "-L --stats=1", "--tcp-service", "-n -L", "-t 198.18.0.1:80 -A", "foo", "-L foo",
            "-L -t", "-Ln -A", "-LnA", "-L -h", "-A -t 198.18.0.1:80 -p 5 --pe", "-Ln --", "-Ln -- extra", "-", "-L -",
            "--list=yes", "-L --numeric=", "-Lt198.18.0.1:80", "-Lt=198.18.0.1:80", "--add-service --tcp-service=198.18.0.1:81",
            "-A -t 198.18.0.1:82 -p60", "-A -t 198.18.0.1:83 -p -s rr", "-E -t 198.18.0.1:84",
            "-h", "--help", "-v", "--version", "-h -Q", "-v extra",
            "-Ln",
        ],
        ["timeouts, zero, flush"] =
        [
            "--set 100 20 30", "-L --timeout", "--set 0 0 0", "-L --timeout", "--set 2678400 1 1", "-L --timeout",
            "-A -t 198.18.0.1:80", "-a -t 198.18.0.1:80 -r 198.19.0.1",
            "-Z", "-Z -t 198.18.0.1:80", "-Ln --stats", "-C", "-Ln", "-C",
        ],
        ["connection table, empty"] = ["-Lc", "-Lcn", "-L -c -n --persistent-conn", "-Lc --exact"],
        ["sync daemons"] =
        [
            "--start-daemon master --mcast-interface lo --syncid 5",
            "-L --daemon",
            "--start-daemon backup --mcast-interface lo --syncid 7 --mcast-group 224.0.0.82 --mcast-port 8849 --mcast-ttl 2 --sync-maxlen 1400",
            "-L --daemon",
            "--start-daemon master --mcast-interface lo",
            "--stop-daemon master", "-L --daemon", "--stop-daemon backup", "-L --daemon",
        ],
    };
}
