using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// One backend of a <see cref="PodNetwork"/>: a namespace at 198.19.N.2 whose HTTP server (busybox httpd, port 80)
/// answers "/" with the pod's name, and /cgi-bin/hold with the name and then a dot a second for as long as the
/// client stays (see <see cref="HeldConnection"/>). UDP responders answer "NAME PAYLOAD".
/// </summary>
public sealed class Pod : IDisposable
{
    private readonly string _webRoot;
    private readonly Dictionary<int, UdpResponder> _udp = [];
    private BackgroundProgram? _http;

    internal Pod(int number, TestNamespace ns, string scratch)
    {
        Number = number;
        Namespace = ns;
        _webRoot = Path.Combine(scratch, Name);
        Directory.CreateDirectory(Path.Combine(_webRoot, "cgi-bin"));
        File.WriteAllText(Path.Combine(_webRoot, "index.html"), Name);
        string hold = Path.Combine(_webRoot, "cgi-bin", "hold");
        File.WriteAllText(hold, HoldScript(Name));
        File.SetUnixFileMode(hold, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>1, 2 or 3.</summary>
    public int Number { get; }

    /// <summary>"pod1": the body of its page, and the word its servers answer with.</summary>
    public string Name => "pod" + Number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Its address, 198.19.N.2.</summary>
    public IPAddress Address => IPAddress.Parse($"198.19.{Number}.2");

    /// <summary>The pod's namespace, to run programs in.</summary>
    public TestNamespace Namespace { get; }

    /// <summary>Starts the HTTP server on port 80 and returns once it accepts connections.</summary>
    public void StartHttp()
    {
        LaunchHttp();
        WaitUntilServing();
    }

    /// <summary>Kills the HTTP server (and the connections it serves): the port refuses connections at once.</summary>
    public void StopHttp()
    {
        _http?.Dispose();
        _http = null;
    }

    /// <summary>Starts the HTTP server without waiting, so that several pods' can start at once.</summary>
    internal void LaunchHttp()
    {
        if (_http is not null)
        {
            throw new InvalidOperationException($"{Name}'s HTTP server already runs");
        }
        _http = BackgroundProgram.Start(Namespace, "busybox", "httpd", "-f", "-p", "80", "-h", _webRoot);
    }

    /// <summary>Returns once the launched HTTP server accepts connections.</summary>
    internal void WaitUntilServing()
    {
        if (_http is null)
        {
            throw new InvalidOperationException($"{Name}'s HTTP server was not started");
        }
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Accepts(80))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{_http.Description} does not accept connections after 30 s; its output:\n{_http.Output}");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Starts answering UDP datagrams on <paramref name="port"/> with "NAME PAYLOAD".</summary>
    public void StartUdpResponder(int port) => _udp.Add(port, new UdpResponder(Namespace.Namespace, port, Name));

    /// <summary>Stops answering on <paramref name="port"/>: datagrams to it get ICMP port unreachable.</summary>
    public void StopUdpResponder(int port)
    {
        if (_udp.Remove(port, out UdpResponder? responder))
        {
            responder.Dispose();
        }
    }

    /// <summary>Stops every server the pod runs.</summary>
    public void Dispose()
    {
        StopHttp();
        foreach (UdpResponder responder in _udp.Values)
        {
            responder.Dispose();
        }
        _udp.Clear();
    }

    private static string HoldScript(string name) => $"""
        #!/bin/sh
        # Writes on, so that once the client has gone the next write fails and the server's side closes too.
        printf 'Content-Type: text/plain\r\n\r\n{name}\n'
        while sleep 1; do echo . || exit 0; done

        """;

    private bool Accepts(int port)
    {
        using Socket probe = Namespace.Namespace.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            probe.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
