namespace Netlink;

/// <summary>Collects the parsed replies of a dump; a restart discards them, so the list is one consistent read.</summary>
internal sealed class ListCollector<T>(NetlinkMessageParser<T> parse) : IDumpReceiver<NetlinkMessage>
{
    public List<T> Items { get; } = [];

    public void OnItem(NetlinkMessage item)
    {
        if (parse(item) is { } value)
        {
            Items.Add(value);
        }
    }

    public void OnRestart() => Items.Clear();
}

/// <summary>Parses each reply and passes the value on, and passes a restart on, so the caller's receiver learns of it.</summary>
internal sealed class ParsingReceiver<T>(NetlinkMessageParser<T> parse, IDumpReceiver<T> receiver) : IDumpReceiver<NetlinkMessage>
{
    public void OnItem(NetlinkMessage item)
    {
        if (parse(item) is { } value)
        {
            receiver.OnItem(value);
        }
    }

    public void OnRestart() => receiver.OnRestart();
}

/// <summary>Keeps the first reply the parser does not skip; later replies are not parsed.</summary>
internal sealed class FirstReply<T>(NetlinkMessageParser<T> parse) : IDumpReceiver<NetlinkMessage>
{
    private bool _found;

    public T? Value { get; private set; }

    public void OnItem(NetlinkMessage item)
    {
        if (!_found && parse(item) is { } value)
        {
            Value = value;
            _found = true;
        }
    }

    // A single request is never restarted; only dumps carry NLM_F_DUMP_INTR.
    public void OnRestart()
    {
    }
}

/// <summary>Passes every reply of a batch to a callback; batches are never restarted.</summary>
internal sealed class ReplyCallback(Action<NetlinkMessage> onReply) : IDumpReceiver<NetlinkMessage>
{
    public void OnItem(NetlinkMessage item) => onReply(item);

    public void OnRestart()
    {
    }
}
