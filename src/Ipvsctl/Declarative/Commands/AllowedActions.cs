using ServiceProxy.Planning;

namespace Ipvsctl.Declarative.Commands;

/// <summary>
/// --allowed-actions: "*" for all, or comma-separated two-letter tokens, a/u/d (add, update, delete) then s/d
/// (service, destination): as,us,ds,ad,ud,dd; and ut for timeouts, our extension. An empty list allows nothing.
/// </summary>
internal static class AllowedActions
{
    private static readonly (string Token, ServiceTableActions Action)[] Tokens =
    [
        ("as", ServiceTableActions.AddService),
        ("us", ServiceTableActions.UpdateService),
        ("ds", ServiceTableActions.DeleteService),
        ("ad", ServiceTableActions.AddRealServer),
        ("ud", ServiceTableActions.UpdateRealServer),
        ("dd", ServiceTableActions.DeleteRealServer),
        ("ut", ServiceTableActions.UpdateTimeouts),
    ];

    public static ServiceTableActions Parse(string? text)
    {
        if (text is null || text.Trim() == "*")
        {
            return ServiceTableActions.All;
        }
        ServiceTableActions allowed = ServiceTableActions.None;
        foreach (string token in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int index = Array.FindIndex(Tokens, t => string.Equals(t.Token, token, StringComparison.Ordinal));
            if (index < 0)
            {
                throw CommandFailedException.Usage($"apply: --allowed-actions: unknown action '{token}': use * or a list of as,us,ds,ad,ud,dd,ut");
            }
            allowed |= Tokens[index].Action;
        }
        return allowed;
    }
}
