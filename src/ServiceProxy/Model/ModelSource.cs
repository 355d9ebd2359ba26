namespace ServiceProxy.Model;

/// <summary>One model file's text and the name diagnostics give it (its path, or "stdin").</summary>
/// <param name="Name">The file's path or another name for messages.</param>
/// <param name="Text">Its YAML.</param>
public sealed record ModelSource(string Name, string Text);
