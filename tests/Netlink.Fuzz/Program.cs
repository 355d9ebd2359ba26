using Netlink.Fuzz;

// Netlink.Fuzz --list                      the targets, one a line
// Netlink.Fuzz TARGET                      under afl-fuzz: the fork server loop; otherwise one input from stdin
// Netlink.Fuzz TARGET --replay PATH...     every file (or every file in each folder): "ok" or the bug's stack
// Netlink.Fuzz --record-seeds DIR          writes the netlink targets' seeds (see SeedRecorder)
if (args is ["--list"])
{
    foreach (IFuzzTarget target in FuzzTargets.All)
    {
        Console.WriteLine(target.Name);
    }
    return 0;
}
if (args is ["--record-seeds", string directory])
{
    return SeedRecorder.Record(directory);
}
if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } chosen)
{
    await Console.Error.WriteLineAsync(args.Length == 0
        ? "usage: Netlink.Fuzz TARGET [--replay PATH...] | --list | --record-seeds DIR"
        : $"no fuzz target {args[0]}: Netlink.Fuzz --list names them");
    return 2;
}
if (args.Length > 1 && args[1] == "--replay")
{
    return Replay.Run(chosen, args[2..], Console.Out);
}
SharpFuzz.Fuzzer.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    chosen.Run(memory.GetBuffer().AsSpan(0, (int)memory.Length));
});
return 0;
