namespace Ipvsctl.Ipvsadm;

/// <summary>How an option takes its value, as popt's argInfo says it.</summary>
internal enum PoptArgument
{
    /// <summary>POPT_ARG_NONE: a flag.</summary>
    None,

    /// <summary>POPT_ARG_STRING: a value is required.</summary>
    Required,

    /// <summary>POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL: a value is taken if one follows that does not start with '-'.</summary>
    Optional,
}

/// <summary>One row of popt's option table: long name, short name, value kind, and the code the parser returns.</summary>
internal sealed record PoptOption(string? LongName, char ShortName, PoptArgument Argument, int Code);
