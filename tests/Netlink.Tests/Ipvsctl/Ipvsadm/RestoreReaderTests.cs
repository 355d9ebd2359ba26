using Ipvsctl.Ipvsadm;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

public sealed class RestoreReaderTests
{
    [Fact]
    public void Lines_split_on_blanks_drop_the_word_ipvsadm_and_skip_empty_lines()
    {
        using var text = new StringReader("ipvsadm -A -t 1.2.3.4:80\n\n \t\r\n  -a\t-t 1.2.3.4:80\r-r 5.6.7.8\n# note\nlast -n");
        var input = new RestoreReader(text);
        Assert.Equal(["-A", "-t", "1.2.3.4:80"], input.ReadLine());
        Assert.Equal(["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8"], input.ReadLine());
        Assert.Equal(["#", "note"], input.ReadLine());
        Assert.Equal(["last", "-n"], input.ReadLine());
        Assert.Null(input.ReadLine());
    }
}
