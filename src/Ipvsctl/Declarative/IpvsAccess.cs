using Netlink;
using Netlink.Ipvs;

namespace Ipvsctl.Declarative;

/// <summary>Opens IPVS and reads it, turning failures into the documented exit statuses (20 open, 21 query).</summary>
internal static class IpvsAccess
{
    public static IpvsClient Open(CommandContext context)
    {
        try
        {
            return context.Environment.OpenIpvs();
        }
        catch (NetlinkException e)
        {
            throw new CommandFailedException(ExitCodes.CannotOpenIpvs, $"cannot open IPVS: {e.Message}");
        }
    }

    public static T Query<T>(Func<T> query)
    {
        try
        {
            return query();
        }
        catch (NetlinkException e)
        {
            throw new CommandFailedException(ExitCodes.IpvsQueryFailed, $"cannot read the IPVS table: {e.Message}");
        }
    }
}
