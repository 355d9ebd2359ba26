using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl.Declarative;

/// <summary>
/// --params-url end to end: the published ipvsctl fetches a parameter document from a real HTTP server on this
/// machine (through curl) and resolves a model with it; a missing document fails with exit 50 and the server's answer;
/// a redirect to any protocol but http(s) is refused.
/// `validate` needs no IPVS, so this runs on this machine's own kernel.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class ParamsUrlTests : IDisposable
{
    private const string Model = "services: [ { address: 'tcp://${remote.vip}:80', destinations: [ { address: '${remote.backend}:8080' } ] } ]";
    private readonly HttpListener _server = new();
    private readonly string _base;
    private readonly Task _serving;

    public ParamsUrlTests()
    {
        int port = FreePort();
        _base = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/");
        _server.Prefixes.Add(_base);
        _server.Start();
        _serving = Task.Run(Serve);
    }

    [Fact]
    public async Task Parameters_from_a_url_resolve_the_model()
    {
        BufferedCommandResult result = await Validate(_base + "params.yaml");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public async Task A_missing_document_is_exit_50_with_the_servers_answer()
    {
        BufferedCommandResult result = await Validate(_base + "missing.yaml");
        Assert.Equal(50, result.ExitCode);
        Assert.Equal(
            $"ipvsctl: cannot fetch parameters from {_base}missing.yaml: The requested URL returned error: 404: check the URL and that the server answers",
            result.StandardError.TrimEnd('\n'));
    }

    // curl's default would follow the redirect to ftp:// (and fail only to connect); held to http(s), it refuses it
    [Theory]
    [InlineData("to-ftp", "ftp")]
    [InlineData("to-file", "file")]
    public async Task A_redirect_to_another_protocol_is_refused(string path, string protocol)
    {
        BufferedCommandResult result = await Validate(_base + path);
        Assert.Equal(50, result.ExitCode);
        Assert.Equal(
            $"ipvsctl: cannot fetch parameters from {_base}{path}: Protocol \"{protocol}\" not supported or disabled in libcurl: check the URL and that the server answers",
            result.StandardError.TrimEnd('\n'));
    }

    private static Task<BufferedCommandResult> Validate(string url) =>
        Cli.Wrap(IpvsctlBinary.Path).WithArguments(["--params-url", url, "validate", "-f", "-"])
            .WithStandardInputPipe(PipeSource.FromString(Model))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    private void Serve()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = _server.GetContext();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            using HttpListenerResponse response = context.Response;
            if (context.Request.Url?.AbsolutePath == "/params.yaml")
            {
                byte[] body = Encoding.UTF8.GetBytes("remote:\n  vip: 198.18.7.7\n  backend: 198.19.7.7\n");
                response.ContentType = "application/yaml";
                response.OutputStream.Write(body);
            }
            else if (context.Request.Url?.AbsolutePath is "/to-ftp" or "/to-file")
            {
                response.StatusCode = 302;
                response.RedirectLocation = context.Request.Url.AbsolutePath == "/to-ftp" ? "ftp://127.0.0.1:9/params.yaml" : "file:///etc/hostname";
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        // Close alone: after Stop, Close unregisters the prefixes again, and .NET's managed listener then binds
        // the port anew to do so, which fails while curl's connections to it sit in TIME_WAIT (seen in CI).
        _server.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
