using Ipvsctl.Declarative.Output;
using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace Ipvsctl.Declarative.Commands;

/// <summary>changeset (diff) [-f FILE|-] [--keep-weights] [-o yaml|json]: the plan apply would run; changes nothing.</summary>
internal static class ChangesetCommand
{
    private static readonly OptionSpec[] Specs = [CommonOptions.File, CommonOptions.Output, CommonOptions.KeepWeights, CommonOptions.Help];

    public static int Run(CommandContext context, IReadOnlyList<string> args, string name)
    {
        ParsedArguments parsed = ArgumentParser.Parse(args, 0, Specs, name);
        if (parsed.Has("help"))
        {
            return Usage.Print(context, "changeset");
        }
        CommonOptions.NoPositionals(parsed, name);
        OutputFormat format = CommonOptions.Format(parsed, name);
        DesiredServiceTable desired = ModelLoader.Load(context, CommonOptions.ModelPath(parsed));
        using IpvsClient client = IpvsAccess.Open(context);
        var options = new ServiceTablePlanOptions { KeepWeights = parsed.Has("keep-weights") };
        ServiceTablePlan plan = IpvsAccess.Query(() => ServiceTablePlanner.Plan(client, desired, options));
        context.Print(ChangesetView.Of(plan), format);
        return ExitCodes.Ok;
    }
}
