using Ipvsctl.Ipvsadm;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

public sealed class RestoreReaderTests
{
    [Fact]
    public void Lines_split_on_blanks_drop_the_word_ipvsadm_and_skip_empty_lines()
    {
        using var input = new StringReader("ipvsadm -A -t 1.2.3.4:80\n\n \t\r\n  -a\t-t 1.2.3.4:80\r-r 5.6.7.8\n# note\nlast -n");
        Assert.Equal(["-A", "-t", "1.2.3.4:80"], RestoreReader.ReadLine(input));
        Assert.Equal(["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8"], RestoreReader.ReadLine(input));
        Assert.Equal(["#", "note"], RestoreReader.ReadLine(input));
        Assert.Equal(["last", "-n"], RestoreReader.ReadLine(input));
        Assert.Null(RestoreReader.ReadLine(input));
    }
}
