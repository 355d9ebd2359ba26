namespace ServiceProxy.Model;

/// <summary>A model (or a parameter document) cannot be used; <see cref="Diagnostics"/> says every reason found.</summary>
public sealed class ModelException : Exception
{
    /// <summary>Wraps the problems found; there is at least one.</summary>
    public ModelException(IReadOnlyList<ModelDiagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics ?? throw new ArgumentNullException(nameof(diagnostics))))
    {
        if (diagnostics.Count == 0)
        {
            throw new ArgumentException("a model exception needs at least one diagnostic", nameof(diagnostics));
        }
        Diagnostics = diagnostics;
    }

    /// <summary>A model exception for one problem.</summary>
    public ModelException(ModelDiagnostic diagnostic)
        : this([diagnostic])
    {
    }

    /// <summary>Not for use: a model exception always carries its diagnostics.</summary>
    public ModelException()
        : this(new ModelDiagnostic(ModelDiagnosticKind.Syntax, string.Empty, 0, 0, "invalid model"))
    {
    }

    /// <summary>Not for use: a model exception always carries its diagnostics.</summary>
    public ModelException(string message)
        : this(new ModelDiagnostic(ModelDiagnosticKind.Syntax, string.Empty, 0, 0, message))
    {
    }

    /// <summary>Not for use: a model exception always carries its diagnostics.</summary>
    public ModelException(string message, Exception innerException)
        : base(message, innerException) =>
        Diagnostics = [new ModelDiagnostic(ModelDiagnosticKind.Syntax, string.Empty, 0, 0, message)];

    /// <summary>Every problem found, in file order within each stage.</summary>
    public IReadOnlyList<ModelDiagnostic> Diagnostics { get; }

    /// <summary>The stage that found them (every diagnostic of one exception comes from one stage).</summary>
    public ModelDiagnosticKind Kind => Diagnostics[0].Kind;
}
