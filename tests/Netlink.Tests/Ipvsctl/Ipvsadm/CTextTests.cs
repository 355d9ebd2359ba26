using Ipvsctl.Ipvsadm;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

public sealed class CTextTests
{
    [Theory]
    [InlineData("1.2.3.4", 0x01020304u)]
    [InlineData("10.1", 0x0A000001u)]
    [InlineData("10.1.2", 0x0A010002u)]
    [InlineData("167772161", 0x0A000001u)]
    [InlineData("0x7f.1", 0x7F000001u)]
    [InlineData("010.0.0.1", 0x08000001u)]
    [InlineData("1.2.3.4 trailing words", 0x01020304u)]
    [InlineData("255.255.255.0", 0xFFFFFF00u)]
    public void Inet_aton_accepts_what_glibc_accepts(string text, uint expected)
    {
        Assert.True(CText.TryInetAton(text, out uint address));
        Assert.Equal(expected, address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("09.1.1.1")]
    [InlineData("1.2.3.4x")]
    [InlineData("host.example")]
    [InlineData("0x")]
    [InlineData("4294967296")]
    public void Inet_aton_refuses_what_glibc_refuses(string text) => Assert.False(CText.TryInetAton(text, out _));

    [Theory]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    public void Inet_pton6_parses_strictly(string text, string expected)
    {
        Assert.True(CText.TryInetPton6(text, out byte[] bytes));
        Assert.Equal(expected, new System.Net.IPAddress(bytes).ToString());
    }

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData(":1")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1::2::3")]
    [InlineData("12345::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("1:2:3:4:5:6:7:")]
    [InlineData("::1.2.3.04")]
    public void Inet_pton6_refuses_what_glibc_refuses(string text) => Assert.False(CText.TryInetPton6(text, out _));

    [Theory]
    [InlineData("42", 0, 100, 42)]
    [InlineData(" +42", 0, 100, 42)]
    [InlineData("-1", 0, 100, -1)]
    [InlineData("101", 0, 100, -1)]
    [InlineData("4x", 0, 100, -1)]
    [InlineData("", 0, 100, -1)]
    [InlineData("99999999999999999999", 0, long.MaxValue, -1)]
    public void String_to_number_is_strtol_over_the_whole_string(string text, long min, long max, long expected) =>
        Assert.Equal(expected, CText.ToNumber(text, min, max));
}
