using System.Diagnostics;
using System.Globalization;
using System.Net;
using Netlink.Ipvs;

// ipvsd-change-bench LABEL FILE SERVICE OLD NEW ROUNDS [GAP_MS]: how long a running ipvsd takes from one edit of a
// services file to the kernel holding it. FILE (in ipvsd's services directory) defines the TCP service SERVICE
// (VIP:PORT) with the real server OLD (IP:PORT). Each round rewrites FILE as editors do (a hidden temporary file,
// then a rename), swapping OLD for NEW (and back in the next round), and polls this namespace's IPVS table, one dump
// of that service's real servers about every millisecond, until the new one is there and the old one gone. The time
// runs from the rename. Prints each round's latency, then the median with min and max, each line led by LABEL.
if (args.Length is < 6 or > 7)
{
    Console.Error.WriteLine("usage: ipvsd-change-bench LABEL FILE SERVICE OLD NEW ROUNDS [GAP_MS]");
    return 2;
}
string label = args[0];
string file = Path.GetFullPath(args[1]);
VirtualServiceKey service = ServiceKey(args[2]);
(IPAddress Address, ushort Port) old = Endpoint(args[3]);
(IPAddress Address, ushort Port) replacement = Endpoint(args[4]);
int rounds = int.Parse(args[5], CultureInfo.InvariantCulture);
var gap = TimeSpan.FromMilliseconds(args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 1500);
// Beyond this a round has failed: ipvsd missed the change, or died.
var timeout = TimeSpan.FromSeconds(60);

string text = File.ReadAllText(file);
string oldEntry = $"address: {args[3]},";
string newEntry = $"address: {args[4]},";
if (text.Split(oldEntry).Length != 2 || text.Contains(newEntry, StringComparison.Ordinal))
{
    Console.Error.WriteLine($"ipvsd-change-bench: {file} must name {args[3]} once (as '{oldEntry}') and {args[4]} nowhere");
    return 2;
}
string[] versions = [text.Replace(oldEntry, newEntry, StringComparison.Ordinal), text];
// Hidden, so ipvsd (which reads only *.yaml and *.yml not starting with a dot) sees only the rename.
string temporary = Path.Combine(Path.GetDirectoryName(file)!, $".{Path.GetFileName(file)}.tmp");

using IpvsClient ipvs = IpvsClient.Open();
if (!Holds(ipvs, service, old, replacement, Stopwatch.GetTimestamp(), timeout))
{
    Console.Error.WriteLine($"ipvsd-change-bench: {args[2]} never held {args[3]} without {args[4]}: is ipvsd running here, in sync?");
    return 1;
}

var latencies = new List<double>(rounds);
for (int round = 0; round < rounds; round++)
{
    Thread.Sleep(gap);
    bool forward = round % 2 == 0;
    File.WriteAllText(temporary, versions[round % 2]);
    long start = Stopwatch.GetTimestamp();
    File.Move(temporary, file, overwrite: true);
    if (!Holds(ipvs, service, forward ? replacement : old, forward ? old : replacement, start, timeout))
    {
        Console.Error.WriteLine($"ipvsd-change-bench: round {round + 1}: the kernel did not take the change within {timeout.TotalSeconds} s");
        return 1;
    }
    double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    latencies.Add(ms);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: round={round + 1} latency_ms={ms:F1}"));
}
if (rounds % 2 == 1)
{
    File.WriteAllText(temporary, versions[1]); // leave the file as it was found
    File.Move(temporary, file, overwrite: true);
}
latencies.Sort();
double median = rounds % 2 == 1 ? latencies[rounds / 2] : (latencies[(rounds / 2) - 1] + latencies[rounds / 2]) / 2;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: rounds={rounds} median_ms={median:F1} min_ms={latencies[0]:F1} max_ms={latencies[^1]:F1}"));
return 0;

// Polls until the service holds `present` and not `absent`; false after `timeout` from `start`.
static bool Holds(IpvsClient ipvs, VirtualServiceKey service, (IPAddress Address, ushort Port) present, (IPAddress Address, ushort Port) absent,
    long start, TimeSpan timeout)
{
    while (Stopwatch.GetElapsedTime(start) < timeout)
    {
        bool hasPresent = false, hasAbsent = false;
        foreach (ObservedRealServer server in ipvs.ListRealServers(service))
        {
            hasPresent |= server.Settings.Address.Equals(present.Address) && server.Settings.Port == present.Port;
            hasAbsent |= server.Settings.Address.Equals(absent.Address) && server.Settings.Port == absent.Port;
        }
        if (hasPresent && !hasAbsent)
        {
            return true;
        }
        Thread.Sleep(1);
    }
    return false;
}

static VirtualServiceKey ServiceKey(string text)
{
    (IPAddress address, ushort port) = Endpoint(text);
    return VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, address, port);
}

static (IPAddress Address, ushort Port) Endpoint(string text)
{
    int colon = text.LastIndexOf(':');
    return (IPAddress.Parse(text[..colon].Trim('[', ']')), ushort.Parse(text[(colon + 1)..], CultureInfo.InvariantCulture));
}
