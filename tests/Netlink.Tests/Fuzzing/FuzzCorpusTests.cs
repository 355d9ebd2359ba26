using Netlink.Fuzz;

namespace Netlink.Tests.Fuzzing;

/// <summary>
/// Every fuzz target's seeds, and every input the fuzzer ever crashed a target with (tests/Netlink.Fuzz/regressions),
/// replayed through the same code AFL++ runs: the seeds must be accepted or refused the documented way, and each
/// past crash must stay fixed.
/// </summary>
public sealed class FuzzCorpusTests
{
    private static readonly string Fuzz = Path.Combine(Repository.Root, "tests", "Netlink.Fuzz");

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_AreReadWithoutABug(string target)
    {
        IFuzzTarget fuzzTarget = FuzzTargets.Find(target)!;
        string[] seeds = Directory.GetFiles(Path.Combine(Fuzz, "corpus", target));

        Assert.NotEmpty(seeds);
        Assert.All(seeds, seed => Assert.Null(Replay.Find(fuzzTarget, File.ReadAllBytes(seed))));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void PastCrashes_StayFixed(string target)
    {
        IFuzzTarget fuzzTarget = FuzzTargets.Find(target)!;
        string folder = Path.Combine(Fuzz, "regressions", target);
        string[] crashes = Directory.Exists(folder) ? Directory.GetFiles(folder) : [];

        Assert.All(crashes, crash => Assert.Null(Replay.Find(fuzzTarget, File.ReadAllBytes(crash))));
    }

    [Fact]
    public void EveryCorpusFolder_IsATarget_AndEveryTargetHasOne()
    {
        string[] folders = [.. Directory.GetDirectories(Path.Combine(Fuzz, "corpus")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void ABugEscapingATarget_IsFound()
    {
        Exception? found = Replay.Find(new Throwing(), [1]);

        Assert.IsType<InvalidOperationException>(found);
    }

    private sealed class Throwing : IFuzzTarget
    {
        public string Name => "throwing";

        public string Description => "throws what a bug would";

        public void Run(ReadOnlySpan<byte> input) => throw new InvalidOperationException("a bug");
    }
}
