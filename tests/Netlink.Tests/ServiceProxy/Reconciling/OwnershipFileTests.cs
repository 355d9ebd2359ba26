using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using ServiceProxy.Reconciling;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>The ownership record on disk: every key shape round-trips, it is private, and a bad line is named.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OwnershipFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ipvsd-state-{Guid.NewGuid():N}");

    [Fact]
    public void Keys_RoundTrip_ThroughAPrivateFile()
    {
        VirtualServiceKey[] keys =
        [
            VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80),
            VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("2001:db8::53"), 53),
            VirtualServiceKey.ForAddress(IpvsProtocol.Sctp, IPAddress.Parse("198.18.0.2"), 0),
            VirtualServiceKey.ForFirewallMark(7),
            VirtualServiceKey.ForFirewallMark(8, AddressFamily.InterNetworkV6),
        ];
        var file = new OwnershipFile(_directory);
        Assert.Empty(file.Load());
        file.Save(keys);
        Assert.Equal(keys.ToHashSet(), file.Load().ToHashSet());
        Assert.False(File.Exists(file.Path + ".new"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        file.Delete();
        Assert.Empty(file.Load());
    }

    [Fact]
    public void Delete_OnANodeNeverSynced_IsNothingToDo()
    {
        var file = new OwnershipFile(_directory); // --cleanup before any sync: no state directory at all
        file.Delete();
        Assert.False(Directory.Exists(_directory));
    }

    [Fact]
    public void UnreadableLine_IsNamedWithItsLineNumber()
    {
        Directory.CreateDirectory(_directory);
        var file = new OwnershipFile(_directory);
        File.WriteAllText(file.Path, "# header\ntcp://198.18.0.1:80\nnonsense\n");
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => file.Load());
        Assert.StartsWith($"{file.Path}:3: 'nonsense' is not a service", e.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
