namespace Netlink.Generic;

/// <summary>A generic netlink family as the controller ("nlctrl") describes it.</summary>
/// <param name="Name">CTRL_ATTR_FAMILY_NAME, for example "IPVS".</param>
/// <param name="Id">CTRL_ATTR_FAMILY_ID: the nlmsg_type to send the family's messages with.</param>
/// <param name="Version">CTRL_ATTR_VERSION.</param>
/// <param name="HeaderSize">CTRL_ATTR_HDRSIZE: bytes of family header after struct genlmsghdr.</param>
/// <param name="MaxAttribute">CTRL_ATTR_MAXATTR.</param>
/// <param name="MulticastGroups">CTRL_ATTR_MCAST_GROUPS: group names and ids.</param>
public sealed record GenericNetlinkFamily(string Name, ushort Id, uint Version, uint HeaderSize, uint MaxAttribute, IReadOnlyDictionary<string, uint> MulticastGroups);
