namespace ServiceProxy.Model;

/// <summary>The stage of reading a model at which a <see cref="ModelDiagnostic"/> was found.</summary>
public enum ModelDiagnosticKind
{
    /// <summary>The text is not YAML, or not the model's shape (unknown keys, a list where a value belongs).</summary>
    Syntax,

    /// <summary>A ${parameter} that no parameter source defines.</summary>
    UnresolvedParameter,

    /// <summary>A value that is well formed but wrong (a port of 70000, an unknown scheduler, a service listed twice).</summary>
    Invalid,
}
