using System.Globalization;
using Netlink.Ipvs;
using ServiceProxy.Health;

namespace ServiceProxy.Model;

/// <summary>A service's health-check: its kind, where it looks, how often, and what a failure does.</summary>
internal sealed partial class ModelValidator
{
    private static readonly (string Name, HealthCheckType Value)[] HealthCheckTypes = [("tcp", HealthCheckType.Tcp), ("http", HealthCheckType.Http)];

    private static readonly (string Name, HealthCheckFailureAction Value)[] FailureActions =
        [("inhibit", HealthCheckFailureAction.Inhibit), ("remove", HealthCheckFailureAction.Remove)];

    /// <summary>Checks more often than ten a second would load the real servers; less often than hourly are no checks.</summary>
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    private HealthCheck? CheckHealth(HealthCheckDocument? document, string service)
    {
        if (document is null)
        {
            return null;
        }
        string item = service + " health-check";
        var defaults = new HealthCheck();
        HealthCheckType type = Named(document.Type, item + " type", HealthCheckTypes) ?? defaults.Type;
        if (type != HealthCheckType.Http)
        {
            foreach (Scalar? httpOnly in (Scalar?[])[document.Path, document.Status])
            {
                if (httpOnly is not null)
                {
                    Error(httpOnly, $"{item} (line {httpOnly.Line}): path and status are for type: http: set type: http or drop them");
                    break;
                }
            }
        }
        if (document.Path is not null && !document.Path.Text.StartsWith('/'))
        {
            Error(document.Path, $"{item} path (line {document.Path.Line}): '{document.Path.Text}' does not start with '/': write it like /healthz");
        }
        TimeSpan interval = Duration(document.Interval, item + " interval", MinInterval, MaxInterval) ?? defaults.Interval;
        TimeSpan timeout = Duration(document.Timeout, item + " timeout", MinInterval, MaxInterval) ?? defaults.Timeout;
        if (timeout > interval)
        {
            Scalar at = document.Timeout ?? document.Interval!;
            Error(at, $"{item} (line {at.Line}): timeout {Seconds(timeout)} is longer than interval {Seconds(interval)}: make the timeout at most the interval");
        }
        int? port = Integer(document.Port, item + " port", 1, 65535, "use a port from 1 to 65535, or leave it out to check each real server's own port");
        return new HealthCheck
        {
            Type = type,
            Port = port is null ? null : (ushort)port.Value,
            Path = document.Path?.Text ?? defaults.Path,
            Status = Integer(document.Status, item + " status", 100, 599, "use an HTTP status from 100 to 599") ?? defaults.Status,
            Interval = interval,
            Timeout = timeout,
            Rise = Integer(document.Rise, item + " rise", 1, 100, "use a count from 1 to 100") ?? defaults.Rise,
            Fall = Integer(document.Fall, item + " fall", 1, 100, "use a count from 1 to 100") ?? defaults.Fall,
            OnFailure = Named(document.OnFailure, item + " on-failure", FailureActions) ?? defaults.OnFailure,
        };
    }

    /// <summary>
    /// A check without a port probes each real server's own, which a firewall-mark service's real server may not have
    /// (port 0: the packet's port): refused here rather than failing every probe and taking the server out.
    /// </summary>
    private void CheckHealthPort(HealthCheck? check, HealthCheckDocument? document, List<RealServer> servers, string service)
    {
        if (check is not { Port: null } || servers.Find(s => s.Port == 0) is not RealServer portless)
        {
            return;
        }
        Error(document!.Line, 0,
            $"{service} health-check (line {document.Line}): destination {portless.Address} has no port to check: give the health-check a port, or the destination one");
    }

    /// <summary>"5" or "5s" (seconds), "500ms", "2m", "1h"; null when absent or wrong (the error noted).</summary>
    private TimeSpan? Duration(Scalar? value, string item, TimeSpan min, TimeSpan max)
    {
        if (value is null)
        {
            return null;
        }
        string text = value.Text.Trim();
        (string number, double unitMilliseconds) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1.0),
            _ when text.EndsWith('s') => (text[..^1], 1000.0),
            _ when text.EndsWith('m') => (text[..^1], 60_000.0),
            _ when text.EndsWith('h') => (text[..^1], 3_600_000.0),
            _ => (text, 1000.0),
        };
        string fix = $"use a duration from {Seconds(min)} to {Seconds(max)}, like 5s or 500ms";
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount))
        {
            Error(value, $"{item} (line {value.Line}): '{value.Text}' is not a duration: {fix}");
            return null;
        }
        TimeSpan duration = TimeSpan.FromMilliseconds(amount * unitMilliseconds);
        if (duration < min || duration > max)
        {
            Error(value, $"{item} (line {value.Line}): {value.Text} is out of range: {fix}");
            return null;
        }
        return duration;
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
