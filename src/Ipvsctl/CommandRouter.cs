using Ipvsctl.Declarative;
using Ipvsctl.Ipvsadm;

namespace Ipvsctl;

/// <summary>
/// Chooses between the two faces of ipvsctl: ipvsadm's command line (the first argument is an option and
/// no declarative command word follows the global flags) and the declarative model commands.
/// </summary>
internal static class CommandRouter
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return IsDeclarative(args)
            ? DeclarativeCommand.Run(args, stdin, stdout, stderr)
            : IpvsadmCommand.Run(args, stdin, stdout, stderr);
    }

    /// <summary>
    /// True when a declarative command word appears after nothing but declarative global flags
    /// (-v, -d, --params-*), so that "ipvsctl -v apply" is declarative while "ipvsctl -v" stays ipvsadm's.
    /// </summary>
    internal static bool IsDeclarative(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (IsCommandWord(arg))
            {
                return true;
            }
            if (!IsGlobalFlag(arg))
            {
                return false;
            }
            if (arg is "--params-file" or "--params-url")
            {
                i++; // its value is the next argument
            }
        }
        return false;
    }

    // A pattern, not a set: a set's hashing and its type's set-up are paid at every start, ipvsadm mode included.
    private static bool IsCommandWord(string arg) =>
        arg is "apply" or "changeset" or "diff" or "get" or "validate" or "set" or "help" or "version";

    private static bool IsGlobalFlag(string arg) =>
        arg is "-v" or "-d" or "--verbose" or "--debug" or "--params-env" or "--params-network" or "--params-file" or "--params-url"
        || arg.StartsWith("--params-file=", StringComparison.Ordinal)
        || arg.StartsWith("--params-url=", StringComparison.Ordinal);
}
