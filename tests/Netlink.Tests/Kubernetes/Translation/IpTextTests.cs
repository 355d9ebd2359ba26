using System.Net;
using ServiceProxy.Kubernetes.Translation;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Addresses are read as the API server validated them, not in inet_aton's shorthand.</summary>
public sealed class IpTextTests
{
    [Theory]
    [InlineData("10.96.0.10", "10.96.0.10")]
    [InlineData("010.096.000.010", "10.96.0.10")]
    [InlineData("fd00::10", "fd00::10")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    public void Reads(string text, string expected)
    {
        Assert.True(IpText.TryParse(text, out IPAddress address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.0.1")]
    [InlineData("10.0.0.256")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10..0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("db.example.com")]
    [InlineData("")]
    public void Refuses(string text)
    {
        Assert.False(IpText.TryParse(text, out _));
    }
}
