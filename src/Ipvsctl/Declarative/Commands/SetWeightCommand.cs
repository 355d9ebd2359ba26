using System.Globalization;
using System.Net;
using ServiceProxy.Model;
using Netlink;
using Netlink.Ipvs;

namespace Ipvsctl.Declarative.Commands;

/// <summary>
/// set weight W -s SERVICE -d DEST [-t SECONDS]: changes one real server's weight in place. With -t, as
/// aschmidt75/ipvsctl, the weight moves from its current value to W in steps, once a second over SECONDS (to drain
/// a server slowly, or bring one back), ending exactly at W.
/// </summary>
internal static class SetWeightCommand
{
    private static readonly OptionSpec[] Specs =
    [
        new("service", true, "-s", "--service"),
        new("destination", true, "-d", "--destination"),
        new("time", true, "-t", "--time"),
        new("family", true, "--family"),
        CommonOptions.Help,
    ];

    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        ParsedArguments parsed = ArgumentParser.Parse(args, 0, Specs, "set");
        if (parsed.Has("help"))
        {
            return Usage.Print(context, "set");
        }
        if (parsed.Positionals.Count == 0 || parsed.Positionals[0] != "weight")
        {
            throw CommandFailedException.Usage("set: say what to set: set weight W -s SERVICE -d DEST [-t SECONDS]");
        }
        if (parsed.Positionals.Count != 2)
        {
            throw CommandFailedException.Usage("set weight: give exactly one weight: set weight W -s SERVICE -d DEST [-t SECONDS]");
        }
        if (!int.TryParse(parsed.Positionals[1], NumberStyles.None, CultureInfo.InvariantCulture, out int weight) || weight > 65535)
        {
            throw CommandFailedException.Usage($"set weight: '{parsed.Positionals[1]}' is not a weight from 0 to 65535");
        }
        string service = parsed.Value("service") ?? throw CommandFailedException.Usage("set weight: -s SERVICE is missing (like -s tcp://198.18.0.1:80)");
        string destination = parsed.Value("destination") ?? throw CommandFailedException.Usage("set weight: -d DEST is missing (like -d 198.19.0.1:8080)");
        int seconds = 0;
        if (parsed.Value("time") is string time && (!int.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)))
        {
            throw CommandFailedException.Usage($"set weight: -t '{time}' is not a number of seconds");
        }
        if (!AddressSyntax.TryParseService(service, out AddressSyntax.ServiceAddress serviceAddress, out string problem))
        {
            throw CommandFailedException.Usage($"set weight: -s {service}: {problem}");
        }
        if (!AddressSyntax.TryParseHostPort(destination, out IPAddress? address, out int? port, out problem))
        {
            throw CommandFailedException.Usage($"set weight: -d {destination}: {problem}");
        }

        using IpvsClient client = IpvsAccess.Open(context);
        IReadOnlyList<IpvsServiceEntry> table = IpvsAccess.Query(client.GetTable);
        (VirtualServiceKey key, RealServer current) = Locate(table, serviceAddress, parsed.Value("family"), service, address!, port, destination);
        try
        {
            int from = current.Weight;
            for (int second = 1; second < seconds; second++)
            {
                context.Environment.Sleep(TimeSpan.FromSeconds(1));
                int step = from + (int)((long)(weight - from) * second / seconds);
                client.UpdateRealServer(key, current with { Weight = step });
                context.Verbose(string.Create(CultureInfo.InvariantCulture, $"weight {step} ({second} of {seconds} s) for {service}/{AddressSyntax.Format(current)}"));
            }
            if (seconds > 0)
            {
                context.Environment.Sleep(TimeSpan.FromSeconds(1));
            }
            client.UpdateRealServer(key, current with { Weight = weight });
        }
        catch (NetlinkException e)
        {
            throw new CommandFailedException(ExitCodes.SetFailed, $"set weight failed: {e.Message}");
        }
        context.Verbose(string.Create(CultureInfo.InvariantCulture, $"Updated weight to {weight} for service {service}/{AddressSyntax.Format(current)}"));
        return ExitCodes.Ok;
    }

    private static (VirtualServiceKey, RealServer) Locate(
        IReadOnlyList<IpvsServiceEntry> table, AddressSyntax.ServiceAddress wanted, string? family, string service, IPAddress address, int? port, string destination)
    {
        List<IpvsServiceEntry> services = table.Where(e => Matches(e.Service.Key, wanted, family)).ToList();
        if (services.Count == 0)
        {
            throw new CommandFailedException(ExitCodes.SetFailed, $"service {service} is not in the IPVS table: check it with ipvsctl get");
        }
        if (services.Count > 1)
        {
            throw new CommandFailedException(ExitCodes.SetFailed, $"service {service} exists for IPv4 and IPv6: add --family ipv4 or --family ipv6");
        }
        List<RealServer> servers = [.. services[0].RealServers.Select(s => s.Settings).Where(s => s.Address.Equals(address) && (port is null || s.Port == port))];
        if (servers.Count == 0)
        {
            throw new CommandFailedException(ExitCodes.SetFailed, $"destination {destination} is not in service {service}: check it with ipvsctl get");
        }
        if (servers.Count > 1)
        {
            throw new CommandFailedException(ExitCodes.SetFailed, $"service {service} has {address} on several ports: give the port, as -d {Netlink.EndpointText.Format(address, servers[0].Port)}");
        }
        return (services[0].Service.Key, servers[0]);
    }

    private static bool Matches(VirtualServiceKey key, AddressSyntax.ServiceAddress wanted, string? family)
    {
        if (wanted.FirewallMark != 0)
        {
            bool v6 = key.Family == System.Net.Sockets.AddressFamily.InterNetworkV6;
            return key.FirewallMark == wanted.FirewallMark && (family is null || (family == "ipv6") == v6);
        }
        return key.Protocol == wanted.Protocol && wanted.Address!.Equals(key.Address) && key.Port == (wanted.Port ?? 0);
    }
}
