using System.Buffers.Binary;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Core;

/// <summary>Sockets opened inside a network namespace see that namespace, and the caller's thread never moves.</summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NamespaceTests
{
    private const ushort RtmGetLink = 18;
    private const ushort IflaIfname = 3;

    [Fact]
    public void SocketInNamespace_SeesOnlyThatNamespacesLinks()
    {
        using TestNamespace ns = TestNamespace.Create();
        List<string> inside = ListLinks(new NetlinkSocketOptions { Namespace = ns.Namespace });
        Assert.Contains("nltest0", inside);
        Assert.Contains("lo", inside);
        // Exactly what `ip` sees there (kernels with tunnel modules add their fallback devices to every namespace).
        string[] byIp = System.Text.Json.JsonDocument.Parse(ns.Exec("ip", "-j", "link", "show")).RootElement
            .EnumerateArray().Select(link => link.GetProperty("ifname").GetString()!).ToArray();
        Assert.Equal(byIp.Order(StringComparer.Ordinal), inside.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("nltest0", ListLinks(NetlinkSocketOptions.Default));
    }

    [Fact]
    public void SocketInNamespaceByDescriptor_SeesThatNamespace()
    {
        using TestNamespace ns = TestNamespace.Create();
        using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle("/var/run/netns/" + ns.Name);
        int fd = (int)handle.DangerousGetHandle();
        Assert.Contains("nltest0", ListLinks(new NetlinkSocketOptions { Namespace = NetworkNamespace.FromFileDescriptor(fd) }));
    }

    [Fact]
    public void OpeningInNamespace_LeavesTheCallingThreadWhereItWas()
    {
        string before = File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.ToString();
        using TestNamespace ns = TestNamespace.Create();
        using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Route, new NetlinkSocketOptions { Namespace = ns.Namespace });
        string after = File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.ToString();
        Assert.Equal(before, after);
    }

    [Fact]
    public void MissingNamespace_ThrowsEnoentNamingThePath()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() =>
            NetlinkSocket.Open(NetlinkProtocol.Route, new NetlinkSocketOptions { Namespace = NetworkNamespace.FromName("nltest-does-not-exist") }));
        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.Contains("/var/run/netns/nltest-does-not-exist", e.Message, StringComparison.Ordinal);
    }

    private static List<string> ListLinks(NetlinkSocketOptions options)
    {
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Route, options);
        using var request = new NetlinkBuffer();
        var writer = new NetlinkWriter(request);
        NetlinkMessageToken message = writer.BeginMessage(RtmGetLink, NetlinkMessageFlags.None, 0);
        writer.WriteFixedHeader(new byte[16]); // struct ifinfomsg, all zero: every link, every family
        writer.EndMessage(message);
        return connection.Dump(request, LinkName, "list links");
    }

    private static string? LinkName(NetlinkMessage message)
    {
        Assert.True(BinaryPrimitives.ReadInt32LittleEndian(message.Payload[4..]) > 0, "ifindex");
        foreach (NetlinkAttribute attribute in message.Attributes(16))
        {
            if (attribute.Type == IflaIfname)
            {
                return attribute.GetString();
            }
        }
        return null;
    }
}
