namespace ServiceProxy.Model;

/// <summary>One problem found in a model: where it is and a line that names the item, the problem and the fix.</summary>
/// <param name="Kind">Which stage found it, so a program can map it to its own exit status.</param>
/// <param name="Source">The file it was read from ("stdin", or a URL for a parameter document).</param>
/// <param name="Line">The 1-based line of the offending value; 0 when the problem is the file as a whole.</param>
/// <param name="Column">The 1-based column of the offending value; 0 when not known.</param>
/// <param name="Message">The whole line to show a user.</param>
public sealed record ModelDiagnostic(ModelDiagnosticKind Kind, string Source, int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
