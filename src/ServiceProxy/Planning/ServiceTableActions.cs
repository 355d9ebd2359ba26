namespace ServiceProxy.Planning;

/// <summary>
/// Kinds of change a caller allows a plan to make: adding, updating and deleting services and real servers, and
/// updating timeouts. A plan that needs a kind not allowed is refused before anything is sent.
/// </summary>
[Flags]
public enum ServiceTableActions
{
    /// <summary>Nothing may change.</summary>
    None = 0,

    /// <summary>Add virtual services ("as").</summary>
    AddService = 1,

    /// <summary>Edit virtual services in place ("us").</summary>
    UpdateService = 2,

    /// <summary>Delete virtual services ("ds").</summary>
    DeleteService = 4,

    /// <summary>Add real servers ("ad").</summary>
    AddRealServer = 8,

    /// <summary>Edit real servers in place ("ud").</summary>
    UpdateRealServer = 16,

    /// <summary>Remove real servers ("dd").</summary>
    DeleteRealServer = 32,

    /// <summary>Change the connection timeouts ("ut").</summary>
    UpdateTimeouts = 64,

    /// <summary>Everything ("*").</summary>
    All = AddService | UpdateService | DeleteService | AddRealServer | UpdateRealServer | DeleteRealServer | UpdateTimeouts,
}
