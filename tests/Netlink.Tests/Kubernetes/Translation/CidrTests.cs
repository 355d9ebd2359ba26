using System.Net;
using ServiceProxy.Kubernetes.Translation;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>loadBalancerSourceRanges are read as Kubernetes reads them.</summary>
public sealed class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData(" 10.1.2.3/8 ", "10.0.0.0/8")]
    [InlineData("192.0.2.1/32", "192.0.2.1/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    public void Parses_ClearingHostBits(string text, string expected)
    {
        Assert.True(Cidr.TryParse(text, out IPNetwork network));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0/8")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_WhatIsNoNetwork(string? text)
    {
        Assert.False(Cidr.TryParse(text, out _));
    }
}
