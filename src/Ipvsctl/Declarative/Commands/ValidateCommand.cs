namespace Ipvsctl.Declarative.Commands;

/// <summary>validate [-f FILE|-]: checks a model and its parameters; never opens IPVS, so it needs no privileges.</summary>
internal static class ValidateCommand
{
    private static readonly OptionSpec[] Specs = [CommonOptions.File, CommonOptions.Help];

    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        ParsedArguments parsed = ArgumentParser.Parse(args, 0, Specs, "validate");
        if (parsed.Has("help"))
        {
            return Usage.Print(context, "validate");
        }
        CommonOptions.NoPositionals(parsed, "validate");
        ModelLoader.Load(context, CommonOptions.ModelPath(parsed));
        if (context.Options.Verbose)
        {
            context.Stdout.WriteLine("Configuration valid.");
        }
        return ExitCodes.Ok;
    }
}
