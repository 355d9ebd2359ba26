using Ipvsctl.Declarative.Output;
using Netlink;
using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace Ipvsctl.Declarative.Commands;

/// <summary>
/// apply [-f FILE|-] [--keep-weights] [--allowed-actions=...]: plans against the kernel's table and runs the plan
/// as one batch on one socket. Quiet on success unless -v.
/// </summary>
internal static class ApplyCommand
{
    private static readonly OptionSpec[] Specs =
    [
        CommonOptions.File, CommonOptions.KeepWeights, new("allowed-actions", true, "--allowed-actions"), CommonOptions.Help,
    ];

    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        ParsedArguments parsed = ArgumentParser.Parse(args, 0, Specs, "apply");
        if (parsed.Has("help"))
        {
            return Usage.Print(context, "apply");
        }
        CommonOptions.NoPositionals(parsed, "apply");
        ServiceTableActions allowed = AllowedActions.Parse(parsed.Value("allowed-actions"));
        DesiredServiceTable desired = ModelLoader.Load(context, CommonOptions.ModelPath(parsed));

        using IpvsClient client = IpvsAccess.Open(context);
        var options = new ServiceTablePlanOptions { KeepWeights = parsed.Has("keep-weights") };
        ServiceTablePlan plan = IpvsAccess.Query(() => ServiceTablePlanner.Plan(client, desired, options));
        IReadOnlyList<string> refused = plan.Refused(allowed);
        if (refused.Count > 0)
        {
            var lines = refused.Select(r => $"not allowed by --allowed-actions: {r}").ToList();
            lines.Add($"nothing was applied: allow the missing actions or change the model ({refused.Count} of {plan.Changes.Count + (plan.Timeouts is null ? 0 : 1)} step(s) refused)");
            throw new CommandFailedException(ExitCodes.ApplyFailed, lines);
        }
        if (plan.IsEmpty)
        {
            context.Verbose("nothing to do: the IPVS table matches the model");
            return ExitCodes.Ok;
        }
        try
        {
            ServiceTableApplier.Apply(client, plan);
        }
        catch (ServiceTableApplyException e)
        {
            // The applier sends one request per datagram, so the kernel saw nothing after the refused step.
            throw new CommandFailedException(ExitCodes.ApplyFailed,
                $"apply failed at step {e.FailedStep + 1} of {e.StepCount}: {e.InnerException?.Message}; "
                + $"the {e.FailedStep} step(s) before it were applied and nothing after it: fix the cause and apply again");
        }
        catch (NetlinkException e)
        {
            throw new CommandFailedException(ExitCodes.ApplyFailed, $"apply failed: {e.Message}");
        }
        foreach (ServiceTableChange change in plan.Changes)
        {
            context.Verbose(ChangesetView.Describe(change));
        }
        if (plan.Timeouts is not null)
        {
            context.Verbose(plan.DescribeTimeouts());
        }
        return ExitCodes.Ok;
    }
}
