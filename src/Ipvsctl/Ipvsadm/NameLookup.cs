using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netlink;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Host and service names as ipvsadm resolves them through the C library: /etc/hosts and /etc/services first
/// (nsswitch's "files"), then DNS for host names. Only the non-numeric forms (no -n, names on the command line) use it.
/// </summary>
internal sealed class NameLookup
{
    private readonly string _hostsPath;
    private readonly string _servicesPath;
    private List<(byte[] Address, string[] Names)>? _hosts;
    private List<(string[] Names, ushort Port, string Protocol)>? _services;

    /// <param name="hostsPath">The hosts file.</param>
    /// <param name="servicesPath">The services file.</param>
    /// <param name="resolveWithDns">Whether names and addresses the files lack are asked of DNS, as the C library does
    /// (false for the fuzzing harness, which must not wait on a resolver).</param>
    public NameLookup(string hostsPath = "/etc/hosts", string servicesPath = "/etc/services", bool resolveWithDns = true)
    {
        _hostsPath = hostsPath;
        _servicesPath = servicesPath;
        _resolveWithDns = resolveWithDns;
    }

    private readonly bool _resolveWithDns;

    /// <summary>gethostbyname for IPv4: the first address of the name, or null.</summary>
    public uint? HostToIPv4(string name)
    {
        foreach ((byte[] address, string[] names) in Hosts())
        {
            if (address.Length == 4 && names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            {
                return Ipv4Number.FromAddress(new IPAddress(address));
            }
        }
        if (name.Length == 0 || !_resolveWithDns)
        {
            return null;
        }
        try
        {
            foreach (IPAddress address in Dns.GetHostAddresses(name, AddressFamily.InterNetwork))
            {
                return Ipv4Number.FromAddress(address);
            }
        }
        catch (SocketException)
        {
        }
        catch (ArgumentException)
        {
        }
        return null;
    }

    /// <summary>gethostbyaddr: the host's name, or null.</summary>
    public string? AddressToHost(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        foreach ((byte[] candidate, string[] names) in Hosts())
        {
            if (candidate.AsSpan().SequenceEqual(bytes))
            {
                return names[0];
            }
        }
        if (!_resolveWithDns)
        {
            return null;
        }
        try
        {
            string name = Dns.GetHostEntry(address).HostName;
            return name.Length == 0 || name == address.ToString() ? null : name;
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>getservbyname(name, protocol): the port, or -1.</summary>
    public int ServiceToPort(string name, string protocol)
    {
        foreach ((string[] names, ushort port, string proto) in Services())
        {
            if (proto == protocol && names.Contains(name, StringComparer.Ordinal))
            {
                return port;
            }
        }
        return -1;
    }

    /// <summary>getservbyport(port, protocol): the service's name, or null.</summary>
    public string? PortToService(ushort port, string protocol)
    {
        foreach ((string[] names, ushort candidate, string proto) in Services())
        {
            if (candidate == port && proto == protocol)
            {
                return names[0];
            }
        }
        return null;
    }

    private List<(byte[] Address, string[] Names)> Hosts()
    {
        if (_hosts is not null)
        {
            return _hosts;
        }
        _hosts = [];
        foreach (string[] fields in ReadTable(_hostsPath))
        {
            if (fields.Length >= 2 && IPAddress.TryParse(fields[0], out IPAddress? address) && !fields[0].Contains('%', StringComparison.Ordinal))
            {
                _hosts.Add((address.GetAddressBytes(), fields[1..]));
            }
        }
        return _hosts;
    }

    private List<(string[] Names, ushort Port, string Protocol)> Services()
    {
        if (_services is not null)
        {
            return _services;
        }
        _services = [];
        foreach (string[] fields in ReadTable(_servicesPath))
        {
            if (fields.Length < 2)
            {
                continue;
            }
            int slash = fields[1].IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && ushort.TryParse(fields[1].AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
            {
                _services.Add(([fields[0], .. fields[2..]], port, fields[1][(slash + 1)..]));
            }
        }
        return _services;
    }

    private static IEnumerable<string[]> ReadTable(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            yield break;
        }
        catch (UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string line in lines)
        {
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            string content = hash >= 0 ? line[..hash] : line;
            string[] fields = content.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
            {
                yield return fields;
            }
        }
    }
}
