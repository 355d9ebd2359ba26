namespace Ipvsd.Configuration;

/// <summary>One thing wrong with a file ipvsd reads, printed as "file:line:column: what is wrong".</summary>
internal sealed record ConfigProblem(string File, int Line, int Column, string Message)
{
    // Line and column are 1-based; a problem of the whole file (unreadable) or a value with no column known says 1
    public override string ToString() => $"{File}:{Math.Max(Line, 1)}:{Math.Max(Column, 1)}: {Message}";
}
