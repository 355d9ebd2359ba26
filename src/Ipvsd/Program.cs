using System.CommandLine;
using Ipvsd;

var config = new Option<string>("--config")
{
    Description = "the configuration file (YAML): services, interface, rules, sync periods, drain timeout, listen addresses",
    DefaultValueFactory = _ => "/etc/ipvsd/ipvsd.yaml",
};
var once = new Option<bool>("--once") { Description = "sync once, then exit 0 when the node matches the services, 1 when it does not" };
var cleanup = new Option<bool>("--cleanup") { Description = "remove everything ipvsd owns (its services, the virtual IPs' interface, its rules), then exit" };
var dryRun = new Option<bool>("--dry-run") { Description = "log what a sync would change, change nothing, then exit" };
var root = new RootCommand("ipvsd: keeps the kernel's IPVS table, virtual IPs and service rules equal to the services in its model files")
{
    config, once, cleanup, dryRun,
};
root.Validators.Add(result =>
{
    int modes = (result.GetValue(once) ? 1 : 0) + (result.GetValue(cleanup) ? 1 : 0) + (result.GetValue(dryRun) ? 1 : 0);
    if (modes > 1)
    {
        result.AddError("--once, --cleanup and --dry-run exclude each other: give one");
    }
});
root.SetAction(result =>
{
    DaemonMode mode = result.GetValue(once) ? DaemonMode.Once
        : result.GetValue(cleanup) ? DaemonMode.Cleanup
        : result.GetValue(dryRun) ? DaemonMode.DryRun
        : DaemonMode.Serve;
    return Runner.Run(result.GetValue(config)!, mode);
});
return root.Parse(args).Invoke();
