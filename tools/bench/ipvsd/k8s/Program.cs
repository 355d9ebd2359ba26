using System.Globalization;
using K8sBench;

// k8s-bench [--changes 20] [--warm-up 3] [--sizes 100,10000]: the Kubernetes path of ipvsd at N Services x 10
// endpoints, on the host (no VM, no root): a test API server, the real client's informers, the desired state and the
// reconciler over an in-memory IPVS kernel. Times the first sync at each size and one EndpointSlice change, from the
// HTTP PUT to the kernel holding the new real server; the last line is `k8s-bench ... k8s_one_change_10k_vs_100=R`.
// `--size N` is one size's child process (see SizeRun).
int changes = 20;
int warmUp = 3;
int[] sizes = [100, 10_000];
for (int a = 0; a < args.Length; a++)
{
    string value = a + 1 < args.Length ? args[a + 1] : "";
    switch (args[a])
    {
        case "--size":
            return await SizeRun.MainAsync(int.Parse(value, CultureInfo.InvariantCulture));
        case "--changes":
            changes = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--warm-up":
            warmUp = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--sizes":
            sizes = [.. value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
            break;
        default:
            Console.Error.WriteLine("usage: k8s-bench [--changes 20] [--warm-up 3] [--sizes 100,10000]");
            return 2;
    }
    a++;
}
return Coordinator.Run(sizes, changes, warmUp);
