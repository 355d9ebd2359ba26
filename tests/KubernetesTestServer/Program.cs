using System.Net;
using System.Runtime.InteropServices;
using KubernetesTestServer;

// KubernetesTestServer --listen 127.0.0.1:PORT --objects DIR
// Serves the objects of DIR until SIGTERM or Ctrl-C; PORT 0 lets the OS choose. The first line on stdout is
// "listening on http://ADDRESS:PORT/", for a harness that started it with port 0.
IPEndPoint listen = new(IPAddress.Loopback, 0);
string? objects = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--listen" when i + 1 < args.Length:
            if (!IPEndPoint.TryParse(args[++i], out IPEndPoint? parsed))
            {
                await Console.Error.WriteLineAsync($"--listen: not an address:port: {args[i]}").ConfigureAwait(false);
                return 2;
            }
            listen = parsed;
            break;
        case "--objects" when i + 1 < args.Length:
            objects = args[++i];
            break;
        default:
            await Console.Error.WriteLineAsync("usage: KubernetesTestServer [--listen ADDRESS:PORT] [--objects DIR]").ConfigureAwait(false);
            return 2;
    }
}

await using TestApiServer server = await TestApiServer.StartAsync(listen).ConfigureAwait(false);
int loaded = objects is null ? 0 : server.LoadObjects(objects);
Console.WriteLine($"listening on {server.BaseAddress}");
Console.WriteLine($"{loaded} objects: {server.Services.Items.Count} services, {server.EndpointSlices.Items.Count} endpointslices, {server.Nodes.Items.Count} nodes");

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task.ConfigureAwait(false);
return 0;
