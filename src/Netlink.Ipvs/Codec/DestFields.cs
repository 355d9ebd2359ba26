namespace Netlink.Ipvs.Codec;

/// <summary>
/// The attributes of one nested IPVS_CMD_ATTR_DEST, as read from the wire and before any is checked against another:
/// filled by the attribute walk or by <see cref="IpvsKernelLayout"/>, turned into records in one place.
/// </summary>
internal ref struct DestFields
{
    public ReadOnlySpan<byte> Address;
    public ushort AddressFamily;
    public ushort Port;
    public uint Forwarding;
    public uint Weight;
    public uint UpperThreshold;
    public uint LowerThreshold;
    public uint ActiveConnections;
    public uint InactiveConnections;
    public uint PersistentConnections;
    public byte TunnelType;
    public ushort TunnelPort;
    public ushort TunnelFlags;
    public ReadOnlySpan<byte> Stats32;
    public ReadOnlySpan<byte> Stats64;
    public bool HasStats64;
}
