using ServiceProxy.Health;

namespace Netlink.Tests.ServiceProxy.Health;

/// <summary>keepalived's rise and fall counting, result by result: "P" a passed check, "F" a failed one.</summary>
public sealed class RiseFallCounterTests
{
    /// <summary>Feeds the results and returns the state after each: "H" healthy, "U" unhealthy.</summary>
    private static string Run(int rise, int fall, string results)
    {
        var counter = new RiseFallCounter(rise, fall);
        return string.Concat(results.Select(r =>
        {
            counter.Record(r == 'P');
            return counter.State == HealthState.Healthy ? "H" : "U";
        }));
    }

    [Fact]
    public void StartsHealthy()
    {
        Assert.Equal(HealthState.Healthy, new RiseFallCounter(2, 3).State);
    }

    [Theory]
    [InlineData(1, "F", "U")]
    [InlineData(3, "FF", "HH")]
    [InlineData(3, "FFF", "HHU")]
    [InlineData(5, "FFFFF", "HHHHU")]
    public void ExactlyFallFailuresInARow_MakeItUnhealthy(int fall, string results, string states)
    {
        Assert.Equal(states, Run(rise: 2, fall, results));
    }

    [Fact]
    public void APassBetweenFailures_StartsTheFallCountAgain()
    {
        Assert.Equal("HHHHHU", Run(rise: 2, fall: 3, "FFPFFF"));
    }

    [Theory]
    [InlineData(1, "FP", "UH")]
    [InlineData(2, "FP", "UU")]
    [InlineData(2, "FPP", "UUH")]
    [InlineData(4, "FPPPP", "UUUUH")]
    public void ExactlyRisePassesInARow_BringItBack(int rise, string results, string states)
    {
        Assert.Equal(states, Run(rise, fall: 1, results));
    }

    [Fact]
    public void AFailureBetweenPasses_StartsTheRiseCountAgain()
    {
        Assert.Equal("UUUUUUH", Run(rise: 3, fall: 1, "FPPFPPP"));
    }

    [Fact]
    public void Record_SaysTrueOnlyOnTheResultThatChangesTheState()
    {
        var counter = new RiseFallCounter(rise: 2, fall: 2);
        bool[] changed = [.. "PFFFPPP".Select(r => counter.Record(r == 'P'))];
        Assert.Equal([false, false, true, false, false, true, false], changed);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void ACountBelowOne_IsRefused(int rise, int fall)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RiseFallCounter(rise, fall));
    }
}
