using Ipvsctl.Declarative.Output;
using Netlink.Ipvs;

namespace Ipvsctl.Declarative.Commands;

/// <summary>get [-o yaml|json]: the kernel's table as a model that apply accepts.</summary>
internal static class GetCommand
{
    private static readonly OptionSpec[] Specs = [CommonOptions.Output, CommonOptions.Help];

    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        ParsedArguments parsed = ArgumentParser.Parse(args, 0, Specs, "get");
        if (parsed.Has("help"))
        {
            return Usage.Print(context, "get");
        }
        CommonOptions.NoPositionals(parsed, "get");
        OutputFormat format = CommonOptions.Format(parsed, "get");
        using IpvsClient client = IpvsAccess.Open(context);
        IReadOnlyList<IpvsServiceEntry> table = IpvsAccess.Query(client.GetTable);
        context.Print(TableView.Of(table), format);
        return ExitCodes.Ok;
    }
}
