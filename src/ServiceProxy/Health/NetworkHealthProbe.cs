using System.Net;
using System.Net.Sockets;
using Netlink;

namespace ServiceProxy.Health;

/// <summary>
/// The real checks, each on a fresh connection and within the check's <see cref="HealthCheck.Timeout"/>:
/// <see cref="HealthCheckType.Tcp"/> passes when a TCP connection to the probed port is accepted;
/// <see cref="HealthCheckType.Http"/> sends GET <see cref="HealthCheck.Path"/> (HTTP/1.1, Connection: close, Host
/// "198.18.1.2:80" or "[2001:db8::2]:80") and passes when the status is <see cref="HealthCheck.Status"/>. Failures are
/// results, not exceptions, with details such as "connect 198.18.1.2:80: connection refused",
/// "GET http://198.18.1.2:80/healthz: HTTP 503, want 200" or "connect 198.18.1.2:80: timed out after 2s".
/// </summary>
/// <remarks>Thread-safe; it keeps no state between probes.</remarks>
public sealed class NetworkHealthProbe : IHealthProbe
{
    private readonly NetworkNamespace? _namespace;

    /// <summary>Creates the probe.</summary>
    /// <param name="networkNamespace">
    /// The network namespace to connect from, as the IPVS client's option of that name; null for the caller's own.
    /// With one, each probe opens its socket on a short-lived thread that enters the namespace, which costs a thread
    /// start per probe.
    /// </param>
    public NetworkHealthProbe(NetworkNamespace? networkNamespace = null)
    {
        _namespace = networkNamespace;
    }

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the check's own timeout is a failed result instead).</exception>
    public async Task<HealthProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        HealthCheck check = target.Check;
        if (target.ProbePort == 0)
        {
            return HealthProbeResult.Fail($"{target.RealServer} has no port to check: give the health-check a port");
        }
        if (check.Type == HealthCheckType.Http && HttpStatusCheck.PathProblem(check.Path) is string problem)
        {
            return HealthProbeResult.Fail($"{HttpStatusCheck.Step(target)}: {problem}");
        }

        string probed = EndpointText.Format(target.Address, target.ProbePort);
        string step = "connect " + probed;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(check.Timeout);
        try
        {
            using Socket socket = OpenSocket(target.Address.AddressFamily);
            await socket.ConnectAsync(new IPEndPoint(target.Address, target.ProbePort), deadline.Token).ConfigureAwait(false);
            if (check.Type == HealthCheckType.Tcp)
            {
                return HealthProbeResult.Pass("connected to " + probed);
            }
            step = HttpStatusCheck.Step(target);
            return await HttpStatusCheck.ExchangeAsync(socket, target, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthProbeResult.Fail($"{step}: timed out after {ProbeText.Seconds(check.Timeout)}");
        }
        catch (SocketException e)
        {
            return HealthProbeResult.Fail($"{step}: {ProbeText.Describe(e)}");
        }
    }

    private Socket OpenSocket(AddressFamily family)
    {
        if (_namespace is null)
        {
            return new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        }
        // The thread that enters the namespace must not let an exception escape it (that would end the process), so
        // a refused socket comes back as a value and is thrown here.
        (Socket? socket, SocketException? refused) = _namespace.RunInside(() =>
        {
            try
            {
                return (new Socket(family, SocketType.Stream, ProtocolType.Tcp), (SocketException?)null);
            }
            catch (SocketException e)
            {
                return ((Socket?)null, e);
            }
        });
        return socket ?? throw refused!;
    }
}
