namespace Ipvsctl.Declarative.Commands;

/// <summary>The help text of the declarative mode.</summary>
internal static class Usage
{
    public const string Text = """
        Usage: ipvsctl [-v|-d] [--params-env] [--params-network] [--params-file=F]... [--params-url=U]... COMMAND

        Commands:
          apply     [-f FILE|-] [--keep-weights] [--allowed-actions=as,us,ds,ad,ud,dd,ut|*]
                                  make the IPVS table equal to the model (edits in place where it can)
          changeset [-f FILE|-] [--keep-weights] [-o yaml|json]
                                  print the plan apply would run, change nothing (alias: diff)
          get       [-o yaml|json]  print the IPVS table as a model
          validate  [-f FILE|-]     check a model, change nothing (needs no privileges)
          set weight W -s SERVICE -d DEST [-t SECONDS]
                                  set one destination's weight, over SECONDS if given

        -f defaults to /etc/ipvsctl.yaml; - reads stdin. Without a command word, ipvsctl is ipvsadm.
        Exit status: 0 ok, 20 cannot open IPVS, 21 IPVS query failed, 30 invalid model file, 31 apply failed,
        32 validation failed, 33 invalid arguments, 34 set failed, 35 parameter not resolvable,
        50 network error, 51 file not readable, 100 output error, 127 unknown.
        """;

    public static int Print(CommandContext context, string command)
    {
        _ = command; // one text covers every command; kept so each command's -h reads naturally
        context.Stdout.WriteLine(Text);
        return ExitCodes.Ok;
    }
}
