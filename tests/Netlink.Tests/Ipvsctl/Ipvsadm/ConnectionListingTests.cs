using Ipvsctl.Ipvsadm;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

/// <summary>ipvsadm -Lc's columns over lines as the kernel writes /proc/net/ip_vs_conn (widths checked against printf).</summary>
public sealed class ConnectionListingTests
{
    private const string Proc =
        "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n" +
        "TCP C6120064 D431 C6120001 0050 C6130001 1F90 ESTABLISHED     895\n" +
        "UDP C6120064 1F40 C6120002 13C4 C6130009 13C4 UDP             279 sip 1234abcd\n";

    private static string List(string proc, ListFormat format)
    {
        var listing = new ConnectionListing(new AddressText(new NameLookup("/nonexistent", "/nonexistent")));
        using var output = new StringWriter();
        listing.Write(new StringReader(proc), output, format);
        return output.ToString();
    }

    [Fact]
    public void Entries_print_in_ipvsadm_columns()
    {
        Assert.Equal(
            "IPVS connection entries\n" +
            "pro expire state       source             virtual            destination\n" +
            "TCP 14:55  ESTABLISHED 198.18.0.100:54321 198.18.0.1:80      198.19.0.1:8080\n" +
            "UDP 04:39  UDP         198.18.0.100:8000  198.18.0.2:5060    198.19.0.9:5060\n",
            List(Proc, ListFormat.Numeric));
    }

    [Fact]
    public void Persistent_conn_adds_the_engine_columns_where_the_kernel_gave_them()
    {
        Assert.Equal(
            "IPVS connection entries\n" +
            "pro expire state       source             virtual            destination        pe name          pe_data\n" +
            "TCP 14:55  ESTABLISHED 198.18.0.100:54321 198.18.0.1:80      198.19.0.1:8080\n" +
            "UDP 04:39  UDP         198.18.0.100:8000  198.18.0.2:5060    198.19.0.9:5060  sip                1234abcd\n",
            List(Proc, ListFormat.Numeric | ListFormat.PersistentConn));
    }

    [Fact]
    public void An_empty_file_is_unexpected_input()
    {
        IpvsadmExit exit = Assert.Throws<IpvsadmExit>(() => List(string.Empty, ListFormat.Numeric));
        Assert.Equal(1, exit.Status);
        Assert.Equal("unexpected input from /proc/net/ip_vs_conn", exit.Message);
    }
}
