using System.Net;
using System.Net.Sockets;

namespace Netlink.Tests.Core;

/// <summary>The one place each library takes address families, endpoint text and IPv4 numbers from.</summary>
public sealed class AddressHelpersTests
{
    [Theory]
    [InlineData("198.18.0.1", 80, "198.18.0.1:80")]
    [InlineData("2001:db8::1", 443, "[2001:db8::1]:443")]
    [InlineData("::ffff:198.18.0.1", 53, "[::ffff:198.18.0.1]:53")]
    public void EndpointText_BracketsEveryIPv6Address(string address, ushort port, string expected) =>
        Assert.Equal(expected, EndpointText.Format(IPAddress.Parse(address), port));

    [Theory]
    [InlineData(0xC6120001u, "198.18.0.1")]
    [InlineData(0xFFFFFF00u, "255.255.255.0")]
    [InlineData(0u, "0.0.0.0")]
    public void Ipv4Number_RoundTrips_InNetworkOrder(uint value, string address)
    {
        Assert.Equal(IPAddress.Parse(address), Ipv4Number.ToAddress(value));
        Assert.Equal(value, Ipv4Number.FromAddress(IPAddress.Parse(address)));
    }

    [Fact]
    public void Ipv4Number_RefusesIPv6() =>
        Assert.Throws<ArgumentException>(() => Ipv4Number.FromAddress(IPAddress.Parse("2001:db8::1")));

    [Fact]
    public void LinuxAddressFamily_MapsBothWays_AndRefusesOthers()
    {
        Assert.Equal(LinuxAddressFamily.Inet, LinuxAddressFamily.Of(IPAddress.Parse("198.18.0.1")));
        Assert.Equal(LinuxAddressFamily.Inet6, LinuxAddressFamily.Of(AddressFamily.InterNetworkV6));
        Assert.Equal(AddressFamily.InterNetworkV6, LinuxAddressFamily.ToAddressFamily(10));
        Assert.Null(LinuxAddressFamily.ToAddressFamily(7));
        Assert.Equal([4, 16, 0], new[] { 2, 10, 1 }.Select(LinuxAddressFamily.AddressLength));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinuxAddressFamily.Of(AddressFamily.Unix));
    }
}
