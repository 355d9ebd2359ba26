namespace Netlink.NativeTests.Core;

/// <summary>Builds CTRL_CMD_GETFAMILY requests for the generic netlink controller, the one family every kernel has.</summary>
internal static class ControllerRequests
{
    private const byte CtrlCmdGetFamily = 3;
    private const ushort CtrlAttrFamilyName = 2;

    public static void GetFamily(NetlinkBuffer buffer, string? name)
    {
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken message = writer.BeginMessage(Generic.GenericNetlinkResolver.ControllerId, NetlinkMessageFlags.None, 0);
        writer.WriteGenericHeader(CtrlCmdGetFamily, 1);
        if (name is not null)
        {
            writer.WriteString(CtrlAttrFamilyName, name);
        }
        writer.EndMessage(message);
    }
}
