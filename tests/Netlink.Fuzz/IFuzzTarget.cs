namespace Netlink.Fuzz;

/// <summary>
/// One parser under fuzz. <see cref="Run"/> feeds it an input and returns when the parser accepted the input or
/// refused it the documented way (the exception its callers catch and report as one line). Anything else escaping
/// <see cref="Run"/> is a bug: AFL++ records the input as a crash, and the unit tests replay it.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name tools/fuzz takes, and the corpus folder's.</summary>
    string Name { get; }

    /// <summary>What is fed where, in one line.</summary>
    string Description { get; }

    /// <summary>Feeds <paramref name="input"/> to the parser; throws only on a bug.</summary>
    void Run(ReadOnlySpan<byte> input);
}
