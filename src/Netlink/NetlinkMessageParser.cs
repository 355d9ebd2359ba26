namespace Netlink;

/// <summary>
/// Turns one reply message into a value, or returns null to skip it (a message of another type that shares the dump,
/// such as nf_tables' NFT_MSG_NEWGEN trailer). For a value type, use its nullable form to be able to skip.
/// Throws <see cref="NetlinkProtocolException"/> on a malformed message.
/// </summary>
public delegate T? NetlinkMessageParser<T>(NetlinkMessage message);
