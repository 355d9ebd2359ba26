using System.Net.Sockets;
using System.Text;
using Netlink.Ipvs;
using ServiceProxy.Model;

namespace ServiceProxy.Reconciling;

/// <summary>
/// The ownership record as a text file, one service a line ("tcp://198.18.0.1:80", "fwmark:7 ipv6"), written to a
/// temporary file that is flushed to disk and renamed over the old one, so a crash or power loss at any moment leaves
/// either record whole. A line it cannot read is reported, not guessed at. The directory and the files are handled as
/// <see cref="StateFiles"/> says: created 0700 and 0600, links refused.
/// </summary>
public sealed class OwnershipFile : IOwnershipStore
{
    /// <summary>The record's path under <paramref name="stateDirectory"/> (created when missing, mode 0700).</summary>
    public OwnershipFile(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        Directory = stateDirectory;
        Path = System.IO.Path.Combine(stateDirectory, "services");
    }

    /// <summary>The directory holding the record.</summary>
    public string Directory { get; }

    /// <summary>The record's path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public IReadOnlySet<VirtualServiceKey> Load()
    {
        var owned = new HashSet<VirtualServiceKey>();
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the ownership record is read without following links, a Linux call");
        }
        // a link is refused before anything is read: its target's first line would otherwise be echoed in the error
        if (StateFiles.ReadAllText(Path) is not { } content)
        {
            return owned;
        }
        int number = 0;
        using var lines = new StringReader(content);
        while (lines.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            owned.Add(Parse(line) ?? throw new InvalidDataException($"{Path}:{number}: '{line}' is not a service; fix or delete the file (ipvsd then owns only the services it is configured with)"));
        }
        return owned;
    }

    /// <inheritdoc/>
    public void Save(IReadOnlyCollection<VirtualServiceKey> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the ownership record is written with Unix permissions");
        }
        StateFiles.PrepareDirectory(Directory);
        var text = new StringBuilder("# services ipvsd owns; written by ipvsd, read at its start\n");
        foreach (VirtualServiceKey key in owned)
        {
            text.Append(Format(key)).Append('\n');
        }
        StateFiles.WriteAtomically(Path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <inheritdoc/>
    public void Delete()
    {
        // File.Delete takes a missing file in its stride, not a missing directory: a node never synced has neither
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }
        File.Delete(Path);
        File.Delete(Path + ".new");
    }

    /// <summary>The line for <paramref name="key"/>.</summary>
    public static string Format(VirtualServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string text = AddressSyntax.Format(key);
        return key.IsFirewallMark && key.Family == AddressFamily.InterNetworkV6 ? text + " ipv6" : text;
    }

    /// <summary>The key a line names, or null when it names none.</summary>
    public static VirtualServiceKey? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2 || !AddressSyntax.TryParseService(parts[0], out AddressSyntax.ServiceAddress address, out _))
        {
            return null;
        }
        if (address.FirewallMark != 0)
        {
            bool ipv6 = parts.Length == 2 && parts[1] == "ipv6";
            return parts.Length == 2 && !ipv6 ? null
                : VirtualServiceKey.ForFirewallMark(address.FirewallMark, ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        }
        return parts.Length == 2 || address.Address is null || address.Port is < 0 or > ushort.MaxValue
            ? null
            : VirtualServiceKey.ForAddress(address.Protocol, address.Address, (ushort)(address.Port ?? 0));
    }
}
