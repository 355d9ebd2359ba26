using Ipvsctl.Ipvsadm;

namespace Netlink.Fuzz.Targets;

/// <summary>/proc/net/ip_vs_conn as ipvsadm -L -c lists it.</summary>
public sealed class IpVsConnTarget : IFuzzTarget
{
    private static readonly ListFormat[] Formats = [ListFormat.Numeric, ListFormat.Numeric | ListFormat.PersistentConn, ListFormat.None];

    /// <inheritdoc />
    public string Name => "ip-vs-conn";

    /// <inheritdoc />
    public string Description => "/proc/net/ip_vs_conn, listed as ipvsadm -L -c [-n] [--persistent-conn] lists it";

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        string text = TextInput.Decode(input);
        var listing = new ConnectionListing(new AddressText(IpvsadmTarget.LocalNames));
        foreach (ListFormat format in Formats)
        {
            try
            {
                listing.Write(new StringReader(text), TextWriter.Null, format);
            }
            catch (IpvsadmExit)
            {
                // ipvsadm's own refusal: a message and an exit status
            }
        }
    }
}
