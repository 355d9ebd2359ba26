namespace Ipvsctl.Ipvsadm;

/// <summary>
/// The command-line scanner ipvsadm gets from libpopt 1.19, reproduced rule for rule because scripts depend on its
/// corners: short options cluster ("-Ln") and take the rest of their cluster as a value ("-t10.0.0.1:80", "-t=..."),
/// long options match exactly and take "--name=value" or the next argument, an optional value ("-p") is taken only
/// when the next argument does not start with '-', "--" ends the options, and anything else is kept aside as a
/// leftover argument (all of them with POSIXLY_CORRECT set, after the first).
/// </summary>
internal sealed class PoptParser
{
    /// <summary>popt's error codes (popt.h), returned in place of an option code.</summary>
    public const int ErrorNoArgument = -10;
    public const int ErrorBadOption = -11;
    public const int ErrorUnwantedArgument = -12;
    public const int End = -1;

    private readonly IReadOnlyList<string> _args;
    private readonly PoptOptionIndex _table;
    private readonly bool _posixMeHarder;
    private readonly List<string> _leftovers = [];
    private int _next;
    private int _leftoverRead;
    // The short options still to read: _clusterArg[_clusterAt..] (no substring per option: -R reads millions).
    private string? _clusterArg;
    private int _clusterAt;
    private bool _restLeftover;

    /// <param name="args">The arguments after the program name.</param>
    public PoptParser(IReadOnlyList<string> args, PoptOptionIndex table, bool posixMeHarder)
    {
        _args = args;
        _table = table;
        _posixMeHarder = posixMeHarder;
    }

    /// <summary>The value of the option last returned, or null when it has none.</summary>
    public string? Value { get; private set; }

    /// <summary>The argument popt blames in an error message (poptBadOption: the last argument it consumed).</summary>
    public string BadOption => _next > 0 ? _args[_next - 1] : string.Empty;

    /// <summary>Returns the next option's code, <see cref="End"/>, or an error code (below -1).</summary>
    public int Next()
    {
        while (true)
        {
            Value = null;
            if (_clusterArg is null && _next == _args.Count)
            {
                return End;
            }

            PoptOption? option = null;
            string? longValue = null;
            if (_clusterArg is null)
            {
                string arg = _args[_next++];
                if (_restLeftover || arg.Length == 0 || arg[0] != '-' || arg.Length == 1)
                {
                    if (_posixMeHarder)
                    {
                        _restLeftover = true;
                    }
                    _leftovers.Add(arg);
                    continue;
                }
                if (arg == "--")
                {
                    _restLeftover = true;
                    continue;
                }
                // No ipvsadm option is flagged ONEDASH, so a single dash always starts a cluster of short options.
                if (arg[1] != '-')
                {
                    _clusterArg = arg;
                    _clusterAt = 1;
                }
                else
                {
                    string name = arg[2..];
                    int equals = name.IndexOf('=', StringComparison.Ordinal);
                    if (equals >= 0)
                    {
                        longValue = name[(equals + 1)..];
                        name = name[..equals];
                    }
                    option = _table.FindLong(name);
                    if (option is null)
                    {
                        return ErrorBadOption;
                    }
                }
            }

            if (_clusterArg is not null)
            {
                char shortName = _clusterArg[_clusterAt++];
                if (_clusterAt == _clusterArg.Length)
                {
                    _clusterArg = null;
                }
                option = _table.FindShort(shortName);
                if (option is null)
                {
                    return ErrorBadOption;
                }
            }

            if (option!.Argument == PoptArgument.None)
            {
                if (longValue is not null || (_clusterArg is not null && _clusterArg[_clusterAt] == '='))
                {
                    return ErrorUnwantedArgument;
                }
                return option.Code;
            }

            if (longValue is not null)
            {
                Value = longValue;
            }
            else if (_clusterArg is not null)
            {
                Value = _clusterArg[(_clusterArg[_clusterAt] == '=' ? _clusterAt + 1 : _clusterAt)..];
                _clusterArg = null;
            }
            else if (_next == _args.Count)
            {
                if (option.Argument != PoptArgument.Optional)
                {
                    return ErrorNoArgument;
                }
            }
            else if (option.Argument == PoptArgument.Optional && _args[_next].StartsWith('-'))
            {
                Value = null;
            }
            else
            {
                Value = _args[_next++];
            }
            return option.Code;
        }
    }

    /// <summary>The next leftover argument (poptGetArg), or null when none remain.</summary>
    public string? NextLeftover() => _leftoverRead < _leftovers.Count ? _leftovers[_leftoverRead++] : null;

    /// <summary>popt's text for an error code (poptStrerror).</summary>
    public static string Describe(int error) => error switch
    {
        ErrorNoArgument => "missing argument",
        ErrorUnwantedArgument => "option does not take an argument",
        ErrorBadOption => "unknown option",
        _ => "unknown error",
    };
}
