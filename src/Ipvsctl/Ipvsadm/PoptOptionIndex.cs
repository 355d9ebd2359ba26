namespace Ipvsctl.Ipvsadm;

/// <summary>An option table indexed by short and long name (popt finds the first row that matches).</summary>
internal sealed class PoptOptionIndex
{
    private readonly PoptOption?[] _short = new PoptOption?[128];
    private readonly Dictionary<string, PoptOption> _long = new(StringComparer.Ordinal);

    public PoptOptionIndex(IReadOnlyList<PoptOption> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (PoptOption option in table)
        {
            if (option.ShortName is > '\0' and < (char)128)
            {
                _short[option.ShortName] ??= option;
            }
            if (option.LongName is not null)
            {
                _long.TryAdd(option.LongName, option);
            }
        }
    }

    public PoptOption? FindShort(char name) => name < 128 ? _short[name] : null;

    public PoptOption? FindLong(string name) => _long.GetValueOrDefault(name);
}
