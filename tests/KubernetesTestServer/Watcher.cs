using System.Threading.Channels;

namespace KubernetesTestServer;

/// <summary>One open watch: the lines waiting to be written to it, its filters, and what a fault did to it.</summary>
internal sealed class Watcher(string? namespaceName, LabelSelector labels, FieldSelector fields, bool bookmarks)
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<string> Lines => _lines.Reader;

    public bool AllowsBookmarks { get; } = bookmarks;

    /// <summary>Set by a stall: the watch stays open but receives nothing more, as a watch behind a stuck proxy.</summary>
    public bool Stalled { get; set; }

    /// <summary>Set by a drop: the connection is aborted instead of ended.</summary>
    public bool Dropped { get; private set; }

    public bool Selects(string? name, string? ns, IDictionary<string, string>? objectLabels) =>
        (namespaceName is null || namespaceName == ns) && fields.Matches(name, ns) && labels.Matches(objectLabels);

    public void Send(string line)
    {
        if (!Stalled)
        {
            _lines.Writer.TryWrite(line);
        }
    }

    /// <summary>Writes a last line even to a stalled watch (an ERROR event), then ends it.</summary>
    public void SendLastAndClose(string line)
    {
        _lines.Writer.TryWrite(line);
        _lines.Writer.TryComplete();
    }

    public void Close() => _lines.Writer.TryComplete();

    public void Drop()
    {
        Dropped = true;
        _lines.Writer.TryComplete();
    }
}
