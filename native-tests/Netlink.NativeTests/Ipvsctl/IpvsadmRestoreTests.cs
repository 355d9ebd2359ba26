using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl;

/// <summary>ipvsctl -R against ipvsadm -R on the same input: output, errors, status and the table loaded.</summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsadmRestoreTests
{
    [Fact]
    public void Restore_of_a_saved_table_round_trips()
    {
        using var twin = new IpvsadmTwin();
        foreach (string line in new[]
        {
            "-A -t 198.18.0.1:80 -s rr", "-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 3", "-a -t 198.18.0.1:80 -r 198.19.0.2 -g",
            "-A -u 198.18.0.2:53 -s sh -b sh-port -o", "-A -f 7 -p 60", "-a -f 7 -r 198.19.0.7 -g",
            "-A -t [2001:db8::1]:443 -s mh -b mh-fallback", "-a -t [2001:db8::1]:443 -r [2001:db8::9]:8443 -m -w 0",
            "-A -t 198.18.0.9:80", "-a -t 198.18.0.9:80 -r 198.19.0.9 -i --tun-type gue --tun-port 6080 --tun-remcsum",
        })
        {
            twin.SetUpBoth(line);
        }
        string saved = twin.SaveReference();
        twin.CheckAll([("-C", null), ("-R", saved), ("-Sn", null), ("-Ln", null)]);
    }

    [Fact]
    public void Restore_reports_each_failure_in_order_and_goes_on()
    {
        using var twin = new IpvsadmTwin();
        const string Input = """
            -A -t 198.18.0.1:80 -s rr
            -A -t 198.18.0.1:80 -s rr
            ipvsadm -a -t 198.18.0.1:80 -r 198.19.0.1 -m
            -a -t 198.18.0.2:80 -r 198.19.0.1 -m

              -A   -t	198.18.0.3:80
            -L --bogus
            -a -t 198.18.0.3:80 -r 198.19.0.3 -w 2
            -Ln
            -d -t 198.18.0.3:80 -r 198.19.0.4
            """;
        twin.CheckAll([("-R", Input + "\n"), ("-R", "-A -t 198.18.0.5:80\n-A -t 198.18.0.5:80\n")]);
    }

    [Fact]
    public void Restore_stops_where_ipvsadm_stops()
    {
        using var twin = new IpvsadmTwin();
        twin.CheckAll(
        [
            ("-R", "-A -t 198.18.0.1:80\n-A -t 198.18.0.1\n-A -t 198.18.0.2:80\n"),
            ("-R", "-A -t 198.18.0.3:80\n# a comment\n-A -t 198.18.0.4:80\n"),
            ("-R", "-A -t 198.18.0.5:80\n-R\n-A -t 198.18.0.6:80\n"),
            ("-R", "-A -t 198.18.0.7:80\n-h\n"),
            ("-R", "-A -t 198.18.0.8:80 -s rr\n-a -t 198.18.0.8:80 -r 198.19.0.8 -w 5"),
            ("-R", string.Empty),
            ("-Ln", null),
        ]);
    }
}
