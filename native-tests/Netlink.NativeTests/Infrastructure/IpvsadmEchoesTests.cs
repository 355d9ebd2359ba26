namespace Netlink.NativeTests.Infrastructure;

/// <summary>The echo filter the IPVS tests read ipvsadm through: it must drop exactly the repeats, every byte else kept.</summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class IpvsadmEchoesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("-A -f 1 -s rr\n")]
    [InlineData("-A -f 1 -s rr")]
    [InlineData("-A -t 198.18.0.1:80 -s rr\n-a -t 198.18.0.1:80 -r 198.19.0.1:80 -m -w 1\n-A -f 1 -s rr\n")]
    public void A_listing_without_repeats_is_unchanged(string listing) => Assert.Equal(listing, IpvsadmEchoes.Collapse(listing));

    [Fact]
    public void A_repeated_last_service_goes_and_the_final_newline_stays()
    {
        // Seen in CI: the table held one firewall-mark service and ipvsadm -Sn printed it twice.
        Assert.Equal("-A -f 1 -s rr\n", IpvsadmEchoes.Collapse("-A -f 1 -s rr\n-A -f 1 -s rr\n"));
    }

    [Fact]
    public void A_repeated_service_goes_with_its_real_servers()
    {
        const string Web = "-A -t 198.18.0.1:80 -s rr\n-a -t 198.18.0.1:80 -r 198.19.0.1:80 -m -w 1\n";
        const string Mark = "-A -f 1 -s rr\n-a -f 1 -r 198.19.0.9:0 -g -w 1\n";
        Assert.Equal(Web + Mark, IpvsadmEchoes.Collapse(Web + Mark + Mark));
    }

    [Fact]
    public void In_a_long_listing_the_header_stays_and_a_repeated_service_block_goes()
    {
        const string Header = "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
        const string Web = "TCP  198.18.0.1:80 rr\n  -> 198.19.0.1:80                Masq    1      0          0         \n";
        Assert.Equal(Header + Web, IpvsadmEchoes.Collapse(Header + Web + Web));
    }
}
