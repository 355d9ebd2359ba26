using Netlink.Ipvs;

namespace ServiceProxy.Planning;

/// <summary>
/// The ordered steps that take the kernel's table to a desired one (made by <see cref="ServiceTablePlanner"/>), and the
/// timeouts to set, if any differ. Applied by <see cref="ServiceTableApplier.Apply"/>.
/// </summary>
public sealed class ServiceTablePlan
{
    /// <summary>Creates a plan from its steps, in the order they must run.</summary>
    /// <param name="changes">The service and real server steps.</param>
    /// <param name="timeouts">Timeouts to set after the steps (0 in a field: unchanged), or null when they already match.</param>
    /// <param name="currentTimeouts">The kernel's timeouts when planned, for descriptions; null when not read.</param>
    public ServiceTablePlan(IReadOnlyList<ServiceTableChange> changes, IpvsTimeouts? timeouts = null, IpvsTimeouts? currentTimeouts = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Changes = changes;
        Timeouts = timeouts;
        CurrentTimeouts = currentTimeouts;
    }

    /// <summary>The steps, in order: service adds and edits, real server adds and edits, real server deletes, service deletes.</summary>
    public IReadOnlyList<ServiceTableChange> Changes { get; }

    /// <summary>Timeouts to set last (a 0 field is left unchanged), or null.</summary>
    public IpvsTimeouts? Timeouts { get; }

    /// <summary>The kernel's timeouts when the plan was made, or null when the desired table asked for none.</summary>
    public IpvsTimeouts? CurrentTimeouts { get; }

    /// <summary>Nothing to do: the kernel already holds the desired table.</summary>
    public bool IsEmpty => Changes.Count == 0 && Timeouts is null;

    /// <summary>Every kind of action the plan needs.</summary>
    public ServiceTableActions RequiredActions
    {
        get
        {
            ServiceTableActions required = Timeouts is null ? ServiceTableActions.None : ServiceTableActions.UpdateTimeouts;
            foreach (ServiceTableChange change in Changes)
            {
                required |= change.Action;
            }
            return required;
        }
    }

    /// <summary>The steps <paramref name="allowed"/> does not cover, described ("delete virtual service TCP 198.18.0.1:80"); empty when all are allowed.</summary>
    public IReadOnlyList<string> Refused(ServiceTableActions allowed)
    {
        var refused = new List<string>();
        foreach (ServiceTableChange change in Changes)
        {
            if ((allowed & change.Action) == 0)
            {
                refused.Add(change.ToString());
            }
        }
        if (Timeouts is not null && (allowed & ServiceTableActions.UpdateTimeouts) == 0)
        {
            refused.Add(DescribeTimeouts());
        }
        return refused;
    }

    /// <summary>"set timeouts tcp 900 -> 1800" for the timeout step.</summary>
    public string DescribeTimeouts()
    {
        if (Timeouts is null)
        {
            return "timeouts unchanged";
        }
        var parts = new List<string>();
        Add("tcp", Timeouts.Tcp, CurrentTimeouts?.Tcp);
        Add("tcpfin", Timeouts.TcpFin, CurrentTimeouts?.TcpFin);
        Add("udp", Timeouts.Udp, CurrentTimeouts?.Udp);
        return "set timeouts " + string.Join(", ", parts);

        void Add(string name, uint desired, uint? current)
        {
            if (desired != 0)
            {
                parts.Add(current is null ? $"{name} {desired}" : $"{name} {current} -> {desired}");
            }
        }
    }
}
