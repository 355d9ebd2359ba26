using Ipvsctl.Ipvsadm;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

public sealed class PoptParserTests
{
    private static List<(int Code, string? Value)> Scan(params string[] args)
    {
        var parser = new PoptParser(args, IpvsadmOptions.Index, posixMeHarder: false);
        var seen = new List<(int, string?)>();
        int code;
        while ((code = parser.Next()) >= 0)
        {
            seen.Add((code, parser.Value));
        }
        seen.Add((code, null));
        return seen;
    }

    [Fact]
    public void Short_options_cluster_and_a_value_takes_the_rest_of_its_cluster()
    {
        Assert.Equal([('L', null), ('n', null), ('t', "10.0.0.1:80"), (-1, null)], Scan("-Lnt10.0.0.1:80"));
        Assert.Equal([('A', null), ('t', "10.0.0.1:80"), (-1, null)], Scan("-A", "-t=10.0.0.1:80"));
    }

    [Fact]
    public void Long_options_take_equals_or_the_next_argument_and_match_exactly()
    {
        Assert.Equal([('A', null), ('t', "1.2.3.4:80"), ('s', "rr"), (-1, null)], Scan("--add-service", "--tcp-service=1.2.3.4:80", "--scheduler", "rr"));
        Assert.Equal(PoptParser.ErrorBadOption, Scan("--add").Last().Code);
    }

    [Fact]
    public void Optional_persistence_value_is_taken_only_when_it_does_not_start_with_a_dash()
    {
        Assert.Equal([('A', null), ('p', null), ('s', "rr"), (-1, null)], Scan("-A", "-p", "-s", "rr"));
        Assert.Equal([('A', null), ('p', "60"), (-1, null)], Scan("-A", "-p", "60"));
        Assert.Equal([('A', null), ('p', null), (-1, null)], Scan("-A", "-p"));
    }

    [Fact]
    public void Errors_are_popt_codes_and_blame_the_argument_last_consumed()
    {
        var parser = new PoptParser(["-L", "-Qx"], IpvsadmOptions.Index, posixMeHarder: false);
        Assert.Equal('L', parser.Next());
        Assert.Equal(PoptParser.ErrorBadOption, parser.Next());
        Assert.Equal("-Qx", parser.BadOption);
        Assert.Equal(PoptParser.ErrorNoArgument, Scan("-L", "-t").Last().Code);
        Assert.Equal(PoptParser.ErrorUnwantedArgument, Scan("--list=yes").Last().Code);
        Assert.Equal("option does not take an argument", PoptParser.Describe(PoptParser.ErrorUnwantedArgument));
    }

    [Fact]
    public void Non_options_are_kept_as_leftovers_and_double_dash_ends_options()
    {
        var parser = new PoptParser(["1", "--set", "2", "--", "-3"], IpvsadmOptions.Index, posixMeHarder: false);
        Assert.Equal(IpvsadmOptions.Set, parser.Next());
        Assert.Equal(PoptParser.End, parser.Next());
        Assert.Equal("1", parser.NextLeftover());
        Assert.Equal("2", parser.NextLeftover());
        Assert.Equal("-3", parser.NextLeftover());
        Assert.Null(parser.NextLeftover());
    }

    [Fact]
    public void Posixly_correct_stops_at_the_first_non_option()
    {
        var parser = new PoptParser(["-L", "x", "-n"], IpvsadmOptions.Index, posixMeHarder: true);
        Assert.Equal('L', parser.Next());
        Assert.Equal(PoptParser.End, parser.Next());
        Assert.Equal("x", parser.NextLeftover());
        Assert.Equal("-n", parser.NextLeftover());
    }
}
