using Microsoft.Extensions.Logging;

namespace Netlink.Tests.ServiceProxy.Health;

/// <summary>One line a <see cref="ListLogger{T}"/> took, with its structured values.</summary>
internal sealed record LoggedLine(LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, object?> Values);

/// <summary>A logger that keeps every line, at every level, for a test to read.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<LoggedLine> _lines = [];

    public IReadOnlyList<LoggedLine> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = (state as IEnumerable<KeyValuePair<string, object?>>)?.ToDictionary(p => p.Key, p => p.Value) ?? [];
        lock (_lock)
        {
            _lines.Add(new LoggedLine(logLevel, eventId.Name ?? "", formatter(state, exception), values));
        }
    }
}
