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

    [Fact]
    public void Standard_input_is_read_as_bytes_with_each_word_decoded_as_utf8()
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes("-A -t n\u00e4me:80 -s wrr\n-a -t n\u00e4me:80 -r 5.6.7.8 -m -w 1\n-a -t x:1 -r y -m -w 1\n");
        using var text = new StreamReader(new MemoryStream(bytes), new System.Text.UTF8Encoding(false), false);
        var input = new RestoreReader(text);
        Assert.Equal(["-A", "-t", "n\u00e4me:80", "-s", "wrr"], input.ReadLine());
        List<string>? second = input.ReadLine();
        Assert.Equal(["-a", "-t", "n\u00e4me:80", "-r", "5.6.7.8", "-m", "-w", "1"], second);
        List<string>? third = input.ReadLine();
        Assert.Equal(["-a", "-t", "x:1", "-r", "y", "-m", "-w", "1"], third);
        Assert.Same(second![0], third![0]);
        Assert.Null(input.ReadLine());
    }
}
